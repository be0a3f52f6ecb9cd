import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../kube/index.ts';
import { DockerTarget } from '../targets/index.ts';
import { Controller, type ControllerOptions } from './controller.ts';
import { namespaceFilter, skipListsFrom } from './evaluate.ts';
import { memoryLogger } from './logger.ts';
import { seedImage, seedIndex, startMemoryRegistry, type MemoryRegistry } from './memory-registry.fixture.ts';
import type { ControllerMetrics } from './metrics.ts';
import { defaultRules, type MirrorRules } from './rules.ts';
import type { ControllerStatus, ImageStatus } from './status.ts';
import { pod, quickClient, workload } from './test-support.fixture.ts';

const NO_SKIPS = { deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods: [] };

interface Harness {
  controller: Controller;
  log: ReturnType<typeof memoryLogger>;
  metrics: ControllerMetrics & { jobs: Array<Record<string, number>>; depth: number[]; results: string[]; throttles: string[] };
}

function harness(dst: MemoryRegistry, rules: Partial<MirrorRules> = {}, over: Partial<ControllerOptions> = {}): Harness {
  const log = memoryLogger();
  const metrics: Harness['metrics'] = {
    jobs: [],
    depth: [],
    results: [],
    throttles: [],
    setJobs: (c) => void metrics.jobs.push({ ...c }),
    setQueueDepth: (n) => void metrics.depth.push(n),
    onMirror: (r) => void metrics.results.push(r),
    onThrottle: (t) => void metrics.throttles.push(t.host),
  };
  const controller = new Controller({
    rules: defaultRules(dst.host, rules),
    target: new DockerTarget({ registry: dst.host }),
    source: quickClient(),
    targetClient: quickClient(),
    filters: { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS) },
    retryBackoffMs: 0,
    logger: log,
    metrics,
    ...over,
  });
  controller.start();
  return { controller, log, metrics };
}

const image = (s: ControllerStatus, source: string): ImageStatus | undefined => s.images.find((i) => i.source === source);

