import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorBody, startCannedServer, type CannedServer, rejection } from './canned-server.fixture.ts';
import { RegistryError } from './errors.ts';
import { discard, readText, Transport, type TransportResponse } from './transport.ts';

// Tiny backoff so retry tests run in milliseconds; Retry-After still decides when a server sends it.
const FAST = { attempts: 3, backoff: { initialMs: 1, maxMs: 5 } };

async function text(res: TransportResponse): Promise<string> {
  return readText(res);
}

describe('Transport redirects', () => {
  let origin: CannedServer;
  let storage: CannedServer;
  const transport = new Transport(FAST);

  before(async () => {
    storage = await startCannedServer([{ method: 'GET', path: '/bucket/blob', reply: { status: 200, body: 'from storage' } }]);
    origin = await startCannedServer([
      { method: 'GET', path: '/v2/r/blobs/cross', reply: { status: 307, headers: { location: `${storage.url}/bucket/blob?X-Amz-Signature=abc` } } },
      { method: 'GET', path: '/v2/r/blobs/same', reply: { status: 302, headers: { location: '/v2/r/blobs/final' } } },
      { method: 'GET', path: '/v2/r/blobs/final', reply: { status: 200, body: 'same origin' } },
      { method: 'GET', path: '/loop', reply: { status: 302, headers: { location: '/loop' } } },
    ]);
  });
  after(async () => {
    await transport.close();
    await Promise.all([origin.close(), storage.close()]);
  });

  it('drops Authorization when a redirect leaves the origin', async () => {
    const res = await transport.request({ method: 'GET', url: `${origin.url}/v2/r/blobs/cross`, headers: { Authorization: 'Bearer secret-token' } });
    assert.equal(res.status, 200);
    assert.equal(await text(res), 'from storage');
    assert.equal(res.url, `${storage.url}/bucket/blob?X-Amz-Signature=abc`);
    assert.equal(origin.seen('GET', '/v2/r/blobs/cross')[0]?.headers.authorization, 'Bearer secret-token');
    const atStorage = storage.seen('GET', '/bucket/blob');
    assert.equal(atStorage.length, 1);
    assert.equal(atStorage[0]?.headers.authorization, undefined);
    assert.equal(atStorage[0]?.query.get('X-Amz-Signature'), 'abc');
  });

  it('keeps Authorization on a same-origin redirect', async () => {
    const res = await transport.request({ method: 'GET', url: `${origin.url}/v2/r/blobs/same`, headers: { authorization: 'Bearer secret-token' } });
    assert.equal(await text(res), 'same origin');
    assert.equal(origin.seen('GET', '/v2/r/blobs/final')[0]?.headers.authorization, 'Bearer secret-token');
  });

  it('gives up on a redirect loop with TOO_MANY_REDIRECTS', async () => {
    const err = await rejection(() => transport.request({ method: 'GET', url: `${origin.url}/loop` }));
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'TOO_MANY_REDIRECTS');
    assert.equal(err.temporary, false);
    // Not retried: one chain of 11 requests (the first plus 10 redirects).
    assert.equal(origin.seen('GET', '/loop').length, 11);
  });

  it('does not follow a redirect answering a PUT (the caller handles it)', async () => {
    origin.add({ method: 'PUT', path: '/put-redirect', reply: { status: 307, headers: { location: `${storage.url}/bucket/blob` } } });
    const before = storage.requests.length;
    const res = await transport.request({ method: 'PUT', url: `${origin.url}/put-redirect`, body: 'x' });
    discard(res);
    assert.equal(res.status, 307);
    assert.equal(storage.requests.length, before);
  });
});

