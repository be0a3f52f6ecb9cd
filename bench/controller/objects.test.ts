import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractImages, normalizeImageID, type KubeObject } from '../../src/kube/index.ts';
import { planCluster } from './cluster-plan.ts';
import { clusterObjects, imageIdFor, type ImageRef } from './objects.ts';

const refs: ImageRef[] = Array.from({ length: 12 }, (_, i) => ({
  ref: `127.0.0.1:5000/team/app-${i}:v${i}`,
  repository: `127.0.0.1:5000/team/app-${i}`,
  digest: `sha256:${String(i).padStart(64, '0')}`,
}));

test('imageIdFor: containerd form, Docker form on every fifth node', () => {
  assert.equal(imageIdFor(refs[1]!, 0), `127.0.0.1:5000/team/app-1@${refs[1]!.digest}`);
  assert.equal(imageIdFor(refs[1]!, 4), `docker-pullable://127.0.0.1:5000/team/app-1@${refs[1]!.digest}`);
  assert.equal(normalizeImageID(imageIdFor(refs[1]!, 4)), imageIdFor(refs[1]!, 0));
});

test('pods carry the planned images, their digests as imageID and their node; sizes are realistic', () => {
  const plan = planCluster(refs.map((_, i) => ({ multiArch: i < 7 })), { pods: 200, namespaces: 2, nodes: 5, armNodes: 1 });
  const objects = clusterObjects(plan, refs);
  assert.equal(objects.pods.length, 200);
  assert.equal(objects.nodes.length, 5);
  assert.equal(objects.replicaSets.length, plan.workloads.filter((w) => w.kind === 'Deployment').length);
  assert.equal(objects.namespaces.length, plan.namespaces.length);
  objects.pods.forEach((pod, i) => {
    const p = plan.pods[i]!;
    const w = plan.workloads[p.workload]!;
    const uses = extractImages(pod as KubeObject, 'Pod');
    const planned = [...w.initContainers, ...w.containers];
    assert.deepEqual(uses.map((u) => u.image), planned.map((c) => refs[c.image]!.ref));
    for (const [k, u] of uses.entries()) assert.equal(u.imageID, `${refs[planned[k]!.image]!.repository}@${refs[planned[k]!.image]!.digest}`);
    assert.equal((pod['spec'] as { nodeName?: string }).nodeName, plan.nodes[p.node]!.name);
  });
  const bytes = objects.pods.map((p) => JSON.stringify(p).length);
  const mean = bytes.reduce((a, b) => a + b, 0) / bytes.length;
  assert.ok(mean > 3000 && mean < 12_000, `mean pod JSON ${mean} bytes`);
  const node = objects.nodes[4]!;
  assert.equal((node['status'] as { nodeInfo: { architecture: string } }).nodeInfo.architecture, 'arm64');
});