describe('Controller', () => {
  let src: MemoryRegistry;
  let dst: MemoryRegistry;
  let n = 0;
  const repo = (name: string) => `${name}-${++n}`;

  before(async () => {
    [src, dst] = await Promise.all([startMemoryRegistry(), startMemoryRegistry()]);
  });
  after(async () => {
    await Promise.all([src.close(), dst.close()]);
  });

  it('200 pods of one Deployment (and the Deployment) are one job and one copy', async () => {
    const r = repo('web');
    const img = seedImage(src, r, { tag: '1.0' });
    const { controller } = harness(dst);
    const uploadsBefore = dst.uploads;
    const putsBefore = dst.manifestPuts;
    const headsBefore = src.count('HEAD');
    controller.observe(workload('Deployment', 'default', 'web', [{ name: 'app', image: `${src.host}/${r}:1.0` }]));
    for (let i = 0; i < 200; i++) {
      controller.observe(pod('default', `web-7d9c5-${i}`, [{ name: 'app', image: `${src.host}/${r}:1.0`, imageID: `${src.host}/${r}@${img.digest}` }], { owner: { kind: 'ReplicaSet', name: 'web-7d9c5' }, hash: '7d9c5' }));
    }
    await controller.whenIdle();
    const s = controller.status();
    assert.equal(s.images.length, 1);
    assert.equal(s.images[0]!.state, 'mirrored');
    assert.equal(s.images[0]!.userCount, 201);
    assert.equal(s.images[0]!.users.length, 50);
    assert.equal(dst.manifestPuts - putsBefore, 1);
    assert.equal(dst.uploads - uploadsBefore, 2);
    assert.equal(src.count('HEAD') - headsBefore, 1, 'one source HEAD for 201 users');
    assert.equal(dst.tagOf(r, '1.0'), img.digest);
    await controller.stop();
  });

  it('TestMirrorPodImagesContinuesAfterError: a bad reference and a missing image do not stop the other containers', async () => {
    const r = repo('mixed');
    seedImage(src, r, { tag: 'ok' });
    const { controller, log } = harness(dst, {}, { failureCooldownMs: 60_000 });
    controller.observe(
      pod('default', 'mixed', [
        { name: 'bad', image: 'Not A Reference' },
        { name: 'good', image: `${src.host}/${r}:ok` },
        { name: 'gone', image: `${src.host}/${r}:gone` },
      ]),
    );
    await controller.whenIdle();
    const s = controller.status();
    assert.equal(image(s, 'Not A Reference')?.state, 'invalid');
    assert.match(image(s, 'Not A Reference')?.lastError ?? '', /^parse source: /);
    assert.equal(image(s, `${src.host}/${r}:ok`)?.state, 'mirrored');
    const gone = image(s, `${src.host}/${r}:gone`);
    assert.equal(gone?.state, 'cooldown');
    assert.equal(gone?.errorCode, 'MANIFEST_UNKNOWN');
    // TestPodReconcilerUsesRetryCooldownResult: the retry is scheduled for the end of the cooldown.
    const retryIn = Date.parse(gone!.nextRetry!) - Date.now();
    assert.ok(retryIn > 50_000 && retryIn <= 60_000, String(retryIn));
    assert.equal(log.records.filter((x) => x.message === 'unable to mirror image').length, 2);
    assert.deepEqual(s.counts, { pending: 0, mirrored: 1, partial: 0, failed: 0, cooldown: 1, skipped: 0, invalid: 1 });
    await controller.stop();
  });

  it('cooldown: a failed target is held; resetCooldown clears it and retries at once', async () => {
    const r = repo('later');
    const { controller, log } = harness(dst, {}, { failureCooldownMs: 3_600_000 });
    const p = pod('default', 'later', [{ name: 'app', image: `${src.host}/${r}:v1` }]);
    controller.observe(p);
    await controller.whenIdle();
    assert.equal(controller.status().images[0]?.state, 'cooldown');
    seedImage(src, r, { tag: 'v1' });
    // Forced runs still respect the cooldown, as upstream's beginProcessing did.
    const forced = await controller.forceReconcile();
    assert.match(forced.error?.message ?? '', /^pod default\/later: mirror: target is in failure cooldown/);
    assert.ok(log.records.some((x) => x.message === 'skipping image due to previous failure'));
    assert.deepEqual(controller.resetCooldown(), { cleared: 1, enabled: true });
    await controller.whenIdle();
    assert.equal(controller.status().images[0]?.state, 'mirrored');
    assert.deepEqual(controller.resetCooldown(), { cleared: 0, enabled: true });
    await controller.stop();
  });

  it('failureCooldownMinutes 0: no cooldown, the job is retried with back-off until it works (upstream #252)', async () => {
    const r = repo('retry');
    const { controller } = harness(dst, {}, { failureCooldownMs: 0, queueBackoff: { initialMs: 30, maxMs: 60, jitter: 0 } });
    controller.observe(pod('default', 'retry', [{ name: 'app', image: `${src.host}/${r}:v1` }]));
    await controller.whenIdle();
    assert.equal(controller.status().images[0]?.state, 'failed');
    assert.deepEqual(controller.resetCooldown(), { cleared: 0, enabled: false });
    seedImage(src, r, { tag: 'v1' });
    for (let i = 0; i < 50 && controller.status().images[0]?.state !== 'mirrored'; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(controller.status().images[0]?.state, 'mirrored');
    await controller.stop();
  });

  it('TestMirrorPodImagesReturnsFirstErrorWithoutRetry: forceReconcile counts the good image and reports the failure by object', async () => {
    const r = repo('two');
    seedImage(src, r, { tag: 'ok' });
    const { controller } = harness(dst, {}, { failureCooldownMs: 0, retryFailures: false });
    controller.observe(pod('default', 'pair', [{ name: 'boom', image: `${src.host}/${r}:missing` }, { name: 'fine', image: `${src.host}/${r}:ok` }]));
    const result = await controller.forceReconcile();
    assert.equal(result.workloadsProcessed, 1);
    assert.equal(result.imagesMirrored, 1);
    assert.equal(result.error?.code, 'FORCE_RECONCILE_FAILED');
    assert.match(result.error?.message ?? '', new RegExp(`^pod default/pair: describe ${src.host}/${r}:missing: `));
    await controller.stop();
  });

  it('retryFailures false (one-shot runs): a failure is final, nothing is scheduled', async () => {
    const r = repo('once');
    const { controller } = harness(dst, {}, { failureCooldownMs: 0, retryFailures: false });
    controller.observe(pod('default', 'once', [{ name: 'app', image: `${src.host}/${r}:v1` }]));
    await controller.whenIdle();
    const s = controller.status();
    assert.equal(s.images[0]?.state, 'failed');
    assert.equal(s.images[0]?.nextRetry, undefined);
    assert.equal(s.queue.delayed, 0);
    await controller.stop();
  });

  it('TestForceReconcilePodsUsesPodImageStatusAndNodePlatform: counts, imageID pull and node platform', async () => {
    const r = repo('force');
    const idx = seedIndex(src, r, ['linux/amd64', 'linux/arm64'], { tag: 'v1' });
    const { controller } = harness(dst, { digestPull: true, checkNodePlatform: true, sparseFallback: 'full' }, {
      filters: { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS), nodePlatform: async (name) => (name === 'worker-1' ? { os: 'linux', architecture: 'amd64' } : undefined) },
    });
    controller.observe(pod('default', 'demo', [{ name: 'app', image: `${src.host}/${r}:v1`, imageID: `containerd://${src.host}/${r}@${idx.digest}` }], { node: 'worker-1' }));
    const result = await controller.forceReconcile();
    assert.deepEqual(result, { workloadsProcessed: 1, imagesMirrored: 1 });
    const s = controller.status().images[0]!;
    assert.equal(s.pull, `${src.host}/${r}@${idx.digest}`);
    assert.equal(s.state, 'mirrored');
    assert.equal(s.platforms[0]?.platform, 'linux/amd64');
    assert.equal(dst.tagOf(r, 'v1'), idx.digest);
    await controller.stop();
  });

  it('digestPull: a Deployment alone waits for its pods\' digests; the pod brings the job', async () => {
    const r = repo('dp');
    const img = seedImage(src, r, { tag: '2' });
    const { controller } = harness(dst, { digestPull: true });
    controller.observe(workload('Deployment', 'default', 'dp', [{ name: 'app', image: `${src.host}/${r}:2` }]));
    await controller.whenIdle();
    assert.deepEqual(controller.status().images.map((i) => [i.state, i.reason]), [['skipped', 'digestPull is on and the pod has not reported an imageID digest yet']]);
    controller.observe(pod('default', 'dp-1', [{ name: 'app', image: `${src.host}/${r}:2`, imageID: `${src.host}/${r}@${img.digest}` }]));
    await controller.whenIdle();
    assert.ok(controller.status().images.some((i) => i.state === 'mirrored' && i.digest === img.digest));
    await controller.stop();
  });

  it('forget drops an object\'s images from the status once nobody uses them', async () => {
    const r = repo('gone');
    seedImage(src, r, { tag: 'v1' });
    const { controller } = harness(dst);
    const p = pod('default', 'short', [{ name: 'app', image: `${src.host}/${r}:v1` }]);
    controller.observe(p);
    await controller.whenIdle();
    assert.equal(controller.status().images.length, 1);
    controller.forget(p);
    await controller.whenIdle();
    assert.equal(controller.status().images.length, 0);
    // A finished pod (phase Succeeded) also stops using its images.
    controller.observe(p);
    await controller.whenIdle();
    controller.observe({ ...p, status: { phase: 'Succeeded' } } as KubeObject);
    await controller.whenIdle();
    assert.equal(controller.status().images.length, 0);
    await controller.stop();
  });

  it('namespaces, skip lists and watched kinds filter objects', async () => {
    const r = repo('filtered');
    const { controller } = harness(dst, {}, {
      filters: {
        namespaceAllowed: namespaceFilter(['prod', 'kube-system'], ['kube-system']),
        skip: skipListsFrom({ ...NO_SKIPS, deployments: ['prod/skipme'] }),
        kinds: new Set(['Pod', 'Deployment']),
      },
    });
    controller.observe(pod('dev', 'a', [{ name: 'app', image: `${src.host}/${r}:dev` }]));
    controller.observe(pod('kube-system', 'b', [{ name: 'app', image: `${src.host}/${r}:system` }]));
    controller.observe(workload('Deployment', 'prod', 'skipme', [{ name: 'app', image: `${src.host}/${r}:skipped` }]));
    controller.observe(pod('prod', 'skipme-abc-1', [{ name: 'app', image: `${src.host}/${r}:owned` }], { owner: { kind: 'Deployment', name: 'skipme' } }));
    controller.observe(workload('StatefulSet', 'prod', 'db', [{ name: 'db', image: `${src.host}/${r}:unwatched` }]));
    controller.observe({ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'prod' } });
    controller.observe(pod('prod', 'kept', [{ name: 'app', image: `${src.host}/${r}:kept` }]));
    await controller.whenIdle();
    assert.deepEqual(controller.status().images.map((i) => i.source), [`${src.host}/${r}:kept`]);
    await controller.stop();
  });

  it('resync: at most one HEAD per unique mirrored image; a moved source tag is mirrored again', async () => {
    const r = repo('resync');
    seedImage(src, r, { tag: 'v1', seed: 'one' });
    const { controller } = harness(dst, { repoPrefix: '$namespace' });
    for (const ns of ['a', 'b', 'c']) controller.observe(pod(ns, 'p', [{ name: 'app', image: `${src.host}/${r}:v1` }]));
    await controller.whenIdle();
    assert.equal(controller.status().counts.mirrored, 3);
    const heads = src.count('HEAD');
    const dstBefore = dst.requests.length;
    assert.deepEqual(await controller.resync(), { checked: 1, requeued: 0 });
    assert.equal(src.count('HEAD') - heads, 1);
    assert.equal(dst.requests.length, dstBefore, 'the target is not asked when the source tag did not move');
    const moved = seedImage(src, r, { tag: 'v1', seed: 'two' });
    assert.deepEqual(await controller.resync(), { checked: 1, requeued: 3 });
    await controller.whenIdle();
    for (const ns of ['a', 'b', 'c']) assert.equal(dst.tagOf(`${ns}/${r}`, 'v1'), moved.digest);
    await controller.stop();
  });

  it('a source answering 429 holds every job of that registry (per-registry back-off), with Retry-After', async () => {
    const r = repo('hub');
    seedImage(src, r, { tag: 'a' });
    seedImage(src, r, { tag: 'b' });
    src.fail({ method: 'HEAD', path: new RegExp(`^/v2/${r}/manifests/a$`), status: 429, code: 'TOOMANYREQUESTS', headers: { 'retry-after': '120' }, times: 1 });
    const { controller, metrics } = harness(dst, {}, { maxConcurrentReconciles: 1 });
    controller.observe(pod('default', 'a', [{ name: 'app', image: `${src.host}/${r}:a` }]));
    await controller.whenIdle();
    const headsB = src.count('HEAD', new RegExp(`^/v2/${r}/manifests/b$`));
    controller.observe(pod('default', 'b', [{ name: 'app', image: `${src.host}/${r}:b` }]));
    await controller.whenIdle();
    const s = controller.status();
    assert.equal(image(s, `${src.host}/${r}:a`)?.errorCode, 'TOOMANYREQUESTS');
    assert.equal(image(s, `${src.host}/${r}:b`)?.state, 'pending');
    assert.equal(src.count('HEAD', new RegExp(`^/v2/${r}/manifests/b$`)), headsB, 'the throttled registry is not asked');
    assert.equal(s.throttledRegistries[0]?.registry, src.host);
    assert.ok(Date.parse(s.throttledRegistries[0]!.until) - Date.now() > 100_000);
    assert.ok(metrics.throttles.includes(src.host));
    await controller.stop();
  });

  it('onRateLimit with nothing remaining pauses pulls from that registry', async () => {
    const r = repo('ratelimit');
    const { controller } = harness(dst);
    controller.onRateLimit(src.host, { limit: 100, remaining: 0, windowSeconds: 3600 });
    controller.observe(pod('default', 'x', [{ name: 'app', image: `${src.host}/${r}:v1` }]));
    await controller.whenIdle();
    assert.equal(controller.status().images[0]?.state, 'pending');
    assert.match(controller.status().images[0]?.reason ?? '', /RateLimit-Remaining: 0/);
    await controller.stop();
  });

  it('dryRun: status says skipped, nothing is written', async () => {
    const reg = await startMemoryRegistry();
    const r = repo('dry');
    seedImage(src, r, { tag: 'v1' });
    const { controller, metrics } = harness(reg, {}, { dryRun: true });
    controller.observe(pod('default', 'dry', [{ name: 'app', image: `${src.host}/${r}:v1` }]));
    await controller.whenIdle();
    assert.equal(controller.status().images[0]?.state, 'skipped');
    assert.match(controller.status().images[0]?.reason ?? '', /^dry-run: nothing was written/);
    assert.equal(controller.status().dryRun, true);
    assert.deepEqual(reg.repositories(), []);
    assert.deepEqual(metrics.results, ['skipped']);
    await controller.stop();
    await reg.close();
  });

  it('stop() abandons a copy in flight: the tag is never written', async () => {
    const r = repo('slow');
    const img = seedImage(src, r, { tag: 'v1' });
    src.fail({ method: 'GET', path: new RegExp(`^/v2/${r}/blobs/`), status: 0, delayMs: 400 });
    const { controller } = harness(dst);
    controller.observe(pod('default', 'slow', [{ name: 'app', image: `${src.host}/${r}:v1` }]));
    for (let i = 0; i < 100 && !controller.status().images[0]?.running; i++) await new Promise((res) => setTimeout(res, 5));
    await new Promise((res) => setTimeout(res, 50));
    await controller.stop();
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(dst.tagOf(r, 'v1'), undefined);
    assert.equal(dst.hasManifest(r, img.digest), false);
  });

  it('status is JSON and publishes job counts and queue depth to metrics', async () => {
    const r = repo('json');
    seedImage(src, r, { tag: 'v1' });
    const { controller, metrics } = harness(dst);
    controller.observe(pod('default', 'j', [{ name: 'app', image: `${src.host}/${r}:v1` }]));
    await controller.whenIdle();
    const doc = JSON.parse(JSON.stringify(controller.status())) as ControllerStatus;
    assert.equal(doc.images[0]?.target, `${dst.host}/${r}:v1`);
    assert.deepEqual(doc.images[0]?.users, [{ kind: 'Pod', namespace: 'default', name: 'j', container: 'app' }]);
    assert.equal(metrics.jobs.at(-1)?.['mirrored'], 1);
    assert.ok(metrics.depth.includes(1));
    assert.deepEqual(metrics.results, ['copied']);
    await controller.stop();
    // A replica that stops leading must not keep exporting the counts of a term that ended (they would be
    // summed with the new leader's): stopping zeroes both gauges.
    assert.deepEqual(metrics.jobs.at(-1), { pending: 0, mirrored: 0, partial: 0, failed: 0, cooldown: 0, skipped: 0, invalid: 0 });
    assert.equal(metrics.depth.at(-1), 0);
  });
});
