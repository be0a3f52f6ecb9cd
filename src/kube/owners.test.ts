import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectLookup } from './lookup.ts';
import { ownerChains, topOwner } from './owners.ts';
import type { KubeObject, PodLike } from './types.ts';

const store: KubeObject[] = [
  { kind: 'ReplicaSet', metadata: { namespace: 'ns', name: 'web-7d9c5', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] } },
  { kind: 'ReplicaSet', metadata: { namespace: 'ns', name: 'bare-rs' } },
  { kind: 'Job', metadata: { namespace: 'ns', name: 'nightly-1', ownerReferences: [{ kind: 'CronJob', name: 'nightly' }] } },
];
const lookup = (kind: string): ObjectLookup<KubeObject> => async (name, namespace) => store.find((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === namespace);
const lookups = { replicaSet: lookup('ReplicaSet'), job: lookup('Job') };
const pod = (...owners: Array<{ kind: string; name: string; controller?: boolean }>): PodLike => ({ kind: 'Pod', metadata: { namespace: 'ns', name: 'p', ownerReferences: owners } });

describe('ownerChains', () => {
  it('walks Pod → ReplicaSet → Deployment and Pod → Job → CronJob', async () => {
    assert.deepEqual(await ownerChains(pod({ kind: 'ReplicaSet', name: 'web-7d9c5' }), lookups), [
      [
        { kind: 'ReplicaSet', namespace: 'ns', name: 'web-7d9c5' },
        { kind: 'Deployment', namespace: 'ns', name: 'web' },
      ],
    ]);
    assert.deepEqual(await ownerChains(pod({ kind: 'Job', name: 'nightly-1' }), lookups), [
      [
        { kind: 'Job', namespace: 'ns', name: 'nightly-1' },
        { kind: 'CronJob', namespace: 'ns', name: 'nightly' },
      ],
    ]);
  });

  it('stops at an owner that has no parent, does not exist, or cannot be looked up', async () => {
    assert.deepEqual(await ownerChains(pod({ kind: 'ReplicaSet', name: 'bare-rs' }), lookups), [[{ kind: 'ReplicaSet', namespace: 'ns', name: 'bare-rs' }]]);
    assert.deepEqual(await ownerChains(pod({ kind: 'ReplicaSet', name: 'deleted' }), lookups), [[{ kind: 'ReplicaSet', namespace: 'ns', name: 'deleted' }]]);
    assert.deepEqual(await ownerChains(pod({ kind: 'ReplicaSet', name: 'web-7d9c5' }), {}), [[{ kind: 'ReplicaSet', namespace: 'ns', name: 'web-7d9c5' }]]);
    assert.deepEqual(await ownerChains(pod({ kind: 'StatefulSet', name: 'db' }), lookups), [[{ kind: 'StatefulSet', namespace: 'ns', name: 'db' }]]);
  });

  it('gives one chain per owner reference and ignores incomplete references', async () => {
    const chains = await ownerChains(pod({ kind: 'DaemonSet', name: 'agent' }, { kind: '', name: 'x' }, { kind: 'Job', name: 'nightly-1' }), lookups);
    assert.equal(chains.length, 2);
    assert.deepEqual(await ownerChains({ metadata: { name: 'lonely' } }, lookups), []);
  });
});

describe('topOwner', () => {
  it('returns the top of the controller owner’s chain', async () => {
    const p = pod({ kind: 'DaemonSet', name: 'agent' }, { kind: 'ReplicaSet', name: 'web-7d9c5', controller: true });
    assert.deepEqual(await topOwner(p, lookups), { kind: 'Deployment', namespace: 'ns', name: 'web' });
  });

  it('uses the first owner without a controller flag, and the Pod itself without owners', async () => {
    assert.deepEqual(await topOwner(pod({ kind: 'Job', name: 'nightly-1' }), lookups), { kind: 'CronJob', namespace: 'ns', name: 'nightly' });
    assert.deepEqual(await topOwner({ kind: 'Pod', metadata: { namespace: 'ns', name: 'solo' } }, lookups), { kind: 'Pod', namespace: 'ns', name: 'solo' });
  });
});
