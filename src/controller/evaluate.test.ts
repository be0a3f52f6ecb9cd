import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../kube/index.ts';
import { documentLookups, parseDocuments } from './documents.ts';
import { evaluateObject, namespaceFilter, skipListsFrom, type Evaluation, type ObjectFilters } from './evaluate.ts';
import { defaultRules } from './rules.ts';
import { pod, workload } from './test-support.fixture.ts';

const NO_SKIPS = { deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods: [] };
const ALL: ObjectFilters = { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS) };
const rules = defaultRules('example.com');

function uses(e: Evaluation): string[] {
  assert.equal(e.kind, 'uses', JSON.stringify(e));
  return e.kind === 'uses' ? e.uses.map((u) => `${u.user.container}=${u.decision.kind === 'mirror' ? u.decision.plan.target.toString() : u.decision.kind}`) : [];
}

describe('evaluateObject (§2.2, §2.5, §2.7)', () => {
  it('TestNameMatcherMatches: name, ns/name and * entries', async () => {
    const filters = { ...ALL, skip: skipListsFrom({ ...NO_SKIPS, deployments: ['copycat', 'prod/only', 'dev/app'] }) };
    const ignored = async (ns: string, name: string) => (await evaluateObject(workload('Deployment', ns, name, [{ name: 'c', image: 'nginx' }]), rules, filters)).kind === 'ignored';
    assert.equal(await ignored('default', 'copycat'), true);
    assert.equal(await ignored('prod', 'only'), true);
    assert.equal(await ignored('dev', 'app'), true);
    assert.equal(await ignored('default', 'only'), false);
    const all = { ...ALL, skip: skipListsFrom({ ...NO_SKIPS, pods: ['*'] }) };
    assert.equal((await evaluateObject(pod('ns', 'anything', [{ name: 'c', image: 'nginx' }]), rules, all)).kind, 'ignored');
  });

  it('TestNamespaceFiltering: skip beats include', async () => {
    const allowAll = namespaceFilter('*', ['kube-system']);
    assert.equal(allowAll('kube-system'), false);
    assert.equal(allowAll('default'), true);
    const listed = namespaceFilter(['prod', 'default'], ['prod']);
    assert.equal(listed('prod'), false);
    assert.equal(listed('default'), true);
    assert.equal(listed('dev'), false);
    const e = await evaluateObject(pod('kube-system', 'x', [{ name: 'c', image: 'nginx' }]), rules, { ...ALL, namespaceAllowed: allowAll });
    assert.deepEqual(e.kind === 'ignored' && e.reason, 'namespace');
  });

  it('TestPodReconcilerShouldSkip: pods of skipped owners, through ReplicaSets and Jobs', async () => {
    const docs = parseDocuments(
      `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: copycat-abc, namespace: default, ownerReferences: [{kind: Deployment, name: copycat}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: nightly-123, namespace: default, ownerReferences: [{kind: CronJob, name: nightly}]}
`,
      'owners.yaml',
    );
    const filters: ObjectFilters = {
      ...ALL,
      skip: skipListsFrom({ ...NO_SKIPS, deployments: ['copycat'], statefulSets: ['db'], daemonSets: ['node-agent'], cronJobs: ['nightly'] }),
      owners: documentLookups(docs).owners,
    };
    const owned = (name: string, kind: string, owner: string) => pod('default', name, [{ name: 'c', image: 'nginx' }], { owner: { kind, name: owner } });
    const reason = async (p: KubeObject) => {
      const e = await evaluateObject(p, rules, filters);
      return e.kind === 'ignored' ? e.reason : 'kept';
    };
    assert.equal(await reason(owned('copycat-abc-def', 'ReplicaSet', 'copycat-abc')), 'owner-skipped');
    assert.equal(await reason(owned('nightly-123-xyz', 'Job', 'nightly-123')), 'owner-skipped');
    assert.equal(await reason(owned('db-0', 'StatefulSet', 'db')), 'owner-skipped');
    assert.equal(await reason(owned('node-agent-123', 'DaemonSet', 'node-agent')), 'owner-skipped');
    assert.equal(await reason(owned('other-123', 'ReplicaSet', 'other-123')), 'kept');
  });

  it('TestPodReconcilerNodePlatformToggle: the node is looked up only with checkNodePlatform', async () => {
    let lookups = 0;
    const filters: ObjectFilters = { ...ALL, nodePlatform: async () => (lookups++, { os: 'linux', architecture: 'amd64' }) };
    const p = pod('default', 'demo', [{ name: 'c', image: 'nginx' }], { node: 'worker-1' });
    const off = await evaluateObject(p, defaultRules('example.com', { repoPrefix: '$arch' }), filters);
    assert.deepEqual(uses(off), ['c=example.com/library/nginx:latest']);
    assert.equal(lookups, 0);
    const on = await evaluateObject(p, defaultRules('example.com', { repoPrefix: '$arch', checkNodePlatform: true }), filters);
    assert.deepEqual(uses(on), ['c=example.com/amd64/library/nginx:latest']);
    assert.equal(lookups, 1);
  });

  it('workloads: template images in order (init, containers), the workload name as $podname, no imageID', async () => {
    const r = defaultRules('example.com', { repoPrefix: '$podname/$container_name' });
    const cron = workload('CronJob', 'ops', 'nightly', [{ name: 'run', image: 'busybox:1' }]);
    assert.deepEqual(uses(await evaluateObject(cron, r, ALL)), ['run=example.com/nightly/run/library/busybox:1']);
    const dep: KubeObject = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { template: { spec: { initContainers: [{ name: 'init-db', image: 'busybox:1' }], containers: [{ name: 'app', image: 'nginx:1' }, { name: 'sidecar', image: 'busybox:1' }] } } },
    } as KubeObject;
    assert.deepEqual(uses(await evaluateObject(dep, r, ALL)), ['init-db=example.com/web/init-db/library/busybox:1', 'app=example.com/web/app/library/nginx:1', 'sidecar=example.com/web/sidecar/library/busybox:1']);
  });

  it('a Pod\'s $podname is its owning workload (ReplicaSet name minus pod-template-hash), not the pod instance', async () => {
    const r = defaultRules('example.com', { repoPrefix: '$podname' });
    const p = pod('default', 'web-7d9c5-abcde', [{ name: 'c', image: 'nginx:1' }], { owner: { kind: 'ReplicaSet', name: 'web-7d9c5' }, hash: '7d9c5' });
    assert.deepEqual(uses(await evaluateObject(p, r, ALL)), ['c=example.com/web/library/nginx:1']);
    const bare = pod('default', 'debug', [{ name: 'c', image: 'nginx:1' }]);
    assert.deepEqual(uses(await evaluateObject(bare, r, ALL)), ['c=example.com/debug/library/nginx:1']);
  });

  it('only Pending and Running pods (and manifests without a status) count', async () => {
    for (const phase of ['Succeeded', 'Failed', 'Unknown']) {
      const e = await evaluateObject(pod('default', 'p', [{ name: 'c', image: 'nginx' }], { phase }), rules, ALL);
      assert.equal(e.kind === 'ignored' && e.reason, 'inactive', phase);
    }
    const manifest: KubeObject = { kind: 'Pod', metadata: { name: 'm', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject;
    assert.equal((await evaluateObject(manifest, rules, ALL)).kind, 'uses');
  });

  it('kinds outside watchResources and unknown kinds are ignored', async () => {
    const e = await evaluateObject(workload('StatefulSet', 'default', 'db', [{ name: 'c', image: 'pg' }]), rules, { ...ALL, kinds: new Set(['Pod']) });
    assert.equal(e.kind === 'ignored' && e.reason, 'kind');
    assert.equal((await evaluateObject({ kind: 'Service', metadata: { name: 's' } }, rules, ALL)).kind, 'ignored');
  });
});
