/**
 * The kube module with the real `@kubernetes/client-node` against the in-process API server
 * (ARCHITECTURE §5): initial list and events, 410 → relist with nothing lost or repeated, dropped
 * and stalled streams, errors with backoff, namespace scoping, paging, leader election on one
 * Lease, and the Pod path of k8s-copycat's force reconcile (images, imageIDs, node platform).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  ClusterWatches,
  KubeClient,
  LeaderElector,
  LeaseClient,
  NameMatcher,
  RESOURCES,
  ResourceWatch,
  extractImages,
  loadKubeConfig,
  resolveNamespaces,
  shouldSkipPod,
  type KubeObject,
  type ResourceWatchOptions,
  type WatchStatusEvent,
} from '../src/kube/index.ts';
import { startKubeApiServer, type FakeKubeApiServer, type KObject } from './support/kube-apiserver.ts';

const FAST = { backoff: { initialMs: 50, maxMs: 400, jitter: 0 }, watchdogMs: 5_000 } as const;

const pod = (name: string, namespace = 'default', extra: Partial<KObject> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'app', image: `registry.example.com/${name}:1` }] },
  ...extra,
});

function clientFor(api: FakeKubeApiServer): KubeClient {
  return new KubeClient(loadKubeConfig({ kubeconfig: api.writeKubeconfig(), env: {} }).config);
}

async function waitFor(what: string, probe: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Stops whatever a test started, even when it failed half-way (a running watch would keep the process alive). */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((stop) => stop()));
});

/** A watch whose handlers record `add|update|delete ns/name@rv` lines and whose status events are kept. */
function recordedWatch(client: KubeClient, options: Partial<ResourceWatchOptions<KubeObject>> = {}) {
  const events: string[] = [];
  const statuses: WatchStatusEvent[] = [];
  const line = (verb: string, o: KubeObject): string => `${verb} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  const watch = new ResourceWatch<KubeObject>({
    ...FAST,
    client,
    resource: RESOURCES.pods,
    onAdd: (o) => events.push(line('add', o)),
    onUpdate: (o, old) => events.push(`${line('update', o)} (was ${old.metadata?.resourceVersion})`),
    onDelete: (o) => events.push(line('delete', o)),
    onStatus: (s) => statuses.push(s),
    ...options,
  });
  cleanups.push(() => watch.stop());
  return { watch, events, statuses };
}

const names = (objs: KubeObject[]): string[] => objs.map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`).sort();
const lists = (api: FakeKubeApiServer, path = '/api/v1/pods'): number => api.requests.filter((r) => r.path === path && !r.watch && r.method === 'GET').length;

