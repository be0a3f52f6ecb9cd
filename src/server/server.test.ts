import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import type { ForceReconcileOutcome } from './admin.ts';
import type { ServerLog } from './routes.ts';
import { startServer, type RunningServer, type ServerOptions } from './server.ts';
import { statusPage } from './status-page/index.ts';

const LOOPBACK = '127.0.0.1:0';

/** Starts both ports on loopback with harmless defaults, stopped when the test ends. */
async function start(t: TestContext, overrides: Partial<ServerOptions> = {}): Promise<RunningServer & { metrics: string; probe: string }> {
  const running = await startServer({
    metricsAddr: LOOPBACK,
    probeAddr: LOOPBACK,
    health: () => true,
    ready: () => true,
    status: () => ({}),
    ...overrides,
  });
  t.after(() => running.stop());
  return { ...running, stop: running.stop, metrics: running.metricsUrl ?? '', probe: running.probeUrl ?? '' };
}

/** Collects log lines. */
function logSink(): { log: ServerLog; lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  return { lines, log: (level, msg, fields) => lines.push({ level, msg, fields }) };
}

/** A raw request (fetch would normalise odd paths such as `//metrics`). */
function raw(base: string, method: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

const post = (url: string): Promise<Response> => fetch(url, { method: 'POST' });

describe('/metrics', () => {
  it('serves the source text with its content type, GET and HEAD only', async (t) => {
    let renders = 0;
    const s = await start(t, {
      metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', render: async () => `copycat_queue_depth ${++renders}\n` },
    });
    const res = await fetch(`${s.metrics}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(await res.text(), 'copycat_queue_depth 1\n');
    const head = await fetch(`${s.metrics}/metrics?x=1`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const wrong = await post(`${s.metrics}/metrics`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
    assert.equal(renders, 2, 'POST does not render');
  });

  it('answers 500 and logs when rendering fails', async (t) => {
    const { log, lines } = logSink();
    const s = await start(t, { log, metrics: { contentType: 'text/plain', render: () => Promise.reject(new Error('collector broke')) } });
    const res = await fetch(`${s.metrics}/metrics`);
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'internal server error: collector broke\n');
    assert.deepEqual(lines, [{ level: 'error', msg: 'request failed', fields: { method: 'GET', path: '/metrics', error: 'collector broke' } }]);
  });

  it('is 404 without a metrics source', async (t) => {
    const s = await start(t);
    assert.equal((await fetch(`${s.metrics}/metrics`)).status, 404);
  });
});

describe('/healthz and /readyz', () => {
  it('flip with their callbacks, each independently', async (t) => {
    let alive = true;
    let synced = false;
    const s = await start(t, { health: () => alive, ready: async () => synced });
    const get = async (path: string): Promise<[number, string]> => {
      const res = await fetch(`${s.probe}${path}`);
      return [res.status, await res.text()];
    };
    assert.deepEqual(await get('/healthz'), [200, 'ok']);
    assert.deepEqual(await get('/readyz'), [500, '[-]readyz failed: reason withheld\nhealthz check failed\n']);
    synced = true;
    assert.deepEqual(await get('/readyz'), [200, 'ok']);
    alive = false;
    assert.deepEqual(await get('/healthz'), [500, '[-]healthz failed: reason withheld\nhealthz check failed\n']);
    assert.deepEqual(await get('/healthz/healthz'), [500, 'internal server error: check "healthz" failed\n']);
    assert.deepEqual(await get('/readyz/readyz'), [200, 'ok']);
    assert.deepEqual(await get('/readyz?verbose'), [200, '[+]readyz ok\nhealthz check passed\n']);
    assert.deepEqual(await get('/healthz/'), [500, '[-]healthz failed: reason withheld\nhealthz check failed\n']);
  });

  it('report a throwing check as a failure with its reason on the sub-path', async (t) => {
    const s = await start(t, { health: () => { throw new Error('pods watch stalled for 5m'); } });
    assert.equal((await fetch(`${s.probe}/healthz`)).status, 500);
    const single = await fetch(`${s.probe}/healthz/healthz`);
    assert.equal(single.status, 500);
    assert.equal(await single.text(), 'internal server error: pods watch stalled for 5m\n');
  });

  it('accept GET and HEAD only, with text/plain', async (t) => {
    const s = await start(t);
    const res = await fetch(`${s.probe}/healthz`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    const wrong = await post(`${s.probe}/readyz`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  });

  it('unknown checks under /healthz/ are 404', async (t) => {
    const s = await start(t);
    assert.equal((await fetch(`${s.probe}/healthz/readyz`)).status, 404);
    assert.equal((await fetch(`${s.probe}/healthz/ping`)).status, 404);
  });
});

describe('which path lives on which port (§5.2)', () => {
  it('probes only on the probe port; metrics, admin and status only on the metrics port', async (t) => {
    const s = await start(t, { metrics: { contentType: 'text/plain', render: async () => '' }, onResetCooldown: () => 1 });
    for (const path of ['/healthz', '/readyz', '/healthz/healthz']) assert.equal((await fetch(`${s.metrics}${path}`)).status, 404, `${path} on metrics port`);
    for (const path of ['/metrics', '/status']) assert.equal((await fetch(`${s.probe}${path}`)).status, 404, `${path} on probe port`);
    assert.equal((await post(`${s.probe}/reset-cooldown`)).status, 404);
    assert.equal((await fetch(`${s.metrics}/metrics`)).status, 200);
    assert.equal((await fetch(`${s.probe}/healthz`)).status, 200);
  });

  it('answers 404 with Go’s text for unknown paths, and does not read //metrics as a host', async (t) => {
    const s = await start(t, { metrics: { contentType: 'text/plain', render: async () => 'x' } });
    assert.deepEqual(await raw(s.metrics, 'GET', '/nope'), { status: 404, body: '404 page not found\n' });
    assert.deepEqual(await raw(s.metrics, 'GET', '//metrics'), { status: 404, body: '404 page not found\n' });
    assert.deepEqual(await raw(s.metrics, 'GET', '/metrics/'), { status: 404, body: '404 page not found\n' });
    assert.equal((await raw(s.metrics, 'GET', '/')).status, 404, 'no status page configured');
  });
});

describe('upstream cmd/manager/http_handlers_test.go (§6.1), POST as the endpoints now require', () => {
  it('TestCooldownResetHandler: (3, enabled) → reset, 3, "failure cooldown reset"', async (t) => {
    const s = await start(t, { onResetCooldown: () => ({ cleared: 3, enabled: true }) });
    const res = await post(`${s.metrics}/reset-cooldown`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(await res.text(), '{"reset":true,"clearedTargets":3,"message":"failure cooldown reset"}\n');
  });

  it('TestForceReconcileHandler: (5, 12, nil) → triggered, success, "force reconcile completed"', async (t) => {
    const s = await start(t, { onForceReconcile: () => ({ workloadsProcessed: 5, imagesMirrored: 12 }) });
    const res = await post(`${s.metrics}/force-reconcile`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { triggered: true, success: true, workloadsProcessed: 5, imagesMirrored: 12, message: 'force reconcile completed' });
  });

  it('TestForceReconcileHandlerFailure: (1, 0, "boom") → triggered, not success, partial counts', async (t) => {
    const s = await start(t, { onForceReconcile: () => ({ workloadsProcessed: 1, imagesMirrored: 0, error: new Error('boom') }) });
    const body = (await (await post(`${s.metrics}/force-reconcile`)).json()) as Record<string, unknown>;
    assert.equal(body['triggered'], true);
    assert.equal(body['success'], false);
    assert.equal(body['workloadsProcessed'], 1);
    assert.equal(body['imagesMirrored'], 0);
    assert.match(String(body['message']), /force reconcile failed: boom/);
  });

  it('TestForceReconcileHandlerNotReady: no reconciler → not triggered, "force reconcile service not ready"', async (t) => {
    const s = await start(t);
    assert.deepEqual(await (await post(`${s.metrics}/force-reconcile`)).json(), {
      triggered: false, success: false, workloadsProcessed: 0, imagesMirrored: 0, message: 'force reconcile service not ready',
    });
  });

  it('TestCooldownResetHandlerDisabled: (0, disabled) → not reset, "failure cooldown disabled"', async (t) => {
    const s = await start(t, { onResetCooldown: () => ({ cleared: 0, enabled: false }) });
    assert.deepEqual(await (await post(`${s.metrics}/reset-cooldown`)).json(), { reset: false, clearedTargets: 0, message: 'failure cooldown disabled' });
  });

  it('TestCooldownResetHandlerNotReady: no resetter → "cooldown reset service not ready"', async (t) => {
    const s = await start(t);
    assert.deepEqual(await (await post(`${s.metrics}/reset-cooldown`)).json(), { reset: false, clearedTargets: 0, message: 'cooldown reset service not ready' });
  });
});

describe('admin endpoints beyond the upstream tests', () => {
  it('reject every method but POST with 405 and Allow: POST, without calling back', async (t) => {
    let calls = 0;
    const s = await start(t, { onResetCooldown: () => ++calls, onForceReconcile: () => void calls++ });
    for (const path of ['/reset-cooldown', '/force-reconcile']) {
      for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
        const res = await fetch(`${s.metrics}${path}`, { method });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.get('allow'), 'POST');
      }
    }
    assert.equal(calls, 0);
  });

  it('words every reset outcome as upstream and logs the processed ones', async (t) => {
    const { log, lines } = logSink();
    const outcomes = [0, 4, { cleared: 2, enabled: true }, null];
    const s = await start(t, { log, onResetCooldown: async () => outcomes.shift() ?? null });
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push(await (await post(`${s.metrics}/reset-cooldown`)).json());
    assert.deepEqual(bodies, [
      { reset: false, clearedTargets: 0, message: 'no cooldown entries to reset' },
      { reset: true, clearedTargets: 4, message: 'failure cooldown reset' },
      { reset: true, clearedTargets: 2, message: 'failure cooldown reset' },
      { reset: false, clearedTargets: 0, message: 'cooldown reset service not ready' },
    ]);
    // Not logged while not ready, as upstream.
    assert.deepEqual(lines.map((l) => [l.level, l.msg, l.fields['clearedTargets'], l.fields['cooldownEnabled'], l.fields['method']]), [
      ['info', 'processed cooldown reset request', 0, true, 'POST'],
      ['info', 'processed cooldown reset request', 4, true, 'POST'],
      ['info', 'processed cooldown reset request', 2, true, 'POST'],
    ]);
  });

  it('a throwing reset answers 500 with the reason', async (t) => {
    const s = await start(t, { onResetCooldown: () => { throw new Error('store locked'); } });
    const res = await post(`${s.metrics}/reset-cooldown`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { reset: false, clearedTargets: 0, message: 'cooldown reset failed: store locked' });
  });

  it('force reconcile: void is success with zero counts, a throw is failure, null is not ready; errors are logged', async (t) => {
    const { log, lines } = logSink();
    const results: Array<() => ForceReconcileOutcome> = [() => undefined, () => { throw new Error('list pods: forbidden'); }, () => null];
    const s = await start(t, { log, onForceReconcile: () => (results.shift() ?? (() => null))() });
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await post(`${s.metrics}/force-reconcile`)).json());
    assert.deepEqual(bodies, [
      { triggered: true, success: true, workloadsProcessed: 0, imagesMirrored: 0, message: 'force reconcile completed' },
      { triggered: true, success: false, workloadsProcessed: 0, imagesMirrored: 0, message: 'force reconcile failed: list pods: forbidden' },
      { triggered: false, success: false, workloadsProcessed: 0, imagesMirrored: 0, message: 'force reconcile service not ready' },
    ]);
    assert.deepEqual(lines.map((l) => [l.level, l.msg]), [
      ['info', 'processed force reconcile request'],
      ['error', 'processed force reconcile request'],
    ]);
    assert.equal(lines[1]?.fields['error'], 'force reconcile failed: list pods: forbidden');
  });

  it('aborts the reconcile signal when the client goes away', { timeout: 5_000 }, async (t) => {
    let seen: AbortSignal | undefined;
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const s = await start(t, {
      onForceReconcile: (signal) => {
        seen = signal;
        entered();
        return new Promise((done) => signal.addEventListener('abort', () => done(null)));
      },
    });
    const client = new AbortController();
    const answer = fetch(`${s.metrics}/force-reconcile`, { method: 'POST', signal: client.signal }).then(() => 'answered', () => 'gone');
    await inside;
    assert.equal(seen?.aborted, false);
    client.abort();
    assert.equal(await answer, 'gone');
    const signal = seen;
    if (!signal) throw new Error('handler not called');
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve));
    assert.equal(signal.aborted, true);
  });
});

describe('/status and the status page', () => {
  const doc = {
    images: [{
      source: 'docker.io/library/nginx:1.27',
      target: 'mirror.example.com/docker.io/library/nginx:1.27',
      digests: { index: 'sha256:' + 'a'.repeat(64), platforms: { 'linux/amd64': 'sha256:' + 'b'.repeat(64) } },
      state: 'failed',
      lastError: 'TOOMANYREQUESTS: slow down',
      nextRetry: '2026-01-01T00:00:00.000Z',
      usedBy: [{ kind: 'Deployment', namespace: 'web', name: 'frontend' }],
    }],
  };

  it('GET /status serialises the status document as JSON, fresh on each call', async (t) => {
    let calls = 0;
    const s = await start(t, { status: async () => ({ ...doc, calls: ++calls }) });
    const res = await fetch(`${s.metrics}/status`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const text = await res.text();
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(JSON.parse(text), { ...doc, calls: 1 });
    assert.equal(((await (await fetch(`${s.metrics}/status`)).json()) as { calls: number }).calls, 2);
    const wrong = await post(`${s.metrics}/status`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  });

  it('answers 500 JSON when the status cannot be produced or serialised', async (t) => {
    const outcomes: Array<() => unknown> = [() => { throw new Error('store closed'); }, () => ({ n: 1n })];
    const s = await start(t, { status: () => (outcomes.shift() ?? (() => null))() });
    const first = await fetch(`${s.metrics}/status`);
    assert.equal(first.status, 500);
    assert.deepEqual(await first.json(), { error: 'status unavailable: store closed' });
    const second = await fetch(`${s.metrics}/status`);
    assert.equal(second.status, 500);
    assert.match(((await second.json()) as { error: string }).error, /^status unavailable: .*BigInt/);
  });

  it('serves the status page at / when given, never cached, not framed, with its policy', async (t) => {
    const html = '<!doctype html><title>copycat</title><script>fetch("status")</script>';
    const s = await start(t, { statusPage: { html, contentSecurityPolicy: "default-src 'none'" } });
    const res = await fetch(`${s.metrics}/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'");
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(await res.text(), html);
    assert.equal((await fetch(`${s.metrics}/?utm=x`)).status, 200, 'a query string is still the page');
    assert.equal((await post(`${s.metrics}/`)).status, 405);
    assert.equal((await fetch(`${s.probe}/`)).status, 404, 'not on the probe port');
  });

  it('serves the built page with a policy that allows exactly its inline script and style', async (t) => {
    const s = await start(t, { statusPage: statusPage() });
    const res = await fetch(`${s.metrics}/`);
    const html = await res.text();
    const hash = (tag: string) => {
      const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)?.[1] ?? '';
      return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
    };
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.ok(csp.includes(`script-src ${hash('script')};`), csp);
    assert.ok(csp.includes(`style-src ${hash('style')};`), csp);
    const head = await fetch(`${s.metrics}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(html)));
    assert.equal(await head.text(), '');
  });
});

describe('addresses and lifecycle', () => {
  it('metricsAddr "0" disables metrics, admin and status; the probes still run', async (t) => {
    const s = await start(t, { metricsAddr: '0', metrics: { contentType: 'text/plain', render: async () => '' } });
    assert.equal(s.metricsUrl, undefined);
    assert.equal((await fetch(`${s.probe}/healthz`)).status, 200);
  });

  it('probeAddr "" disables the probes', async (t) => {
    const s = await start(t, { probeAddr: '' });
    assert.equal(s.probeUrl, undefined);
    assert.match(s.metrics, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('listens on IPv6 loopback and on every interface', async (t) => {
    const s = await start(t, { metricsAddr: '[::1]:0', probeAddr: ':0' });
    assert.match(s.metrics, /^http:\/\/\[::1\]:\d+$/);
    assert.equal((await fetch(`${s.metrics}/status`)).status, 200);
    assert.equal((await fetch(`${s.probe}/healthz`)).status, 200);
  });

  it('rejects a bad address before listening anywhere', async () => {
    await assert.rejects(startServer({ metricsAddr: '8080', probeAddr: LOOPBACK, health: () => true, ready: () => true, status: () => ({}) }), (err: unknown) => {
      assert.ok(hasCode(err, 'LISTEN_ADDRESS_INVALID'));
      assert.match(err.message, /invalid metrics address "8080"/);
      return true;
    });
  });

  it('fails with LISTEN_FAILED on a busy port and releases the port it already bound', async (t) => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const busyPort = (busy.address() as AddressInfo).port;
    // Find a free port for metrics, then make the probe port collide.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const metricsPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await assert.rejects(
      startServer({ metricsAddr: `127.0.0.1:${metricsPort}`, probeAddr: `127.0.0.1:${busyPort}`, health: () => true, ready: () => true, status: () => ({}) }),
      (err: unknown) => {
        assert.ok(hasCode(err, 'LISTEN_FAILED'));
        assert.match(err.message, new RegExp(`cannot listen on health probe address "127\\.0\\.0\\.1:${busyPort}": .*EADDRINUSE`));
        return true;
      },
    );
    // The metrics server that did start was closed again: its port is free.
    const again = createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(metricsPort, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it('stop() lets a request in flight finish, refuses new connections, and is idempotent', async (t) => {
    let release: () => void = () => {};
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const s = await start(t, {
      onForceReconcile: () => {
        entered();
        return new Promise((resolve) => (release = () => resolve({ workloadsProcessed: 2, imagesMirrored: 1 })));
      },
    });
    const inflight = post(`${s.metrics}/force-reconcile`);
    await inside;
    const stopped = s.stop();
    assert.equal(s.stop(), stopped, 'same promise on a second call');
    await assert.rejects(fetch(`${s.probe}/healthz`), 'new connections are refused');
    release();
    const res = await inflight;
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { imagesMirrored: number }).imagesMirrored, 1);
    await stopped;
  });

  it('stop() aborts handlers and cuts connections once the grace period is over', async (t) => {
    let signal: AbortSignal | undefined;
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const s = await start(t, {
      shutdownGraceMs: 50,
      onForceReconcile: (sig) => {
        signal = sig;
        entered();
        return new Promise(() => {}); // never finishes by itself
      },
    });
    const inflight = post(`${s.metrics}/force-reconcile`).then(
      () => 'answered',
      () => 'cut',
    );
    await inside;
    const began = Date.now();
    await s.stop();
    assert.ok(Date.now() - began >= 40, 'waited for the grace period');
    assert.equal(signal?.aborted, true);
    assert.equal(await inflight, 'cut');
  });
});
