import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiVersionOf, collectionPath, objectPath, RESOURCES, resourceForKind, WATCH_RESOURCES } from './resources.ts';

describe('WATCH_RESOURCES', () => {
  // The same six plurals config/watch.ts parses `watchResources` into (k8s-copycat §6.5).
  it('knows exactly the six kinds, in k8s-copycat order', () => {
    assert.deepEqual([...WATCH_RESOURCES], ['deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'pods']);
  });
});

describe('paths', () => {
  it('builds core, grouped, namespaced and cluster-wide paths', () => {
    assert.equal(collectionPath(RESOURCES.pods), '/api/v1/pods');
    assert.equal(collectionPath(RESOURCES.pods, 'team-a'), '/api/v1/namespaces/team-a/pods');
    assert.equal(collectionPath(RESOURCES.cronjobs, 'x'), '/apis/batch/v1/namespaces/x/cronjobs');
    assert.equal(collectionPath(RESOURCES.nodes, 'ignored'), '/api/v1/nodes');
    assert.equal(objectPath(RESOURCES.leases, 'k8s-copycat.k8s-copycat', 'ops'), '/apis/coordination.k8s.io/v1/namespaces/ops/leases/k8s-copycat.k8s-copycat');
    assert.equal(objectPath(RESOURCES.nodes, 'worker-1'), '/api/v1/nodes/worker-1');
    assert.equal(objectPath(RESOURCES.namespaces, 'default'), '/api/v1/namespaces/default');
  });

  it('names apiVersions and finds resources by kind', () => {
    assert.equal(apiVersionOf(RESOURCES.pods), 'v1');
    assert.equal(apiVersionOf(RESOURCES.deployments), 'apps/v1');
    assert.equal(resourceForKind('StatefulSet'), RESOURCES.statefulsets);
    assert.equal(resourceForKind('Widget'), undefined);
  });
});