describe('ResourceWatch with the real client', () => {
  let api: FakeKubeApiServer;
  let client: KubeClient;
  before(async () => {
    api = await startKubeApiServer();
    client = clientFor(api);
  });
  after(() => api.stop());

  it('lists, then delivers adds, updates and deletes once each', async () => {
    api.create(pod('a'));
    api.create(pod('b', 'other', { metadata: { name: 'b', namespace: 'other', managedFields: [{ manager: 'kubectl' }] } }));
    const { watch, events } = recordedWatch(client);
    watch.start();
    await watch.synced;
    assert.equal(watch.hasSynced(), true);
    assert.deepEqual(names(watch.list()), ['default/a', 'other/b']);
    const b = watch.get('b', 'other');
    assert.equal(b?.kind, 'Pod', 'list items get their kind back');
    assert.equal(b?.apiVersion, 'v1');
    assert.equal(b?.metadata?.managedFields, undefined, 'managedFields are dropped');
    await waitFor('the watch', () => api.watchCount('pods') === 1);
    const c = api.create(pod('c'));
    api.update({ ...pod('c'), spec: { containers: [{ name: 'app', image: 'registry.example.com/c:2' }] } });
    api.delete(pod('a'));
    await waitFor('three events', () => events.length === 5);
    assert.deepEqual(events.slice(2), [
      `add default/c@${c.metadata?.resourceVersion}`,
      `update default/c@${Number(c.metadata?.resourceVersion) + 1} (was ${c.metadata?.resourceVersion})`,
      `delete default/a@${Number(c.metadata?.resourceVersion) + 2}`,
    ]);
    assert.equal(watch.healthy(), true);
    assert.equal(lists(api), 1);
    await watch.stop();
    assert.equal(watch.healthy(), false);
    for (const p of ['b', 'c']) api.delete(pod(p, p === 'b' ? 'other' : 'default'));
  });

  for (const goneAs of ['event', 'status'] as const) {
    it(`relists after 410 (${goneAs === 'event' ? 'ERROR event' : 'HTTP 410'}) with nothing lost or repeated`, async () => {
      const server = await startKubeApiServer({ goneAs });
      try {
        const c = clientFor(server);
        for (const n of ['keep', 'change', 'remove']) server.create(pod(n));
        const { watch, events, statuses } = recordedWatch(c);
        watch.start();
        await watch.synced;
        await waitFor('the watch', () => server.watchCount('pods') === 1);
        // All in one tick: the client cannot see any of it live, and its version is compacted away.
        server.dropWatches();
        server.create(pod('new'));
        server.update({ ...pod('change'), spec: { containers: [{ name: 'app', image: 'registry.example.com/change:2' }] } });
        server.delete(pod('remove'));
        server.compact();
        await waitFor('the relist', () => lists(server) === 2 && events.length === 6);
        await new Promise((r) => setTimeout(r, 100));
        const after = events.slice(3).map((e) => e.replace(/@\d+.*/, ''));
        assert.deepEqual(after.sort(), ['add default/new', 'delete default/remove', 'update default/change']);
        assert.deepEqual(names(watch.list()), ['default/change', 'default/keep', 'default/new']);
        assert.equal(watch.get('change', 'default')?.metadata?.resourceVersion, server.get('v1', 'Pod', 'change', 'default')?.metadata?.resourceVersion);
        assert.ok(statuses.some((s) => s.type === 'gone'));
        // And it keeps watching from the fresh list.
        server.create(pod('later'));
        await waitFor('the next event', () => events.length === 7);
        await watch.stop();
      } finally {
        await server.stop();
      }
    });
  }

  it('re-watches a dropped stream from its last version without relisting', async () => {
    const { watch, events, statuses } = recordedWatch(client, { resource: RESOURCES.deployments });
    const deploy = (name: string): KObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'drop' }, spec: { template: {} } });
    api.create(deploy('d1'));
    watch.start();
    await watch.synced;
    await waitFor('the watch', () => api.watchCount('deployments') === 1);
    const lastRv = api.resourceVersion;
    api.dropWatches();
    api.create(deploy('d2'));
    await waitFor('the replayed event', () => events.length === 2);
    const watches = api.requests.filter((r) => r.watch && r.path === '/apis/apps/v1/deployments');
    assert.equal(watches.length, 2);
    assert.equal(watches[1]?.query.resourceVersion, lastRv);
    assert.equal(watches[1]?.query.allowWatchBookmarks, 'true');
    assert.equal(lists(api, '/apis/apps/v1/deployments'), 1);
    assert.ok(statuses.some((s) => s.type === 'error' && s.error.code === 'KUBE_NETWORK'));
    // A clean end (the server's own timeout) re-watches at once.
    api.dropWatches({ graceful: true });
    await waitFor('the third watch', () => api.watchCount('deployments') === 1);
    api.create(deploy('d3'));
    await waitFor('the third event', () => events.length === 3);
    assert.equal(lists(api, '/apis/apps/v1/deployments'), 1);
    assert.deepEqual(events.map((e) => e.split('@')[0]), ['add drop/d1', 'add drop/d2', 'add drop/d3']);
    await watch.stop();
  });

  it('restarts a stalled stream through its watchdog, long before client-node’s own 30 s timeout', async () => {
    const { watch, events, statuses } = recordedWatch(client, { resource: RESOURCES.statefulsets, watchdogMs: 300 });
    watch.start();
    await watch.synced;
    await waitFor('the watch', () => api.watchCount('statefulsets') === 1);
    const started = Date.now();
    api.stallWatches(800);
    api.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'stall' }, spec: { template: {} } });
    await waitFor('the event after the stall', () => events.length === 1, 6_000);
    const took = Date.now() - started;
    assert.ok(took >= 800 && took < 4_000, `took ${took} ms`);
    assert.ok(statuses.some((s) => s.type === 'stalled'));
    assert.equal(lists(api, '/apis/apps/v1/statefulsets'), 1, 'a stall re-watches, it does not relist');
    await watch.stop();
  });

  it('scopes to namespaces: one watch per namespace, nothing from the others', async () => {
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) api.create(pod(`p-${ns}`, ns));
    const before = api.requests.length;
    const { watch, events } = recordedWatch(client, { namespaces: ['ns-a', 'ns-b', 'ns-a'] });
    watch.start();
    await watch.synced;
    assert.deepEqual(names(watch.list()), ['ns-a/p-ns-a', 'ns-b/p-ns-b']);
    await waitFor('two watches', () => api.watchCount('pods') === 2);
    api.create(pod('q', 'ns-c'));
    api.create(pod('q', 'ns-b'));
    await waitFor('the ns-b event', () => events.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(events.map((e) => e.split('@')[0]).sort(), ['add ns-a/p-ns-a', 'add ns-b/p-ns-b', 'add ns-b/q']);
    const paths = new Set(api.requests.slice(before).map((r) => r.path));
    assert.deepEqual([...paths].sort(), ['/api/v1/namespaces/ns-a/pods', '/api/v1/namespaces/ns-b/pods']);
    await watch.stop();

    const none = recordedWatch(client, { namespaces: [] });
    const count = api.requests.length;
    none.watch.start();
    await none.watch.synced;
    assert.equal(none.watch.healthy(), true);
    assert.equal(api.requests.length, count, 'an empty scope makes no request');
    await none.watch.stop();
  });

  it('ignores the namespace scope for cluster-scoped resources', async () => {
    api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-9' } });
    const { watch } = recordedWatch(client, { resource: RESOURCES.nodes, namespaces: ['ns-a'] });
    watch.start();
    await watch.synced;
    assert.ok(watch.get('worker-9', 'ignored'));
    await waitFor('the cluster-wide node watch', () => api.requests.some((r) => r.path === '/api/v1/nodes' && r.watch));
    await watch.stop();
  });

  it('backs off on errors with growing delays, never stops, and recovers', async () => {
    api.failNext({ path: /^\/apis\/batch\/v1\/jobs$/, watch: false, status: 500, times: 3 });
    api.failNext({ path: /^\/apis\/batch\/v1\/jobs$/, watch: true, status: 403, reason: 'Forbidden', times: 1 });
    const { watch, events, statuses } = recordedWatch(client, { resource: RESOURCES.jobs });
    api.create({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j1', namespace: 'err' }, spec: { template: {} } });
    watch.start();
    await watch.synced;
    await waitFor('the watch after the 403', () => api.watchCount('jobs') === 1);
    const errors = statuses.filter((s): s is Extract<WatchStatusEvent, { type: 'error' }> => s.type === 'error');
    assert.deepEqual(errors.map((e) => e.error.code), ['KUBE_SERVER_ERROR', 'KUBE_SERVER_ERROR', 'KUBE_SERVER_ERROR', 'KUBE_FORBIDDEN']);
    assert.deepEqual(errors.map((e) => e.retryInMs), [50, 100, 200, 400]);
    api.create({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j2', namespace: 'err' }, spec: { template: {} } });
    await waitFor('the live event', () => events.length === 2);
    await watch.stop();
  });

  it('reports a throwing handler and keeps the stream alive', async () => {
    let calls = 0;
    const { watch, statuses } = recordedWatch(client, {
      resource: RESOURCES.daemonsets,
      onAdd: () => {
        calls++;
        throw new Error('handler bug');
      },
    });
    watch.start();
    await watch.synced;
    await waitFor('the watch', () => api.watchCount('daemonsets') === 1);
    for (const n of ['x', 'y']) api.create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: n, namespace: 'h' }, spec: { template: {} } });
    await waitFor('both adds', () => calls === 2);
    assert.equal(statuses.filter((s) => s.type === 'handler-error').length, 2);
    assert.equal(watch.size, 2);
    await watch.stop();
  });

  it('pages the initial list with limit/continue', async () => {
    for (let i = 0; i < 5; i++) api.create({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: `cj-${i}`, namespace: 'paged' }, spec: {} });
    const { watch, statuses } = recordedWatch(client, { resource: RESOURCES.cronjobs, pageSize: 2 });
    watch.start();
    await watch.synced;
    assert.equal(watch.size, 5);
    const listed = statuses.find((s) => s.type === 'listed');
    assert.equal(listed?.type === 'listed' ? listed.pages : 0, 3);
    assert.equal(api.requests.filter((r) => r.path === '/apis/batch/v1/cronjobs' && r.query.continue).length, 2);
    await watch.stop();
  });

  it('never syncs against a server that refuses it; stop() rejects synced and healthy() is false', async () => {
    const other = await startKubeApiServer();
    try {
      // A client with the wrong token: every request is 401.
      const kc = loadKubeConfig({ kubeconfig: other.writeKubeconfig(), env: {} }).config;
      kc.users = [{ name: 'fake', token: 'wrong-token' }];
      const { watch, statuses } = recordedWatch(new KubeClient(kc), { resource: RESOURCES.replicasets });
      watch.start();
      await waitFor('two failures', () => statuses.filter((s) => s.type === 'error').length >= 2);
      const first = statuses.find((s) => s.type === 'error');
      assert.equal(first?.type === 'error' ? first.error.code : '', 'KUBE_UNAUTHORIZED');
      assert.equal(watch.healthy(), false);
      await watch.stop();
      await assert.rejects(watch.synced, { code: 'KUBE_WATCH_STOPPED' });
    } finally {
      await other.stop();
    }
  });
});

