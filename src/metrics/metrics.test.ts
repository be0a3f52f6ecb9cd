import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { register as globalRegister } from 'prom-client';
import { parseExposition, samplesOf, valueOf, type Exposition } from './exposition.fixture.ts';
import { CopycatMetrics } from './metrics.ts';

const UPSTREAM = {
  k8s_copycat_registry_pull_success_total: 'Total number of successful image pulls performed by k8s-copycat.',
  k8s_copycat_registry_pull_error_total: 'Total number of failed image pulls performed by k8s-copycat.',
  k8s_copycat_registry_push_success_total: 'Total number of successful image pushes performed by k8s-copycat.',
  k8s_copycat_registry_push_error_total: 'Total number of failed image pushes performed by k8s-copycat.',
} as const;
type UpstreamName = keyof typeof UPSTREAM;
const UPSTREAM_NAMES = Object.keys(UPSTREAM) as UpstreamName[];

const fresh = (): CopycatMetrics => new CopycatMetrics({ defaultMetrics: false });
const scrape = async (m: CopycatMetrics): Promise<Exposition> => parseExposition(await m.render());

/** Every series of the four upstream counters, as `name{registry} value` strings. */
async function upstreamSeries(m: CopycatMetrics): Promise<string[]> {
  const exp = await scrape(m);
  return UPSTREAM_NAMES.flatMap((n) => samplesOf(exp, n).map((s) => `${n}${JSON.stringify(s.labels)} ${s.value}`));
}

