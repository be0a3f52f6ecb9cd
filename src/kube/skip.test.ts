import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectLookup } from './lookup.ts';
import { NameMatcher, namespaceAllowed, shouldSkipPod } from './skip.ts';
import type { KubeObject, PodLike } from './types.ts';

describe('NameMatcher', () => {
  // k8s-copycat TestNameMatcherMatches (§6.5).
  it('matches bare names anywhere and ns/name only in that namespace', () => {
    const m = new NameMatcher(['copycat', 'prod/only', 'dev/app']);
    assert.equal(m.matches('default', 'copycat'), true);
    assert.equal(m.matches('prod', 'only'), true);
    assert.equal(m.matches('dev', 'app'), true);
    assert.equal(m.matches('dev', 'only'), false);
    assert.equal(m.matches('prod', 'app'), false);
    assert.equal(m.matches('default', 'copycat-2'), false);
  });

  it('matches everything with a lone *', () => {
    const m = new NameMatcher(['*']);
    assert.equal(m.matches('ns', 'anything'), true);
    assert.equal(m.empty, false);
  });

  it('trims entries, ignores blanks and entries with an empty side, and has no other globs', () => {
    const m = new NameMatcher(['  web ', '', '   ', '/x', 'y/', 'app-*']);
    assert.equal(m.matches('any', 'web'), true);
    assert.equal(m.matches('', 'x'), false);
    assert.equal(m.matches('y', ''), false);
    assert.equal(m.matches('any', 'app-1'), false);
    assert.equal(m.matches('any', 'app-*'), true);
    assert.equal(new NameMatcher(['', ' /', 'a/']).empty, true);
  });
});

describe('namespaceAllowed', () => {
  // k8s-copycat TestNamespaceFiltering (§6.5).
  it('allows all namespaces with * except skipped ones', () => {
    assert.equal(namespaceAllowed('kube-system', '*', ['kube-system']), false);
    assert.equal(namespaceAllowed('default', '*', ['kube-system']), true);
  });

  it('lets skip beat include, and refuses namespaces outside an explicit list', () => {
    assert.equal(namespaceAllowed('prod', ['prod', 'default'], ['prod']), false);
    assert.equal(namespaceAllowed('default', ['prod', 'default'], ['prod']), true);
    assert.equal(namespaceAllowed('dev', ['prod', 'default'], ['prod']), false);
  });

  it('allows nothing for an empty scope (deliberate difference, see namespaces.ts)', () => {
    assert.equal(namespaceAllowed('default', []), false);
  });
});

describe('shouldSkipPod', () => {
  // k8s-copycat TestPodReconcilerShouldSkip (§6.5): owners resolved through lookups; NotFound is "don't skip".
  const objects: KubeObject[] = [
    { kind: 'ReplicaSet', metadata: { namespace: 'default', name: 'copycat-abc', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'copycat', controller: true }] } },
    { kind: 'Job', metadata: { namespace: 'default', name: 'nightly-123', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', controller: true }] } },
  ];
  const calls: string[] = [];
  const lookupOf = (kind: string): ObjectLookup<KubeObject> => async (name, namespace) => {
    calls.push(`${kind} ${namespace}/${name}`);
    return objects.find((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === namespace);
  };
  const lookups = { replicaSet: lookupOf('ReplicaSet'), job: lookupOf('Job') };
  const lists = {
    deployments: new NameMatcher(['copycat']),
    statefulSets: new NameMatcher(['db']),
    daemonSets: new NameMatcher(['node-agent']),
    jobs: new NameMatcher([]),
    cronJobs: new NameMatcher(['nightly']),
  };
  const pod = (name: string, kind: string, owner: string): PodLike => ({ kind: 'Pod', metadata: { namespace: 'default', name, ownerReferences: [{ kind, name: owner, controller: true }] } });

  it('skips pods whose owner chain reaches a skipped workload', async () => {
    assert.equal(await shouldSkipPod(pod('copycat-abc-def', 'ReplicaSet', 'copycat-abc'), lists, lookups), true);
    assert.equal(await shouldSkipPod(pod('nightly-123-xyz', 'Job', 'nightly-123'), lists, lookups), true);
    assert.equal(await shouldSkipPod(pod('db-0', 'StatefulSet', 'db'), lists, lookups), true);
    assert.equal(await shouldSkipPod(pod('node-agent-123', 'DaemonSet', 'node-agent'), lists, lookups), true);
  });

  it('does not skip when the owner ReplicaSet does not exist', async () => {
    assert.equal(await shouldSkipPod(pod('other-123', 'ReplicaSet', 'other-123'), lists, lookups), false);
  });

  it('skips on the pods list and on a directly listed Job without any lookup', async () => {
    calls.length = 0;
    assert.equal(await shouldSkipPod(pod('p', 'Job', 'once'), { pods: new NameMatcher(['default/p']) }, lookups), true);
    assert.equal(await shouldSkipPod(pod('q', 'Job', 'once'), { jobs: new NameMatcher(['once']) }, lookups), true);
    assert.deepEqual(calls, []);
  });

  it('does not look owners up when no Deployment or CronJob list could match', async () => {
    calls.length = 0;
    assert.equal(await shouldSkipPod(pod('copycat-abc-def', 'ReplicaSet', 'copycat-abc'), { statefulSets: new NameMatcher(['db']) }, lookups), false);
    assert.deepEqual(calls, []);
  });

  it('propagates lookup errors other than not-found', async () => {
    const failing = { replicaSet: async (): Promise<KubeObject | undefined> => Promise.reject(new Error('boom')) };
    await assert.rejects(shouldSkipPod(pod('x', 'ReplicaSet', 'x-1'), lists, failing), /boom/);
  });
});