describe('KubeClient errors with the real client', () => {
  let api: FakeKubeApiServer;
  before(async () => {
    api = await startKubeApiServer();
  });
  after(() => api.stop());

  it('normalises 404, 409 and connection failures into coded KubeErrors', async () => {
    const client = clientFor(api);
    await assert.rejects(client.get('/api/v1/namespaces/x/pods/none'), { code: 'KUBE_NOT_FOUND', status: 404, reason: 'NotFound' });
    const leases = new LeaseClient(client, 'ops', 'l');
    assert.equal(await leases.get(), undefined);
    const created = await leases.create({ holderIdentity: 'a' });
    await assert.rejects(leases.create({ holderIdentity: 'b' }), { code: 'KUBE_ALREADY_EXISTS' });
    await leases.replace(created, { holderIdentity: 'b' });
    await assert.rejects(leases.replace(created, { holderIdentity: 'c' }), { code: 'KUBE_CONFLICT' });
    const kc = loadKubeConfig({ kubeconfig: api.writeKubeconfig(), env: {} }).config;
    kc.clusters = [{ name: 'fake', server: 'http://127.0.0.1:1', skipTLSVerify: true }];
    await assert.rejects(new KubeClient(kc).get('/api/v1/pods'), (err: Error & { code?: string }) => err.code === 'KUBE_NETWORK' && err.message.startsWith('GET /api/v1/pods: '));
  });

  it('rethrows the caller’s abort reason as is', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await assert.rejects(clientFor(api).get('/api/v1/pods', { signal: controller.signal }), (err) => err === reason);
  });

  it('validates configured namespaces against the cluster (k8s-copycat §2.6)', async () => {
    for (const ns of ['default', 'test-1', 'test-2']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const client = clientFor(api);
    const before = api.requests.length;
    assert.equal((await resolveNamespaces(client, ['*'])).scope, '*');
    assert.equal(api.requests.length, before, '* needs no API call');
    assert.deepEqual((await resolveNamespaces(client, ['default', 'test-*'])).scope, ['default', 'test-1', 'test-2']);
    await assert.rejects(resolveNamespaces(client, ['missing', 'default', 'also-missing']), { code: 'KUBE_NAMESPACE_MISSING', message: 'configured namespace(s) do not exist: also-missing, missing' });
  });
});