describe('upstream counters over HTTP', () => {
  const metrics = new CopycatMetrics();
  // A bare node:http server that serves render(): a real scrape without depending on src/server.
  const server = createServer((_req, res) => {
    void metrics.render().then((body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(body));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('scrapes the exact names, help texts, counter type and only the registry label', async () => {
    metrics.recordPull('registry.io/library/alpine:latest', true);
    metrics.recordPull('registry.io/library/alpine:latest', false);
    metrics.recordPush('registry.internal/prod/app@sha256:deadbeef', true);
    metrics.recordPush('registry.internal/prod/app@sha256:deadbeef', false);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4; charset=utf-8$/);
    const exp = parseExposition(await res.text());
    for (const name of UPSTREAM_NAMES) {
      assert.equal(exp.help.get(name), UPSTREAM[name], `help of ${name}`);
      assert.equal(exp.type.get(name), 'counter', `type of ${name}`);
      const series = samplesOf(exp, name);
      assert.equal(series.length, 1, `${name} has one series`);
      assert.deepEqual(Object.keys(series[0]?.labels ?? {}), ['registry'], `${name} labels`);
      assert.equal(series[0]?.value, 1);
    }
    assert.equal(valueOf(exp, 'k8s_copycat_registry_pull_success_total', { registry: 'registry.io' }), 1);
    assert.equal(valueOf(exp, 'k8s_copycat_registry_push_error_total', { registry: 'registry.internal' }), 1);
    // Default process metrics are there too, like the Go/process collectors upstream.
    assert.ok(exp.type.has('process_cpu_user_seconds_total'), 'process metrics collected');
    assert.ok([...exp.type.keys()].some((n) => n.startsWith('nodejs_')), 'nodejs metrics collected');
  });
});

describe('upstream pkg/metrics tests (§6.8)', () => {
  const cases: Array<{ test: string; record: (m: CopycatMetrics, image: string) => void; image: string; name: UpstreamName; registry: string }> = [
    { test: 'TestRecordPullSuccessIncrementsCounter', record: (m, i) => m.recordPull(i, true), image: 'registry.io/library/alpine:latest', name: 'k8s_copycat_registry_pull_success_total', registry: 'registry.io' },
    { test: 'TestRecordPullErrorIncrementsCounter', record: (m, i) => m.recordPull(i, false), image: 'registry.io/library/alpine:latest', name: 'k8s_copycat_registry_pull_error_total', registry: 'registry.io' },
    { test: 'TestRecordPushSuccessIncrementsCounter', record: (m, i) => m.recordPush(i, true), image: 'registry.internal/prod/app@sha256:deadbeef', name: 'k8s_copycat_registry_push_success_total', registry: 'registry.internal' },
    { test: 'TestRecordPushErrorIncrementsCounter', record: (m, i) => m.recordPush(i, false), image: 'registry.internal/prod/app@sha256:deadbeef', name: 'k8s_copycat_registry_push_error_total', registry: 'registry.internal' },
  ];
  for (const c of cases) {
    it(`${c.test}: increments only ${c.name}{registry="${c.registry}"}`, async () => {
      const m = fresh();
      c.record(m, c.image);
      assert.deepEqual(await upstreamSeries(m), [`${c.name}{"registry":"${c.registry}"} 1`]);
      c.record(m, c.image);
      assert.equal(valueOf(await scrape(m), c.name, { registry: c.registry }), 2);
    });
  }

  it('TestRecordIgnoresEmptyImage: "" creates no series in any of the four', async () => {
    const m = fresh();
    m.recordPull('', true);
    m.recordPull('', false);
    m.recordPush('', true);
    m.recordPush('', false);
    assert.deepEqual(await upstreamSeries(m), []);
  });

  it('labels nginx:latest as docker.io and a scheme+port reference by host:port (label tests through the counters)', async () => {
    const m = fresh();
    m.recordPull('nginx:latest', true);
    m.recordPush('https://registry.internal:5000/team/app:1.2.3', true);
    assert.deepEqual(await upstreamSeries(m), [
      'k8s_copycat_registry_pull_success_total{"registry":"docker.io"} 1',
      'k8s_copycat_registry_push_success_total{"registry":"registry.internal:5000"} 1',
    ]);
  });
});

describe('CopycatMetrics observers', () => {
  it('onPull/onPush take a registry host as is (no Docker Hub guess for a bare host)', async () => {
    const m = fresh();
    m.onPull('ghcr.io', true);
    m.onPull('GHCR.io', false);
    m.onPush('localhost:5000', true);
    m.onPush('', false);
    assert.deepEqual(await upstreamSeries(m), [
      'k8s_copycat_registry_pull_success_total{"registry":"ghcr.io"} 1',
      'k8s_copycat_registry_pull_error_total{"registry":"ghcr.io"} 1',
      'k8s_copycat_registry_push_success_total{"registry":"localhost:5000"} 1',
    ]);
  });

  it('onMirror observes the duration histogram by result and adds the bytes', async () => {
    const m = fresh();
    m.onMirror('copied', 2, 1_000);
    m.onMirror('copied', 40, 500);
    m.onMirror('present', 0.02, 0);
    m.onMirror('failed', Number.NaN, Number.POSITIVE_INFINITY); // ignored, never throws
    const exp = await scrape(m);
    assert.equal(exp.type.get('copycat_mirror_duration_seconds'), 'histogram');
    assert.equal(valueOf(exp, 'copycat_mirror_duration_seconds_count', { result: 'copied' }), 2);
    assert.equal(valueOf(exp, 'copycat_mirror_duration_seconds_sum', { result: 'copied' }), 42);
    assert.equal(valueOf(exp, 'copycat_mirror_duration_seconds_bucket', { result: 'copied', le: '5' }), 1);
    assert.equal(valueOf(exp, 'copycat_mirror_duration_seconds_bucket', { result: 'copied', le: '60' }), 2);
    assert.equal(valueOf(exp, 'copycat_mirror_duration_seconds_count', { result: 'present' }), 1);
    assert.equal(valueOf(exp, 'copycat_mirror_duration_seconds_count', { result: 'failed' }), undefined);
    assert.equal(exp.type.get('copycat_bytes_copied_total'), 'counter');
    assert.equal(valueOf(exp, 'copycat_bytes_copied_total'), 1_500);
  });

  it('setQueueDepth sets the gauge', async () => {
    const m = fresh();
    assert.equal(valueOf(await scrape(m), 'copycat_queue_depth'), 0);
    m.setQueueDepth(7);
    m.setQueueDepth(-1); // ignored
    const exp = await scrape(m);
    assert.equal(exp.type.get('copycat_queue_depth'), 'gauge');
    assert.equal(valueOf(exp, 'copycat_queue_depth'), 7);
  });

  it('setJobs sets one series per state and zeroes states that disappeared', async () => {
    const m = fresh();
    m.setJobs({ pending: 3, mirrored: 10, failed: 1 });
    m.setJobs({ pending: 1, mirrored: 13 });
    const exp = await scrape(m);
    assert.equal(exp.type.get('copycat_jobs'), 'gauge');
    assert.deepEqual(
      samplesOf(exp, 'copycat_jobs').map((s) => [s.labels['state'], s.value]).sort(),
      [['failed', 0], ['mirrored', 13], ['pending', 1]],
    );
  });

  it('onThrottle counts waits and waited seconds per host (TransportObserver.onThrottle shape)', async () => {
    const m = fresh();
    // Structurally what registry/transport's TransportObserver expects: an object with onThrottle(info).
    const observer: { onThrottle?(info: { host: string; waitMs: number; reason: string }): void } = m;
    observer.onThrottle?.({ host: 'registry-1.docker.io', waitMs: 1_500, reason: 'TOOMANYREQUESTS' });
    observer.onThrottle?.({ host: 'registry-1.docker.io', waitMs: 500, reason: 'UNAVAILABLE' });
    observer.onThrottle?.({ host: 'ghcr.io', waitMs: 0, reason: 'TOOMANYREQUESTS' });
    const exp = await scrape(m);
    assert.equal(valueOf(exp, 'copycat_rate_limit_waits_total', { registry: 'registry-1.docker.io' }), 2);
    assert.equal(valueOf(exp, 'copycat_rate_limit_waits_total', { registry: 'ghcr.io' }), 1);
    assert.equal(valueOf(exp, 'copycat_rate_limit_wait_seconds_total', { registry: 'registry-1.docker.io' }), 2);
    assert.equal(valueOf(exp, 'copycat_rate_limit_wait_seconds_total', { registry: 'ghcr.io' }), undefined);
  });

  it('onSparseIndexRejected counts per target registry', async () => {
    const m = fresh();
    m.onSparseIndexRejected('mirror.example.com:5000');
    const exp = await scrape(m);
    assert.equal(exp.type.get('copycat_sparse_index_rejected_total'), 'counter');
    assert.deepEqual(samplesOf(exp, 'copycat_sparse_index_rejected_total').map((s) => s.labels), [{ registry: 'mirror.example.com:5000' }]);
  });

  it('declares the new metrics with bounded label sets only', async () => {
    const m = fresh();
    m.onPull('a.io', true);
    m.onPull('a.io', false);
    m.onPush('a.io', true);
    m.onPush('a.io', false);
    m.onMirror('skipped', 1, 1);
    m.setJobs({ pending: 1 });
    m.onThrottle({ host: 'a.io', waitMs: 1, reason: 'x' });
    m.onSparseIndexRejected('a.io');
    const exp = await scrape(m);
    const labelSets = new Map<string, string>();
    for (const s of exp.samples) labelSets.set(s.name, Object.keys(s.labels).sort().join(','));
    assert.deepEqual(Object.fromEntries([...labelSets].sort()), {
      copycat_bytes_copied_total: '',
      copycat_jobs: 'state',
      copycat_mirror_duration_seconds_bucket: 'le,result',
      copycat_mirror_duration_seconds_count: 'result',
      copycat_mirror_duration_seconds_sum: 'result',
      copycat_queue_depth: '',
      copycat_rate_limit_wait_seconds_total: 'registry',
      copycat_rate_limit_waits_total: 'registry',
      copycat_sparse_index_rejected_total: 'registry',
      k8s_copycat_registry_pull_error_total: 'registry',
      k8s_copycat_registry_pull_success_total: 'registry',
      k8s_copycat_registry_push_error_total: 'registry',
      k8s_copycat_registry_push_success_total: 'registry',
    });
  });

  it('folds registries beyond maxRegistries into "other", keeping the ones already seen', async () => {
    const m = new CopycatMetrics({ defaultMetrics: false, maxRegistries: 2 });
    m.onPull('a.io', true);
    m.onPull('b.io', true);
    m.onPull('c.io', true);
    m.onPull('d.io', true);
    m.onPull('a.io', true);
    m.onThrottle({ host: 'e.io', waitMs: 1, reason: 'x' });
    const exp = await scrape(m);
    assert.deepEqual(
      samplesOf(exp, 'k8s_copycat_registry_pull_success_total').map((s) => [s.labels['registry'], s.value]).sort(),
      [['a.io', 2], ['b.io', 1], ['other', 2]],
    );
    assert.equal(valueOf(exp, 'copycat_rate_limit_waits_total', { registry: 'other' }), 1);
  });

  it('owns its registry: instances are independent and the prom-client global registry stays empty of them', async () => {
    const a = fresh();
    const b = fresh();
    a.onPull('x.io', true);
    assert.equal(valueOf(await scrape(a), 'k8s_copycat_registry_pull_success_total', { registry: 'x.io' }), 1);
    assert.equal(valueOf(await scrape(b), 'k8s_copycat_registry_pull_success_total', { registry: 'x.io' }), undefined);
    assert.equal(globalRegister.getSingleMetric('k8s_copycat_registry_pull_success_total'), undefined);
    assert.doesNotMatch(await fresh().render(), /^process_/m, 'no default metrics when disabled');
  });
});
