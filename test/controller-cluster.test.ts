/**
 * `copycat controller` wired in-process (`runController`) against the in-process Kubernetes API server (the real
 * `@kubernetes/client-node`), real registries (distribution 2.8) and skopeo as the oracle: Deployments and Pods
 * with imageIDs are mirrored, `/metrics`, `/status`, `/readyz` and `/healthz` report it, a watch dropped
 * mid-run loses nothing, `copycat verify --kubeconfig` audits the pods from the API server, and two replicas on
 * one Lease never both mirror: only the leader pushes, and the other takes over when it stops.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runController, type ControllerHandle, type RunControllerOptions } from '../src/cli/commands/controller.ts';
import { runVerify } from '../src/cli/commands/verify.ts';
import { pushImage, pushMultiArchIndex, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startKubeApiServer, type FakeKubeApiServer, type KObject } from './support/kube-apiserver.ts';
import { waitUntil } from './support/net.ts';
import { startFaultProxy, type FaultProxy } from './support/proxy.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { captureIo } from './lib/command-io.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';

interface ImageEntry {
  source: string;
  state: string;
  target?: string;
  digest?: string;
  users: Array<{ kind: string; namespace: string; name: string }>;
}
interface StatusDoc {
  images: ImageEntry[];
  replica: { leader: boolean; mirroring: boolean; holder?: string; identity: string; synced: boolean };
}

const FAST_WATCH = { watchdogMs: 3_000, backoff: { initialMs: 100, maxMs: 500, jitter: 0 } } as const;
const FAST_LEASE = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 300 } as const;

/** Collects the JSON log lines a controller writes. */
function logSink(): { write(line: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(...line.split('\n').filter((l) => l !== '')) };
}

function rsOwnedPod(name: string, rs: string, image: string, imageID: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: rs }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, controller: true, uid: 'u' }] },
    spec: { containers: [{ name: 'app', image }], nodeName: 'node-1' },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', image, imageID: `docker-pullable://${imageID}`, ready: true }] },
  };
}

function deployment(name: string, image: string): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', generation: 1 },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } } },
  };
}

function replicaSet(name: string, deploymentName: string, image: string): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName, controller: true, uid: 'd' }] },
    spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
  };
}

function plainPod(name: string, image: string, namespace = 'shop'): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'app', image }] }, status: { phase: 'Running' } };
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  assert.equal(res.status, 200, `${init?.method ?? 'GET'} ${url}`);
  return (await res.json()) as T;
}

async function served(ref: string): Promise<string | undefined> {
  try {
    return sha256(await skopeoInspectRaw(ref));
  } catch {
    return undefined;
  }
}

const mirrored = (handle: ControllerHandle, source: string): boolean => handle.status().images.some((i) => i.source === source && i.state === 'mirrored');

