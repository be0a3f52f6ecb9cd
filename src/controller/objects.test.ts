import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, PodLike } from '../kube/index.ts';
import { isActivePod, keyOf, kindOf, podOwnerName, refOf, slimObject } from './objects.ts';

describe('objects', () => {
  it('kinds, refs and keys', () => {
    assert.equal(kindOf({ kind: 'Deployment' }), 'Deployment');
    assert.equal(kindOf({ kind: 'ReplicaSet' }), undefined);
    assert.equal(kindOf({ spec: { containers: [] } } as KubeObject), 'Pod');
    assert.equal(refOf({ kind: 'Pod', metadata: {} }), undefined);
    assert.equal(keyOf(refOf({ kind: 'Job', metadata: { name: 'j', namespace: 'ns' } })!), 'Job/ns/j');
  });

  it('slimObject keeps what planning needs and drops the rest', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n', labels: { app: 'x', 'pod-template-hash': 'h' }, annotations: { big: 'x'.repeat(1000) }, managedFields: [{}], ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: 'secret' }] }], nodeName: 'n1', volumes: [{}] },
      status: { phase: 'Running', podIP: '1.2.3.4', containerStatuses: [{ name: 'c', image: 'nginx', imageID: 'docker://x', state: {} }] },
    } as unknown as KubeObject;
    assert.deepEqual(slimObject(pod), {
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n', labels: { 'pod-template-hash': 'h' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'nginx' }], nodeName: 'n1' },
      status: { phase: 'Running', containerStatuses: [{ name: 'c', imageID: 'docker://x' }] },
    });
    const cron = { kind: 'CronJob', metadata: { name: 'c', namespace: 'n' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'b', args: ['x'] }] } } } } } } as unknown as KubeObject;
    assert.deepEqual(slimObject(cron), { kind: 'CronJob', metadata: { name: 'c', namespace: 'n' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }] } } } } } });
  });

  it('slimObject keeps the pull secret and service account names of pods and templates (usePodPullSecrets)', () => {
    const spec = { containers: [{ name: 'c', image: 'i' }], imagePullSecrets: [{ name: 'regcred', extra: 1 }], serviceAccountName: 'builder', serviceAccount: 'builder' };
    const want = { containers: [{ name: 'c', image: 'i' }], imagePullSecrets: [{ name: 'regcred' }], serviceAccountName: 'builder' };
    assert.deepEqual((slimObject({ kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec } as KubeObject) as PodLike).spec, want);
    const deployment = slimObject({ kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec: { containers: [], serviceAccount: 'legacy' } } } } as KubeObject);
    assert.deepEqual((deployment as unknown as { spec: { template: { spec: unknown } } }).spec.template.spec, { containers: [], serviceAccountName: 'legacy' });
  });

  it('isActivePod: Pending, Running and no status', () => {
    assert.deepEqual(['Pending', 'Running', undefined, 'Succeeded', 'Failed'].map((phase) => isActivePod({ status: phase === undefined ? undefined : { phase } } as PodLike)), [true, true, true, false, false]);
  });

  it('podOwnerName: owner lookups first, then the pod-template-hash rule, then the owner or pod name', async () => {
    const p = (owner?: { kind: string; name: string }, hash?: string): PodLike => ({
      kind: 'Pod',
      metadata: { name: 'web-abc-xyz', namespace: 'd', ...(hash ? { labels: { 'pod-template-hash': hash } } : {}), ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
    });
    assert.equal(await podOwnerName(p()), 'web-abc-xyz');
    assert.equal(await podOwnerName(p({ kind: 'ReplicaSet', name: 'web-abc' }, 'abc')), 'web');
    assert.equal(await podOwnerName(p({ kind: 'ReplicaSet', name: 'web-abc' })), 'web-abc');
    assert.equal(await podOwnerName(p({ kind: 'StatefulSet', name: 'db' })), 'db');
    const lookups = { replicaSet: async () => ({ metadata: { ownerReferences: [{ kind: 'Deployment', name: 'frontend' }] } }) };
    assert.equal(await podOwnerName(p({ kind: 'ReplicaSet', name: 'web-abc' }, 'abc'), lookups), 'frontend');
  });
});