describe('leader election on one Lease', () => {
  let api: FakeKubeApiServer;
  before(async () => {
    api = await startKubeApiServer();
  });
  after(() => api.stop());

  const timings = { leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 300 };

  function candidate(id: string, name: string, log: string[]): LeaderElector {
    const elector = new LeaderElector({
      ...timings,
      client: clientFor(api),
      namespace: 'copycat',
      name,
      identity: id,
      onStartedLeading: (signal) => {
        log.push(`${id} started`);
        signal.addEventListener('abort', () => log.push(`${id} signal aborted`));
      },
      onStoppedLeading: () => log.push(`${id} stopped`),
    });
    cleanups.push(() => elector.stop({ release: false }));
    return elector;
  }

  it('lets exactly one of two candidates lead, and hands over at once on a clean stop', async () => {
    const log: string[] = [];
    const a = candidate('a', 'handover', log).start();
    const b = candidate('b', 'handover', log).start();
    await waitFor('a leader', () => a.isLeader() || b.isLeader());
    // Sample for a few renewal periods: never two leaders.
    for (let i = 0; i < 40; i++) {
      assert.equal(Number(a.isLeader()) + Number(b.isLeader()), 1, 'exactly one leader');
      await new Promise((r) => setTimeout(r, 25));
    }
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    const lease = api.get('coordination.k8s.io/v1', 'Lease', 'handover', 'copycat') as { spec: { holderIdentity: string; leaseTransitions: number; leaseDurationSeconds: number; renewTime: string } };
    assert.equal(lease.spec.holderIdentity, leader.identity);
    assert.equal(lease.spec.leaseDurationSeconds, 2);
    assert.match(lease.spec.renewTime, /\.\d{6}Z$/);
    assert.equal(follower.leader(), leader.identity);
    const stoppedAt = Date.now();
    await leader.stop();
    assert.deepEqual(log.slice(-2), [`${leader.identity} signal aborted`, `${leader.identity} stopped`]);
    await waitFor('the follower to take over', () => follower.isLeader(), 3_000);
    assert.ok(Date.now() - stoppedAt < 1_500, 'a released lease is taken without waiting out the duration');
    const after = api.get('coordination.k8s.io/v1', 'Lease', 'handover', 'copycat') as typeof lease;
    assert.equal(after.spec.holderIdentity, follower.identity);
    assert.equal(after.spec.leaseTransitions, lease.spec.leaseTransitions + 1);
    await follower.stop();
    assert.equal((api.get('coordination.k8s.io/v1', 'Lease', 'handover', 'copycat') as typeof lease).spec.holderIdentity, '');
  });

  it('takes over from a crashed leader only after the lease duration', async () => {
    const log: string[] = [];
    const first = candidate('first', 'crash', log).start();
    await waitFor('first leads', () => first.isLeader());
    const second = candidate('second', 'crash', log).start();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(second.isLeader(), false);
    // A crash: no release, the lease keeps naming the dead leader.
    await first.stop({ release: false });
    const crashedAt = Date.now();
    await waitFor('second takes over', () => second.isLeader(), 6_000);
    const waited = Date.now() - crashedAt;
    assert.ok(waited >= 1_200, `took over after ${waited} ms, before the 2 s lease could expire`);
    await second.stop();
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    const log: string[] = [];
    const leader = candidate('solo', 'partition', log).start();
    await waitFor('solo leads', () => leader.isLeader());
    api.failNext({ path: /\/leases\/partition$/, status: 500, times: Number.POSITIVE_INFINITY });
    const cutAt = Date.now();
    await waitFor('solo steps down', () => !leader.isLeader(), 4_000);
    assert.ok(Date.now() - cutAt <= timings.renewDeadlineMs + timings.retryPeriodMs + 500, 'stepped down within the renew deadline');
    assert.ok(log.includes('solo stopped'));
    api.clearFaults();
    await waitFor('solo leads again', () => leader.isLeader(), 4_000);
    await leader.stop();
  });

  it('refuses timings client-go would refuse', () => {
    assert.throws(() => new LeaderElector({ client: clientFor(api), namespace: 'x', leaseDurationMs: 1_000, renewDeadlineMs: 1_000 }), { code: 'KUBE_LEADER_CONFIG_INVALID' });
    assert.throws(() => new LeaderElector({ client: clientFor(api), namespace: ' ' }), { code: 'KUBE_LEADER_CONFIG_INVALID' });
  });
});