describe('copycat controller (in-process) against the API server and real registries', () => {
  let api: FakeKubeApiServer;
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let dir: string;
  let configPath: string;
  let kubeconfig: string;
  let app: ImageFixture;
  let index: IndexFixture;
  let later: ImageFixture;
  const handles: ControllerHandle[] = [];
  const proxies: FaultProxy[] = [];

  const start = async (over: Partial<RunControllerOptions> & { env?: NodeJS.ProcessEnv } = {}): Promise<ControllerHandle & { log: ReturnType<typeof logSink> }> => {
    const log = logSink();
    const handle = await runController({
      log,
      watch: FAST_WATCH,
      shutdownTimeoutMs: 8_000,
      controller: { queueBackoff: { initialMs: 100, maxMs: 1_000 } },
      ...over,
      flags: { kubeconfig, leaderElect: false, metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: '127.0.0.1:0', ...over.flags },
      env: { CONFIG_PATH: configPath, TARGET_KIND: 'docker', TARGET_REGISTRY: dst.host, REGISTRY_RETRY_BACKOFF: '0', HOME: dir, ...over.env },
    });
    handles.push(handle);
    return Object.assign(handle, { log });
  };

  before(async () => {
    api = await startKubeApiServer();
    [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
    [app, index, later] = await Promise.all([
      pushImage(src, 'team/app', { tag: '1.0' }),
      pushMultiArchIndex(src, 'library/nginx', { tag: '1.25' }),
      pushImage(src, 'team/later', { tag: '2.0' }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'copycat-controller-'));
    configPath = join(dir, 'config.yaml');
    await writeFile(configPath, 'digestPull: true\ndocker:\n  repoPrefix: "mirror/$namespace"\nlogLevel: debug\nmirrorPlatfroms: [linux/arm64]\n');
    kubeconfig = api.writeKubeconfig();
    for (const ns of ['shop', 'copycat']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  after(async () => {
    await Promise.all(handles.map((h) => h.stop('test over')));
    await Promise.all(proxies.map((p) => p.stop()));
    await Promise.all([api?.stop(), src?.stop(), dst?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('mirrors Deployments and Pods with imageIDs; /readyz flips after the initial lists; /metrics, /status and /healthz report it', async () => {
    const appRef = `${src.host}/team/app:1.0`;
    const nginxRef = `${src.host}/library/nginx:1.25`;
    api.create(deployment('web', appRef));
    api.create(replicaSet('web-7d9c5', 'web', appRef));
    api.create(rsOwnedPod('web-7d9c5-abcde', 'web-7d9c5', appRef, `${src.host}/team/app@${app.digest}`));
    api.create(rsOwnedPod('proxy-55f-xyz', 'proxy-55f', nginxRef, `${src.host}/library/nginx@${index.digest}`));
    // The first lists of Deployments fail twice: the controller serves probes before it is ready.
    api.failNext({ method: 'GET', path: /^\/apis\/apps\/v1\/deployments$/, watch: false, status: 500, times: 3 });

    const c = await start();
    assert.ok(c.metricsUrl && c.probeUrl);
    const early = await fetch(`${c.probeUrl}/readyz`);
    assert.equal(early.status, 500, 'not ready before the initial lists synced');
    assert.equal((await fetch(`${c.probeUrl}/healthz`)).status, 200, 'alive while starting');
    await c.synced;
    assert.equal((await fetch(`${c.probeUrl}/readyz`)).status, 200);

    await waitUntil('both images mirrored', async () => mirrored(c, appRef) && mirrored(c, nginxRef), { timeoutMs: 20_000 });
    assert.equal(await served(`${dst.host}/mirror/shop/team/app:1.0`), app.digest);
    assert.equal(await served(`${dst.host}/mirror/shop/library/nginx:1.25`), index.digest);
    for (const child of index.manifests) assert.equal(await served(`${dst.host}/mirror/shop/library/nginx@${child.digest}`), child.digest);

    const metrics = await (await fetch(`${c.metricsUrl}/metrics`)).text();
    const push = new RegExp(`^k8s_copycat_registry_push_success_total\\{registry="${dst.host.replace(/[.]/g, '\\.')}"\\} (\\d+)$`, 'm').exec(metrics);
    assert.ok(push && Number(push[1]) >= 2, `push counter in:\n${metrics.split('\n').filter((l) => l.startsWith('k8s_copycat')).join('\n')}`);

    const status = await getJson<StatusDoc>(`${c.metricsUrl}/status`);
    const appStatus = status.images.find((i) => i.source === appRef && i.state === 'mirrored');
    assert.equal(appStatus?.digest, app.digest);
    assert.deepEqual(appStatus?.users.map((u) => `${u.kind} ${u.namespace}/${u.name}`), ['Pod shop/web-7d9c5-abcde']);
    assert.equal(status.replica.mirroring, true);
    assert.equal(status.replica.synced, true);
    const page = await fetch(`${c.metricsUrl}/`);
    assert.equal(page.status, 200, 'the status page at /');
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'none'; script-src 'sha256-/);
    assert.match(await page.text(), /<title>copycat status<\/title>/);
    assert.equal((await fetch(`${c.probeUrl}/healthz`)).status, 200);

    const logs = c.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(logs.some((l) => l['msg'] === 'starting copycat 😼' && l['logger'] === 'setup' && l['level'] === 'info' && typeof l['ts'] === 'string'));
    assert.ok(logs.some((l) => l['msg'] === 'listing resources in all namespaces'));
    const warning = logs.find((l) => l['level'] === 'warn' && l['logger'] === 'setup');
    assert.match(String(warning?.['msg']), /mirrorPlatfroms/, 'configuration warnings are logged at start');
    assert.ok(logs.some((l) => l['msg'] === 'saw Pod' && l['level'] === 'debug'), 'logLevel: debug from the file applies');
  });

  it('a watch dropped mid-run loses nothing: a pod created afterwards is mirrored', async () => {
    const c = handles[0]!;
    const dropped = api.dropWatches();
    assert.ok(dropped >= 6, `dropped ${dropped} watches`);
    const laterRef = `${src.host}/team/later:2.0`;
    api.create(rsOwnedPod('later-1', 'later-rs', laterRef, `${src.host}/team/later@${later.digest}`));
    await waitUntil('the new pod mirrored', async () => mirrored(c, laterRef), { timeoutMs: 20_000 });
    assert.equal(await served(`${dst.host}/mirror/shop/team/later:2.0`), later.digest);
    await waitUntil('healthy again', async () => (await fetch(`${c.probeUrl}/healthz`)).status === 200);
  });

  it('/healthz fails while the API server is unreachable and recovers with it', async () => {
    // Bookmarks every 200 ms keep a quiet watch provably alive within the short health window.
    const flaky = await startKubeApiServer({ bookmarkIntervalMs: 200 });
    try {
      const c = await start({ flags: { kubeconfig: flaky.writeKubeconfig() }, watch: { ...FAST_WATCH, healthyWithinMs: 1_000 } });
      await c.synced;
      const health = async () => (await fetch(`${c.probeUrl}/healthz`)).status;
      assert.equal(await health(), 200);
      flaky.failNext({ status: 503, times: Infinity });
      flaky.dropWatches();
      await waitUntil('/healthz fails', async () => (await health()) === 500, { timeoutMs: 5_000 });
      assert.equal((await fetch(`${c.probeUrl}/readyz`)).status, 200, 'readiness is about the initial sync, not liveness');
      flaky.clearFaults();
      await waitUntil('/healthz recovers', async () => (await health()) === 200, { timeoutMs: 5_000 });
      assert.equal(await c.stop('health test over'), true);
    } finally {
      await flaky.stop();
    }
  });

  it('/force-reconcile and /reset-cooldown answer as upstream on the leader', async () => {
    const c = handles[0]!;
    const forced = await getJson<{ triggered: boolean; success: boolean; workloadsProcessed: number; imagesMirrored: number }>(`${c.metricsUrl}/force-reconcile`, { method: 'POST' });
    assert.equal(forced.triggered, true);
    assert.equal(forced.success, true, JSON.stringify(forced));
    assert.ok(forced.workloadsProcessed >= 4);
    const reset = await getJson<{ reset: boolean; message: string }>(`${c.metricsUrl}/reset-cooldown`, { method: 'POST' });
    assert.deepEqual(reset, { reset: false, clearedTargets: 0, message: 'no cooldown entries to reset' });
  });

  it('copycat verify --kubeconfig audits the running pods from the API server', async () => {
    const env = { PATH: process.env['PATH'] ?? '', HOME: dir, CONFIG_PATH: configPath, REGISTRY_RETRY_BACKOFF: '0' };
    const ok = { ...captureIo(), env };
    assert.equal(await runVerify({ kubeconfig, target: dst.host, json: true }, ok), 0, ok.stderr());
    const report = JSON.parse(ok.stdout()) as { rows: Array<{ pod: string; state: string }>; gaps: number };
    assert.deepEqual(report.rows.map((r) => `${r.pod} ${r.state}`).sort(), ['later-1 ok', 'proxy-55f-xyz ok', 'web-7d9c5-abcde ok']);

    // A pod whose digest the mirror does not hold (pushed after the controller stopped) is a gap.
    await handles[0]!.stop('verify gap');
    const fresh = await pushImage(src, 'team/fresh', { tag: '3.0' });
    api.create(rsOwnedPod('fresh-1', 'fresh-rs', `${src.host}/team/fresh:3.0`, `${src.host}/team/fresh@${fresh.digest}`));
    const gap = { ...captureIo(), env };
    assert.equal(await runVerify({ kubeconfig, target: dst.host }, gap), 1, gap.stderr());
    assert.match(gap.stdout(), /shop\/fresh-1\s+app\s+missing/);
    api.delete({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fresh-1', namespace: 'shop' } });
  });

  it('two replicas on one Lease: only the leader pushes; the other takes over when it stops', async () => {
    const [pa, pb] = await Promise.all([startFaultProxy(dst.url), startFaultProxy(dst.url)]);
    proxies.push(pa, pb);
    const replica = (id: string, proxy: FaultProxy) =>
      start({
        identity: id,
        leaderTimings: FAST_LEASE,
        flags: { leaderElect: true, leaderElectionNamespace: 'copycat' },
        env: { TARGET_REGISTRY: proxy.host },
      });
    const a = await replica('replica-a', pa);
    await waitUntil('replica a leads', async () => a.isMirroring(), { timeoutMs: 10_000 });
    const b = await replica('replica-b', pb);
    await b.synced;

    const one = await pushImage(src, 'team/one', { tag: '1' });
    const oneRef = `${src.host}/team/one:1`;
    api.create(rsOwnedPod('one-1', 'one-rs', oneRef, `${src.host}/team/one@${one.digest}`));
    await waitUntil('the leader mirrors', async () => mirrored(a, oneRef), { timeoutMs: 20_000 });
    assert.equal(await served(`${dst.host}/mirror/shop/team/one:1`), one.digest);
    assert.ok(pa.requests.some((r) => r.method === 'PUT' && /\/team\/one\/manifests\/1$/.test(r.path)), 'the leader pushed the tag');

    const follower = await getJson<StatusDoc>(`${b.metricsUrl}/status`);
    assert.equal(follower.replica.leader, false);
    assert.equal(follower.replica.mirroring, false);
    assert.equal(follower.replica.holder, 'replica-a');
    assert.deepEqual(follower.images, []);
    const refused = await getJson<{ triggered: boolean; success: boolean; message: string }>(`${b.metricsUrl}/force-reconcile`, { method: 'POST' });
    assert.equal(refused.success, false);
    assert.match(refused.message, /not leader: lease copycat\/k8s-copycat\.k8s-copycat is held by replica-a/);
    assert.equal(pb.requests.length, 0, 'the follower never talked to the target');

    // The leader steps down (releasing the Lease); the follower takes over and mirrors new work.
    assert.equal(await a.stop('handing over'), true);
    const lease = api.get('coordination.k8s.io/v1', 'Lease', 'k8s-copycat.k8s-copycat', 'copycat') as { spec?: { holderIdentity?: string } } | undefined;
    assert.notEqual(lease?.spec?.holderIdentity, 'replica-a', 'the Lease was released on stop');
    await waitUntil('replica b leads', async () => b.isMirroring(), { timeoutMs: 10_000 });
    const two = await pushImage(src, 'team/two', { tag: '2' });
    const twoRef = `${src.host}/team/two:2`;
    api.create(rsOwnedPod('two-1', 'two-rs', twoRef, `${src.host}/team/two@${two.digest}`));
    await waitUntil('the new leader mirrors', async () => mirrored(b, twoRef), { timeoutMs: 20_000 });
    assert.equal(await served(`${dst.host}/mirror/shop/team/two:2`), two.digest);
    const writes = (p: FaultProxy, repo: string) => p.requests.filter((r) => ['PUT', 'POST', 'PATCH'].includes(r.method) && r.path.includes(`/${repo}/`)).length;
    assert.ok(writes(pb, 'team/two') > 0, 'the new leader pushed');
    assert.equal(writes(pb, 'team/one'), 0, 'what the old leader mirrored costs the new one HEADs, not pushes');
    assert.equal(writes(pa, 'team/two'), 0, 'the stopped replica pushed nothing more');
    assert.equal(b.status().replica.holder, 'replica-b');
  });
});
