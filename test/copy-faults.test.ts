/**
 * The copy engine through a fault-injecting proxy in front of the source and the target registry:
 * dropped and stalled bodies, 503/429 with Retry-After, resets on uploads and manifest PUTs. Either
 * the copy completes with identical digests (checked with skopeo straight at the registry, not
 * through the proxy), or it fails with a clear error and no tag on an incomplete image (ARCHITECTURE §2.5).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { CopycatError, RegistryError, type CopyEvent } from '../src/index.ts';
import { pushImage, pushMultiArchIndex, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startFaultProxy, type FaultPlan, type FaultProxy } from './support/proxy.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { makeEngine, ref, type Engine } from './lib/engine.ts';
import { assertBlobAbsent, assertManifestAbsent, assertManifestPresent, assertMirrored } from './lib/verify.ts';

/** Blob GETs (not uploads). */
const BLOB_GET = /\/blobs\/sha256:/;
const UPLOAD = /\/blobs\/uploads\//;

describe('copy through faults', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let srcProxy: FaultProxy;
  let dstProxy: FaultProxy;
  let index: IndexFixture;
  let big: ImageFixture;

  before(async () => {
    [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
    [srcProxy, dstProxy] = await Promise.all([startFaultProxy(src.url), startFaultProxy(dst.url)]);
    // Layers of 48 KiB and 256 KiB so that a body dropped "mid-blob" really is mid-stream.
    [index, big] = await Promise.all([
      pushMultiArchIndex(src, 'faults/multi', { tag: 'v1', layers: [48 * 1024], platforms: ['linux/amd64', 'linux/arm64'] }),
      pushImage(src, 'faults/big', { tag: 'v1', layers: [256 * 1024, 4096], layerFormat: 'random' }),
    ]);
  });
  afterEach(() => {
    srcProxy.setPlan([]);
    dstProxy.setPlan([]);
  });
  after(async () => {
    await Promise.all([srcProxy?.stop(), dstProxy?.stop()]);
    await Promise.all([src?.stop(), dst?.stop()]);
  });

  /** An engine reaching both registries only through the proxies; a 500 ms body idle timeout catches stalls. */
  const engine = (): Engine => makeEngine(srcProxy, dstProxy, { transport: { bodyIdleTimeoutMs: 500, headersTimeoutMs: 5_000 } });

  async function copyThrough(source: string, target: string, srcPlan: FaultPlan, dstPlan: FaultPlan, events: CopyEvent[] = []) {
    srcProxy.setPlan(srcPlan);
    dstProxy.setPlan(dstPlan);
    const e = engine();
    try {
      return await e.copier.copy(ref(srcProxy, source), ref(dstProxy, target), { observer: (ev) => void events.push(ev) });
    } finally {
      await e.close();
    }
  }

  it('a connection dropped mid-blob at the source is resumed; the copy is digest-exact', async () => {
    const result = await copyThrough('faults/big:v1', 'drop/big:v1', [{ match: { method: 'GET', path: BLOB_GET }, times: 2, fault: 'drop-mid-body' }], []);
    assert.deepEqual(srcProxy.fired(), [2]);
    assert.equal(result.digest, big.digest);
    assert.equal(result.tagged, true);
    await assertMirrored(dst, 'drop/big', 'v1', big);
  });

  it('503 and 429 with Retry-After on source manifest and blob GETs (and a target HEAD) are waited out and retried', async () => {
    const started = performance.now();
    const result = await copyThrough(
      'faults/multi:v1',
      'throttled/multi:v1',
      [
        { match: { method: 'GET', path: /\/manifests\/sha256:/ }, times: 1, fault: { status: 503, retryAfter: '1' } },
        { match: { method: 'GET', path: BLOB_GET }, times: 2, fault: { status: 429, retryAfter: '1' } },
      ],
      [{ match: { method: 'HEAD', path: /\/manifests\/v1$/ }, times: 1, fault: { status: 503, retryAfter: '1' } }],
    );
    assert.deepEqual(srcProxy.fired(), [1, 2]);
    assert.deepEqual(dstProxy.fired(), [1]);
    // Retry-After: 1 is honoured (three times, partly overlapping), not answered at once with another request.
    assert.ok(performance.now() - started >= 1_900, `took ${Math.round(performance.now() - started)} ms`);
    for (const proxy of [srcProxy, dstProxy]) {
      for (const [i, f] of proxy.requests.entries()) {
        if (f.fault === undefined) continue;
        const retry = proxy.requests.slice(i + 1).find((r) => r.method === f.method && r.path === f.path && r.fault === undefined);
        // A HEAD of a tag not yet in the target rightly answers 404: any answer but throttling or failure will do.
        assert.ok(retry && retry.status > 0 && retry.status < 500 && retry.status !== 429, `${f.method} ${f.path} was retried successfully`);
      }
    }
    assert.equal(result.digest, index.digest);
    await assertMirrored(dst, 'throttled/multi', 'v1', index);
  });

  it('a reset on the upload PUT and on the tag PUT at the target: the blob upload and the manifest PUT are retried', async () => {
    const events: CopyEvent[] = [];
    const result = await copyThrough(
      'faults/big:v1',
      'reset/big:v1',
      [],
      [
        { match: { method: 'PUT', path: UPLOAD }, times: 1, fault: 'reset' },
        // The registry commits this one but the client never hears of it: the retry must cope.
        { match: { method: 'PUT', path: UPLOAD }, times: 1, fault: 'reset-after-upstream' },
        { match: { method: 'PUT', path: /\/manifests\/v1$/ }, times: 1, fault: 'reset' },
      ],
      events,
    );
    assert.deepEqual(dstProxy.fired(), [1, 1, 1]);
    assert.ok(events.filter((e) => e.type === 'blob-retry').length >= 2, 'the copy engine retried the blob uploads');
    assert.equal(result.digest, big.digest);
    await assertMirrored(dst, 'reset/big', 'v1', big);
  });

  it('a stalled blob body at the source hits the idle timeout and is resumed, long before the stall ends', async () => {
    const started = performance.now();
    const result = await copyThrough('faults/big:v1', 'stall/big:v1', [{ match: { method: 'GET', path: BLOB_GET }, times: 1, fault: 'stall', stallMs: 30_000 }], []);
    assert.deepEqual(srcProxy.fired(), [1]);
    assert.ok(performance.now() - started < 10_000, `took ${Math.round(performance.now() - started)} ms`);
    assert.equal(result.digest, big.digest);
    await assertMirrored(dst, 'stall/big', 'v1', big);
  });

  it('a stalled and a dropped manifest body at the source are read again', async () => {
    const started = performance.now();
    const result = await copyThrough(
      'faults/multi:v1',
      'stall/multi:v1',
      [
        { match: { method: 'GET', path: /\/manifests\/sha256:/ }, times: 1, fault: 'stall', stallMs: 30_000 },
        { match: { method: 'GET', path: /\/manifests\/sha256:/ }, times: 1, fault: 'drop-mid-body' },
      ],
      [],
    );
    assert.deepEqual(srcProxy.fired(), [1, 1]);
    assert.ok(performance.now() - started < 10_000, `took ${Math.round(performance.now() - started)} ms`);
    assert.equal(result.digest, index.digest);
    await assertMirrored(dst, 'stall/multi', 'v1', index);
  });

  it('a manifest body that always stalls: a typed TIMEOUT naming the URL, and nothing under the tag', async () => {
    const child = index.manifests[0]!;
    const err = await copyThrough('faults/multi:v1', 'stalled/multi:v1', [{ match: { method: 'GET', path: new RegExp(`/manifests/${child.digest}$`) }, times: Infinity, fault: 'stall', stallMs: 30_000 }], []).then(
      () => assert.fail('the copy must fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RegistryError, String(err));
    assert.equal(err.code, 'TIMEOUT');
    assert.equal(err.temporary, true);
    assert.ok(err.message.includes(`/v2/faults/multi/manifests/${child.digest}`), err.message);
    await assertManifestAbsent(dst, 'stalled/multi', 'v1');
    await assertManifestAbsent(dst, 'stalled/multi', index.digest);
  });

  it('a source blob that keeps failing: a clear error naming the blob, and no tag and no index at the target', async () => {
    const layer = index.manifests[1]!.layers[0]!;
    const err = await copyThrough('faults/multi:v1', 'broken/multi:v1', [{ match: { method: 'GET', path: new RegExp(`/blobs/${layer.digest}$`) }, times: Infinity, fault: { status: 503 } }], []).then(
      () => assert.fail('the copy must fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RegistryError, String(err));
    assert.equal(err.code, 'UNAVAILABLE');
    assert.equal(err.temporary, true);
    assert.ok(err.message.includes(layer.digest), err.message);
    await assertManifestAbsent(dst, 'broken/multi', 'v1');
    await assertManifestAbsent(dst, 'broken/multi', index.digest);
    await assertManifestAbsent(dst, 'broken/multi', index.manifests[1]!.digest);
    await assertBlobAbsent(dst, 'broken/multi', layer.digest);
  });

  it('a target that refuses the tag PUT: the error says so, and the tag does not exist', async () => {
    const err = await copyThrough('faults/multi:v1', 'notag/multi:v1', [], [{ match: { method: 'PUT', path: /\/manifests\/v1$/ }, times: Infinity, fault: { status: 503 } }]).then(
      () => assert.fail('the copy must fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CopycatError, String(err));
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /PUT .*\/v2\/notag\/multi\/manifests\/v1: HTTP 503/);
    await assertManifestAbsent(dst, 'notag/multi', 'v1');
    // Children first: the platform images were already in place by digest, which is harmless and resumable.
    for (const m of index.manifests) await assertManifestPresent(dst, 'notag/multi', m.digest);
  });
});
