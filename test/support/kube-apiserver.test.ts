/**
 * The fake API server on its own, spoken to with plain `fetch` (not the client under test), so a
 * protocol mistake in the fake cannot hide behind the same mistake in our client.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startKubeApiServer, type FakeKubeApiServer, type KObject } from './kube-apiserver.ts';

interface WatchEvent {
  type: string;
  object: KObject & { code?: number; reason?: string; message?: string };
}

const pod = (name: string, namespace = 'default', labels?: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
});

/** Opens a watch and collects events until `count` arrived or `ms` passed. */
async function watchEvents(api: FakeKubeApiServer, path: string, count: number, ms = 2_000): Promise<{ status: number; events: WatchEvent[]; ended: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const events: WatchEvent[] = [];
  let status = 0;
  let ended = false;
  try {
    const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.token}` }, signal: controller.signal });
    status = res.status;
    if (res.body === null) return { status, events, ended: true };
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buffered.slice(0, nl)) as WatchEvent);
        buffered = buffered.slice(nl + 1);
      }
      if (events.length >= count) break;
    }
    ended = events.length < count;
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status, events, ended };
}

describe('fake kube-apiserver', () => {
  let api: FakeKubeApiServer;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: KObject & { items?: KObject[]; code?: number; reason?: string } }> => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as KObject };
  };

  before(async () => {
    api = await startKubeApiServer({ bookmarkIntervalMs: 100 });
  });
  after(async () => {
    await api.stop();
  });

  it('refuses requests without the bearer token', async () => {
    const res = await fetch(`${api.url}/api/v1/pods`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { reason: string }).reason, 'Unauthorized');
  });

  it('creates, reads, lists (items without kind) and refuses duplicates', async () => {
    const created = await call('POST', '/api/v1/namespaces/crud/pods', { ...pod('a'), metadata: { name: 'a' } });
    assert.equal(created.status, 201);
    assert.equal(created.json.metadata?.namespace, 'crud');
    assert.ok(Number(created.json.metadata?.resourceVersion) > 0);
    assert.equal(created.json.metadata?.generation, 1);
    assert.equal((await call('GET', '/api/v1/namespaces/crud/pods/a')).json.metadata?.uid, created.json.metadata?.uid);
    const dup = await call('POST', '/api/v1/namespaces/crud/pods', { ...pod('a'), metadata: { name: 'a' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.reason, 'AlreadyExists');
    const list = await call('GET', '/api/v1/namespaces/crud/pods');
    assert.equal(list.json.kind, 'PodList');
    assert.equal(list.json.metadata?.resourceVersion, api.resourceVersion);
    assert.equal(list.json.items?.length, 1);
    assert.equal(list.json.items?.[0]?.kind, undefined);
    const missing = await call('GET', '/api/v1/namespaces/crud/pods/zzz');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.reason, 'NotFound');
    assert.equal((await call('GET', '/apis/apps/v1/namespaces/crud/widgets')).status, 404);
  });

  it('serves cluster-scoped resources and the apps, batch and coordination groups', async () => {
    api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' } });
    api.create({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'groups' }, spec: {} });
    assert.equal((await call('GET', '/api/v1/nodes/worker-1')).json.metadata?.namespace, undefined);
    assert.equal((await call('GET', '/apis/batch/v1/cronjobs')).json.items?.length, 1);
    assert.equal((await call('GET', '/apis/apps/v1/deployments')).json.kind, 'DeploymentList');
    assert.equal((await call('GET', '/apis/coordination.k8s.io/v1/namespaces/groups/leases')).json.kind, 'LeaseList');
  });

  it('PUT honours resourceVersion (409 Conflict when stale) and bumps generation only for spec changes', async () => {
    const lease = (await call('POST', '/apis/coordination.k8s.io/v1/namespaces/le/leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'a' } })).json;
    const ok = await call('PUT', '/apis/coordination.k8s.io/v1/namespaces/le/leases/l', { ...lease, spec: { holderIdentity: 'b' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.metadata?.generation, 2);
    const stale = await call('PUT', '/apis/coordination.k8s.io/v1/namespaces/le/leases/l', { ...lease, spec: { holderIdentity: 'c' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
    const same = await call('PUT', '/apis/coordination.k8s.io/v1/namespaces/le/leases/l', { ...ok.json, status: { x: 1 } });
    assert.equal(same.json.metadata?.generation, 2);
    assert.equal((await call('PUT', '/apis/coordination.k8s.io/v1/namespaces/le/leases/nope', { ...lease, metadata: { name: 'nope' } })).status, 404);
  });

  it('pages lists with limit/continue at one resource version, and filters by label and field', async () => {
    for (const n of ['p1', 'p2', 'p3']) api.create(pod(n, 'paged', n === 'p2' ? { app: 'web' } : { app: 'db' }));
    const first = await call('GET', '/api/v1/namespaces/paged/pods?limit=2');
    assert.equal(first.json.items?.length, 2);
    const token = first.json.metadata?.continue as string;
    assert.ok(token);
    api.create(pod('p0', 'paged'));
    const second = await call('GET', `/api/v1/namespaces/paged/pods?limit=2&continue=${token}`);
    assert.deepEqual(second.json.items?.map((i) => i.metadata?.name), ['p3']);
    assert.equal(second.json.metadata?.resourceVersion, first.json.metadata?.resourceVersion);
    assert.equal(second.json.metadata?.continue, undefined);
    assert.deepEqual((await call('GET', '/api/v1/namespaces/paged/pods?labelSelector=app%3Dweb')).json.items?.map((i) => i.metadata?.name), ['p2']);
    assert.deepEqual((await call('GET', '/api/v1/namespaces/paged/pods?labelSelector=app!%3Dweb,app%3Ddb')).json.items?.map((i) => i.metadata?.name), ['p1', 'p3']);
    assert.deepEqual((await call('GET', '/api/v1/pods?fieldSelector=metadata.name%3Dp3')).json.items?.map((i) => i.metadata?.name), ['p3']);
    assert.equal((await call('GET', '/api/v1/pods?labelSelector=app%20in%20(x)')).status, 400);
    api.compact();
    const expired = await call('GET', `/api/v1/namespaces/paged/pods?limit=2&continue=${token}`);
    assert.equal(expired.status, 410);
    assert.equal(expired.json.reason, 'Expired');
  });

  it('watches: synthetic ADDED without a version, replay after a version, live events and bookmarks', async () => {
    api.create(pod('w1', 'watch'));
    const rv = api.resourceVersion;
    const initial = await watchEvents(api, '/api/v1/namespaces/watch/pods?watch=true', 1);
    assert.deepEqual(initial.events.map((e) => [e.type, e.object.metadata?.name, e.object.kind]), [['ADDED', 'w1', 'Pod']]);
    api.create(pod('w2', 'watch'));
    api.update({ ...pod('w2', 'watch'), spec: { containers: [{ name: 'c', image: 'nginx:2' }] } });
    api.create(pod('elsewhere', 'other'));
    api.delete(pod('w1', 'watch'));
    const replay = await watchEvents(api, `/api/v1/namespaces/watch/pods?watch=true&resourceVersion=${rv}`, 3);
    assert.deepEqual(replay.events.map((e) => [e.type, e.object.metadata?.name]), [['ADDED', 'w2'], ['MODIFIED', 'w2'], ['DELETED', 'w1']]);
    const rvs = replay.events.map((e) => Number(e.object.metadata?.resourceVersion));
    assert.deepEqual([...rvs].sort((a, b) => a - b), rvs);
    const live = watchEvents(api, `/api/v1/namespaces/watch/pods?watch=true&resourceVersion=${api.resourceVersion}&allowWatchBookmarks=true`, 2);
    setTimeout(() => api.create(pod('w3', 'watch')), 30);
    const got = await live;
    assert.deepEqual(got.events.map((e) => e.type).sort(), ['ADDED', 'BOOKMARK']);
    const bookmark = got.events.find((e) => e.type === 'BOOKMARK');
    assert.equal(bookmark?.object.kind, 'Pod');
    assert.ok(Number(bookmark?.object.metadata?.resourceVersion) > 0);
    const noBookmarks = await watchEvents(api, `/api/v1/namespaces/watch/pods?watch=true&resourceVersion=${api.resourceVersion}`, 1, 400);
    assert.deepEqual(noBookmarks.events, []);
  });

  it('answers a compacted version with an ERROR 410 "too old resource version" event', async () => {
    const old = api.resourceVersion;
    api.create(pod('c1', 'compact'));
    api.compact();
    const got = await watchEvents(api, `/api/v1/namespaces/compact/pods?watch=true&resourceVersion=${old}`, 1);
    assert.equal(got.status, 200);
    assert.equal(got.events[0]?.type, 'ERROR');
    assert.equal(got.events[0]?.object.code, 410);
    assert.equal(got.events[0]?.object.reason, 'Expired');
    assert.match(String(got.events[0]?.object.message), /^too old resource version: \d+ \(\d+\)$/);
    // The version the compaction happened at is still servable.
    const current = await watchEvents(api, `/api/v1/namespaces/compact/pods?watch=true&resourceVersion=${api.resourceVersion}`, 1, 300);
    assert.deepEqual(current.events, []);
  });

  it('ends watches after timeoutSeconds, on dropWatches, and hangs them while stalled', async () => {
    const timed = await watchEvents(api, `/api/v1/pods?watch=true&resourceVersion=${api.resourceVersion}&timeoutSeconds=1`, 1, 3_000);
    assert.equal(timed.ended, true);
    const dropped = watchEvents(api, `/api/v1/pods?watch=true&resourceVersion=${api.resourceVersion}`, 1, 3_000);
    await waitFor(() => api.watchCount('pods') === 1);
    assert.equal(api.dropWatches({ graceful: true }), 1);
    assert.equal((await dropped).ended, true);
    api.stallWatches(500);
    const before = Date.now();
    const stalled = await watchEvents(api, `/api/v1/pods?watch=true&resourceVersion=${api.resourceVersion}`, 1, 300);
    assert.equal(stalled.status, 0, 'no response header while stalled');
    assert.ok(Date.now() - before >= 250);
    await new Promise((r) => setTimeout(r, 300));
    const resumed = watchEvents(api, `/api/v1/pods?watch=true&resourceVersion=${api.resourceVersion}`, 1, 2_000);
    await waitFor(() => api.watchCount('pods') === 1);
    api.create(pod('after-stall', 'stall'));
    assert.equal((await resumed).events[0]?.object.metadata?.name, 'after-stall');
  });

  it('injects failures and logs every request', async () => {
    api.failNext({ method: 'GET', path: /\/api\/v1\/nodes$/, status: 503, times: 2 });
    assert.equal((await call('GET', '/api/v1/nodes')).status, 503);
    assert.equal((await call('GET', '/api/v1/nodes')).json.code, 503);
    assert.equal((await call('GET', '/api/v1/nodes')).status, 200);
    const last = api.requests.at(-1);
    assert.deepEqual(last && { method: last.method, path: last.path, status: last.status, watch: last.watch }, { method: 'GET', path: '/api/v1/nodes', status: 200, watch: false });
  });

  it('writes a kubeconfig for the real client', () => {
    const config = JSON.parse(readFileSync(api.writeKubeconfig({ namespace: 'ops' }), 'utf8')) as {
      clusters: Array<{ cluster: { server: string; 'insecure-skip-tls-verify': boolean } }>;
      users: Array<{ user: { token: string } }>;
      contexts: Array<{ context: { namespace: string } }>;
    };
    assert.equal(config.clusters[0]?.cluster.server, api.url);
    assert.equal(config.clusters[0]?.cluster['insecure-skip-tls-verify'], true);
    assert.equal(config.users[0]?.user.token, api.token);
    assert.equal(config.contexts[0]?.context.namespace, 'ops');
  });
});

describe('fake kube-apiserver with goneAs: status', () => {
  it('answers a compacted version with HTTP 410', async () => {
    const api = await startKubeApiServer({ goneAs: 'status', token: null });
    try {
      const old = api.resourceVersion;
      api.create(pod('x'));
      api.compact();
      const res = await fetch(`${api.url}/api/v1/pods?watch=true&resourceVersion=${old}`);
      assert.equal(res.status, 410);
      assert.equal(((await res.json()) as { code: number }).code, 410);
    } finally {
      await api.stop();
    }
  });
});

async function waitFor(probe: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
