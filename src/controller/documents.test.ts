import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentLookups, parseDocuments } from './documents.ts';

describe('parseDocuments', () => {
  it('reads several documents, kubectl Lists (nested too), Helm comments and empty documents', () => {
    const text = `# Source: chart/templates/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec: {template: {spec: {containers: [{name: app, image: "nginx:1.25"}]}}}
---
# an empty document
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: p1, namespace: default}
  spec: {containers: [{name: c, image: busybox}]}
- apiVersion: v1
  kind: PodList
  items:
  - {apiVersion: v1, kind: Pod, metadata: {name: p2}, spec: {containers: [{name: c, image: alpine}]}}
- {apiVersion: v1, kind: Service, metadata: {name: svc}}
- {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: web-1, namespace: default}}
- {apiVersion: v1, kind: Node, metadata: {name: n1}, status: {nodeInfo: {architecture: arm64, operatingSystem: linux}}}
---
`;
    const set = parseDocuments(text, 'all.yaml');
    assert.deepEqual(set.objects.map((o) => `${o.kind}/${o.metadata?.name}`), ['Deployment/web', 'Pod/p1', 'Pod/p2']);
    assert.deepEqual(set.owners.map((o) => o.metadata?.name), ['web-1']);
    assert.deepEqual(set.nodes.map((o) => o.metadata?.name), ['n1']);
    assert.equal(set.ignored, 1);
    assert.deepEqual(set.errors, []);
  });

  it('reads JSON (`kubectl get -o json`)', () => {
    const set = parseDocuments(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } }] }), 'pods.json');
    assert.equal(set.objects.length, 1);
  });

  it('a broken document is reported with file and line; the others are read', () => {
    const set = parseDocuments('kind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c, image: x}]}\n---\nkind: Pod\nmetadata: {name: [unclosed\n---\n- just\n- a list\n', 'bad.yaml');
    assert.equal(set.objects.length, 1);
    assert.equal(set.errors.length, 2);
    assert.ok(set.errors.every((e) => e.code === 'DOCUMENT_INVALID'));
    assert.match(set.errors[0]!.message, /^bad\.yaml line \d+: /);
    assert.match(set.errors[1]!.message, /^bad\.yaml document 3: not a Kubernetes object \(got a list\)/);
  });

  it('documentLookups serves owners and node platforms from the documents', async () => {
    const set = parseDocuments(
      `kind: ReplicaSet
metadata: {name: web-1, namespace: default, ownerReferences: [{kind: Deployment, name: web}]}
---
kind: Node
metadata: {name: n1, labels: {kubernetes.io/arch: arm64, kubernetes.io/os: linux}}
`,
      'x.yaml',
    );
    const l = documentLookups(set);
    assert.equal((await l.owners.replicaSet!('web-1', 'default'))?.metadata?.name, 'web-1');
    assert.equal(await l.owners.replicaSet!('web-1', 'other'), undefined);
    assert.deepEqual(await l.nodePlatform('n1'), { os: 'linux', architecture: 'arm64' });
    assert.equal(await l.nodePlatform('n2'), undefined);
  });
});