describe('ClusterWatches', () => {
  it('watches the configured kinds, resolves owners and node platforms lazily (force-reconcile pod path)', async () => {
    await using api = await startKubeApiServer();
    api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, status: { nodeInfo: { architecture: 'amd64', operatingSystem: 'linux' } } });
    api.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'copycat-abc', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'copycat', controller: true }] }, spec: {} });
    // k8s-copycat TestForceReconcilePodsUsesPodImageStatusAndNodePlatform (§6.5).
    api.create(
      pod('demo', 'default', {
        spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'docker.io/library/nginx:latest' }] },
        status: { phase: 'Running', containerStatuses: [{ name: 'app', imageID: 'containerd://docker.io/library/nginx@sha256:deadbeef' }] },
      }),
    );
    api.create(pod('copycat-abc-def', 'default', { metadata: { name: 'copycat-abc-def', namespace: 'default', ownerReferences: [{ kind: 'ReplicaSet', name: 'copycat-abc', controller: true }] } }));
    const seen: string[] = [];
    const cluster = new ClusterWatches({
      ...FAST,
      client: clientFor(api),
      resources: ['pods'],
      namespaces: '*',
      checkNodePlatform: true,
      onEvent: (e) => seen.push(`${e.resource} ${e.type} ${e.object.metadata?.name}`),
    }).start();
    cleanups.push(() => cluster.stop());
    await cluster.synced;
    assert.deepEqual([...cluster.watches.keys()], ['pods']);
    assert.deepEqual(seen.sort(), ['pods add copycat-abc-def', 'pods add demo']);
    assert.equal(api.requests.some((r) => r.path === '/api/v1/nodes' || r.path.includes('replicasets')), false, 'owner and node watches start lazily');

    const demo = cluster.list('pods').find((p) => p.metadata?.name === 'demo');
    assert.ok(demo);
    assert.deepEqual(extractImages(demo), [{ image: 'docker.io/library/nginx:latest', container: 'app', kind: 'container', imageID: 'docker.io/library/nginx@sha256:deadbeef' }]);
    assert.deepEqual(await cluster.nodes.forPod(demo), { os: 'linux', architecture: 'amd64' });

    const owned = cluster.list('pods').find((p) => p.metadata?.name === 'copycat-abc-def');
    assert.ok(owned);
    assert.equal(await shouldSkipPod(owned, { deployments: new NameMatcher(['copycat']) }, cluster.owners), true);
    assert.equal(await shouldSkipPod(demo, { deployments: new NameMatcher(['copycat']) }, cluster.owners), false);
    assert.ok(api.requests.some((r) => r.path === '/apis/apps/v1/replicasets'));
    assert.equal(cluster.healthy(), true);
    await cluster.stop();
    assert.equal(cluster.healthy(), false);
  });

  it('caches what the transform keeps, with the resourceVersion the watch needs, and keeps watching from it', async () => {
    await using api = await startKubeApiServer();
    api.create(pod('demo', 'default', { metadata: { name: 'demo', namespace: 'default', annotations: { big: 'x'.repeat(10_000) } } }));
    const seen: string[] = [];
    const cluster = new ClusterWatches({
      ...FAST,
      client: clientFor(api),
      resources: ['pods'],
      namespaces: ['default'],
      checkNodePlatform: false,
      // Keeps only the name and namespace: the resourceVersion must survive anyway.
      transform: (o) => ({ kind: o.kind, metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace } }),
      onEvent: (e) => seen.push(`${e.type} ${e.object.metadata?.name} ${e.object.metadata?.resourceVersion ? 'rv' : 'no-rv'}`),
    }).start();
    cleanups.push(() => cluster.stop());
    await cluster.synced;
    const cached = cluster.list('pods')[0];
    assert.equal(cached?.kind, 'Pod', 'the watch normalises before the transform');
    assert.equal((cached?.metadata as { annotations?: unknown } | undefined)?.annotations, undefined, 'the transform shrank the object');
    assert.ok(cached?.metadata?.resourceVersion, 'the resourceVersion is kept');
    api.create(pod('later', 'default'));
    await waitFor('the later pod', () => seen.includes('add later rv'));
    assert.deepEqual(seen, ['add demo rv', 'add later rv']);
    await cluster.stop();
  });

  it('does not read nodes when checkNodePlatform is off', async () => {
    await using api = await startKubeApiServer();
    api.create(pod('demo', 'default', { spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'x:1' }] } }));
    const cluster = new ClusterWatches({ ...FAST, client: clientFor(api), namespaces: ['default'], checkNodePlatform: false, onEvent: () => undefined }).start();
    cleanups.push(() => cluster.stop());
    await cluster.synced;
    assert.equal(cluster.watches.size, 6);
    assert.equal(await cluster.nodes.forPod(cluster.list('pods')[0] ?? {}), undefined);
    assert.equal(api.requests.some((r) => r.path.includes('nodes')), false);
    await cluster.stop();
  });
});
