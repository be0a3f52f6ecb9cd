import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planCluster, podSuffix, spreadReplicas } from './cluster-plan.ts';

const images = (count: number): Array<{ multiArch: boolean }> => Array.from({ length: count }, (_, i) => ({ multiArch: i % 2 === 0 }));

test('spreadReplicas: exact total, at least one each, heavy-tailed', () => {
  const r = spreadReplicas(4880, 294);
  assert.equal(r.length, 294);
  assert.equal(r.reduce((a, b) => a + b, 0), 4880);
  assert.ok(r.every((n) => n >= 1));
  const sorted = [...r].sort((a, b) => b - a);
  assert.ok(sorted[0]! > 200, `largest ${sorted[0]}`);
  assert.ok(sorted[150]! <= 10, `median ${sorted[150]}`);
  assert.deepEqual(spreadReplicas(3, 3), [1, 1, 1]);
  assert.throws(() => spreadReplicas(2, 3), /2 pods cannot give each of 3 Deployments one pod/);
});

test('podSuffix: five base-36 characters, no collisions over 10 000 pods', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const s = podSuffix(i);
    assert.match(s, /^[0-9a-z]{5}$/);
    seen.add(s);
  }
  assert.equal(seen.size, 10_000);
});

test('5000 pods over 300 images: exact count, every image used, single-arch images only on amd64 nodes', () => {
  const imgs = images(300);
  const plan = planCluster(imgs, { pods: 5000, namespaces: 20, nodes: 40, armNodes: 10 });
  assert.equal(plan.pods.length, 5000);
  assert.equal(plan.nodes.filter((n) => n.arch === 'arm64').length, 10);
  assert.equal(new Set(plan.pods.map((p) => `${plan.workloads[p.workload]!.namespace}/${p.name}`)).size, 5000, 'pod names are unique');
  plan.archesByImage.forEach((arches, i) => {
    assert.ok(arches.length > 0, `image ${i} is used`);
    if (!imgs[i]!.multiArch) assert.deepEqual(arches, ['amd64'], `single-arch image ${i} runs on amd64 only`);
  });
  for (const p of plan.pods) {
    const w = plan.workloads[p.workload]!;
    if (w.amd64Only) assert.equal(plan.nodes[p.node]!.arch, 'amd64');
    for (const c of [...w.containers, ...w.initContainers]) if (!imgs[c.image]!.multiArch) assert.ok(w.amd64Only);
  }
  const daemons = plan.workloads.filter((w) => w.kind === 'DaemonSet');
  assert.equal(daemons.length, 3);
  for (const d of daemons) {
    const wi = plan.workloads.indexOf(d);
    assert.deepEqual(plan.pods.filter((p) => p.workload === wi).map((p) => p.node), plan.nodes.map((_, i) => i), 'one pod per node');
  }
  assert.ok(plan.archesByImage.some((a) => a.length === 2), 'some images run on both architectures');
  assert.ok(plan.workloads.some((w) => w.containers.length === 2) && plan.workloads.some((w) => w.initContainers.length === 1));
  assert.equal(plan.namespaces.length, 21);
});

test('numbers that cannot fit are refused', () => {
  assert.throws(() => planCluster(images(14), { pods: 19, namespaces: 1, nodes: 4, armNodes: 1 }), /19 pods are too few: DaemonSets take 12 and 8 Deployments need one each/);
  assert.throws(() => planCluster(images(10), { pods: 100, namespaces: 1, nodes: 2, armNodes: 2 }), /need at least one amd64 node/);
  assert.throws(() => planCluster([{ multiArch: false }, { multiArch: true }], { pods: 100, namespaces: 1, nodes: 2, armNodes: 1 }), /6 multi-arch images needed/);
});