describe('Transport retries', () => {
  let server: CannedServer;
  const transport = new Transport({ ...FAST, maxRetryAfterMs: 5_000 });

  before(async () => {
    server = await startCannedServer([
      { method: 'GET', path: '/throttled', times: 1, reply: { status: 429, headers: { 'retry-after': '1' }, body: errorBody('TOOMANYREQUESTS') } },
      { method: 'GET', path: '/throttled', reply: { status: 200, body: 'ok after wait' } },
      { method: 'GET', path: '/flaky', times: 2, reply: { status: 503, body: 'down' } },
      { method: 'GET', path: '/flaky', reply: { status: 200, body: 'ok after 503s' } },
      { method: 'GET', path: '/down', reply: { status: 503, body: errorBody('UNAVAILABLE', 'maintenance') } },
      { method: 'HEAD', path: '/down-head', reply: { status: 502 } },
      { method: 'POST', path: '/down', reply: { status: 503, body: errorBody('UNAVAILABLE') } },
      { method: 'GET', path: '/long-throttle', reply: { status: 429, headers: { 'retry-after': '120' } } },
      { method: 'GET', path: '/missing', reply: { status: 404, body: errorBody('MANIFEST_UNKNOWN') } },
      {
        method: 'GET',
        path: '/reset',
        reply: (_req, res) => {
          res.socket?.destroy();
        },
      },
    ]);
  });
  after(async () => {
    await transport.close();
    await server.close();
  });

  it('waits for Retry-After on a 429 and then succeeds', async () => {
    const started = performance.now();
    const res = await transport.request({ method: 'GET', url: `${server.url}/throttled` });
    const elapsed = performance.now() - started;
    assert.equal(res.status, 200);
    assert.equal(await text(res), 'ok after wait');
    assert.equal(server.seen('GET', '/throttled').length, 2);
    assert.ok(elapsed >= 950, `retried after ${elapsed} ms, Retry-After asked for 1000`);
  });

  it('retries 503 twice and returns the 200 that follows', async () => {
    const res = await transport.request({ method: 'GET', url: `${server.url}/flaky` });
    assert.equal(res.status, 200);
    assert.equal(await text(res), 'ok after 503s');
    assert.equal(server.seen('GET', '/flaky').length, 3);
  });

  it('gives up after `attempts` with a temporary RegistryError carrying the registry code', async () => {
    const err = await rejection(() => transport.request({ method: 'GET', url: `${server.url}/down` }));
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'UNAVAILABLE');
    assert.equal(err.status, 503);
    assert.equal(err.temporary, true);
    assert.equal(err.method, 'GET');
    assert.deepEqual(err.errors.map((e) => e.message), ['maintenance']);
    assert.equal(server.seen('GET', '/down').length, 3);
  });

  it('derives the code from the status when the body has none (HEAD)', async () => {
    const err = await rejection(() => transport.request({ method: 'HEAD', url: `${server.url}/down-head` }));
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'HTTP_502');
    assert.equal(err.status, 502);
    assert.equal(err.temporary, true);
    assert.equal(server.seen('HEAD', '/down-head').length, 3);
  });

  it('never retries a POST: the 503 comes back to the caller after one request', async () => {
    const res = await transport.request({ method: 'POST', url: `${server.url}/down`, body: 'form' });
    assert.equal(res.status, 503);
    discard(res);
    assert.equal(server.seen('POST', '/down').length, 1);
  });

  it('fails at once when Retry-After is longer than maxRetryAfterMs, reporting the wait', async () => {
    const started = performance.now();
    const err = await rejection(() => transport.request({ method: 'GET', url: `${server.url}/long-throttle` }));
    assert.ok(performance.now() - started < 900);
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'TOOMANYREQUESTS');
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 120_000);
    assert.equal(server.seen('GET', '/long-throttle').length, 1);
  });

  it('returns non-temporary errors to the caller without retrying', async () => {
    const res = await transport.request({ method: 'GET', url: `${server.url}/missing` });
    assert.equal(res.status, 404);
    discard(res);
    assert.equal(server.seen('GET', '/missing').length, 1);
  });

  it('turns a dropped connection into a NETWORK error after retrying it', async () => {
    const err = await rejection(() => transport.request({ method: 'GET', url: `${server.url}/reset?token=hide-me` }));
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'NETWORK');
    assert.equal(err.status, 0);
    assert.equal(err.temporary, true);
    assert.ok(!err.message.includes('hide-me'), err.message);
    assert.equal(server.seen('GET', '/reset').length, 3);
  });

  it('stops retrying when the signal aborts', async () => {
    const ctl = new AbortController();
    const p = transport.request({ method: 'GET', url: `${server.url}/long-throttle`, signal: ctl.signal });
    ctl.abort();
    await assert.rejects(p, (err: unknown) => err instanceof Error && err.name === 'AbortError');
  });
});

describe('Transport observer and headers', () => {
  it('sends the user agent and reports every exchange and throttle', async () => {
    const server = await startCannedServer([
      { method: 'GET', path: '/x', times: 1, reply: { status: 500 } },
      { method: 'GET', path: '/x', reply: { status: 200, headers: { 'www-authenticate': ['Basic realm="a"', 'Bearer realm="b"'] }, body: '' } },
    ]);
    const seen: string[] = [];
    const transport = new Transport({
      ...FAST,
      userAgent: 'copycat-test/1',
      observer: {
        onResponse: (i) => seen.push(`${i.method} ${i.status}`),
        onThrottle: (i) => seen.push(`throttle ${i.reason}`),
      },
    });
    try {
      const res = await transport.request({ method: 'GET', url: `${server.url}/x` });
      discard(res);
      assert.deepEqual(seen, ['GET 500', 'throttle HTTP_500', 'GET 200']);
      assert.equal(server.requests[0]?.headers['user-agent'], 'copycat-test/1');
      // Repeated WWW-Authenticate headers stay separate: joining them would break quoted params.
      assert.deepEqual(res.challenges, ['Basic realm="a"', 'Bearer realm="b"']);
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
