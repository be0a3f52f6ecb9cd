import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePlatform } from '../oci/index.ts';
import { MirrorError } from './errors.ts';
import { goDuration, mirrorImage, type MirrorContext } from './mirror.ts';
import { seedImage, seedIndex, startMemoryRegistry, type MemoryRegistry } from './memory-registry.fixture.ts';
import { planImage, type MirrorPlan, type UseContext } from './planner.ts';
import { mirrorContext } from './test-support.fixture.ts';

const CTX: UseContext = { namespace: 'default', owner: 'web', container: 'app' };

function planFor(ctx: MirrorContext, image: string, imageID?: string, use: UseContext = CTX): MirrorPlan {
  const d = planImage(ctx.rules, image, imageID, use);
  assert.equal(d.kind, 'mirror', JSON.stringify(d));
  return (d as Extract<typeof d, { kind: 'mirror' }>).plan;
}

describe('mirrorImage against in-memory registries', () => {
  let src: MemoryRegistry;
  let dst: MemoryRegistry;
  let n = 0;
  /** A fresh repository name per test, so tests do not see each other's images. */
  const repo = (name: string) => `${name}-${++n}`;

  before(async () => {
    [src, dst] = await Promise.all([startMemoryRegistry(), startMemoryRegistry()]);
  });
  after(async () => {
    await Promise.all([src.close(), dst.close()]);
  });

  const since = (reg: MemoryRegistry) => {
    const start = reg.requests.length;
    return () => reg.requests.slice(start);
  };

  it('copies a tag, logs "pushing image to target" and "finished pushing image", counts pull and push', async () => {
    const r = repo('app');
    const img = seedImage(src, r, { tag: 'v1' });
    const ctx = mirrorContext(dst.host);
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
    assert.equal(out.result, 'copied');
    assert.equal(out.digest, img.digest);
    assert.equal(dst.tagOf(r, 'v1'), img.digest);
    const messages = ctx.records.map((x) => x.message);
    assert.ok(messages.includes('pushing image to target'));
    assert.ok(messages.includes('finished pushing image'));
    assert.deepEqual(ctx.calls, [`pull ${src.host}/${r}:v1 true`, `push ${dst.host}/${r}:v1 true`]);
  });

  it('TestMirrorRechecksTargetAfterSuccessfulSkip: an image already in the target costs a source HEAD and a target HEAD, every time, no GET', async () => {
    const r = repo('present');
    seedImage(src, r, { tag: 'v1' });
    const ctx = mirrorContext(dst.host);
    await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
    for (let i = 0; i < 2; i++) {
      const s = since(src);
      const d = since(dst);
      const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
      assert.equal(out.result, 'present');
      assert.deepEqual(s().map((q) => q.method), ['HEAD']);
      assert.deepEqual(d().map((q) => q.method), ['HEAD']);
    }
    assert.ok(ctx.records.some((x) => x.message === 'image already present at target' && x.level === 'debug'));
  });

  it('TestMirrorSkipsSourcePullWhenTargetDigestMatches: a digest source already in the target costs one target HEAD and nothing at the source', async () => {
    const r = repo('pinned');
    const img = seedImage(src, r);
    const ctx = mirrorContext(dst.host, { digestPull: true });
    await mirrorImage(planFor(ctx, `${src.host}/${r}@${img.digest}`), ctx);
    assert.equal(dst.hasManifest(r, img.digest), true);
    assert.equal(dst.tagOf(r, 'latest'), undefined, 'a digest-only source never becomes latest');
    const s = since(src);
    const d = since(dst);
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}@${img.digest}`), ctx);
    assert.equal(out.result, 'present');
    assert.equal(s().length, 0);
    assert.deepEqual(d().map((q) => `${q.method} ${q.path}`), [`HEAD /v2/${r}/manifests/${img.digest}`]);
  });

  it('TestMirrorSkipsLoggingPushWhenDigestAlreadyPresent: a pod digest under its tag costs exactly one HEAD and no push log', async () => {
    const r = repo('alpine');
    const img = seedImage(src, r, { tag: '3.19' });
    const ctx = mirrorContext(dst.host, { digestPull: true, repoPrefix: '$namespace' });
    dst.putBlob(`default/${r}`, Buffer.from('x'));
    await mirrorImage(planFor(ctx, `${src.host}/${r}:3.19`, `${src.host}/${r}@${img.digest}`), ctx);
    const s = since(src);
    const d = since(dst);
    const before = ctx.records.length;
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:3.19`, `${src.host}/${r}@${img.digest}`), ctx);
    assert.equal(out.result, 'present');
    assert.equal(s().length, 0);
    assert.deepEqual(d().map((q) => `${q.method} ${q.path}`), [`HEAD /v2/default/${r}/manifests/3.19`]);
    assert.ok(!ctx.records.slice(before).some((x) => x.message === 'pushing image to target'));
    assert.ok(ctx.records.slice(before).some((x) => x.message === 'image digest already present at target'));
  });

  it('a pod digest present without its tag gets the tag from the target itself (upstream never created it, §7.1 item 10)', async () => {
    const r = repo('retag');
    const img = seedImage(src, r, { tag: 'stable' });
    const ctx = mirrorContext(dst.host, { digestPull: true });
    await mirrorImage(planFor(ctx, `${src.host}/${r}@${img.digest}`), ctx);
    assert.equal(dst.tagOf(r, 'stable'), undefined);
    const s = since(src);
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:stable`, `${src.host}/${r}@${img.digest}`), ctx);
    assert.equal(out.result, 'present');
    assert.equal(out.tagged, true);
    assert.equal(dst.tagOf(r, 'stable'), img.digest);
    assert.equal(s().length, 0, 'the source is not read');
  });

  it('TestMirrorDigestPullIgnoredTagSkipsPodImageIDDigest: latest is resolved by tag at the source', async () => {
    const r = repo('latest');
    const img = seedImage(src, r, { tag: 'latest' });
    const ctx = mirrorContext(dst.host, { digestPull: true });
    const s = since(src);
    await mirrorImage(planFor(ctx, `${src.host}/${r}:latest`, `${src.host}/${r}@sha256:${'a'.repeat(64)}`), ctx);
    assert.equal(s()[0]?.path, `/v2/${r}/manifests/latest`);
    assert.equal(dst.tagOf(r, 'latest'), img.digest);
  });

  it('TestMirrorManifestUnknownIncludesOverwriteHint: a pod digest gone from the source says the image was overwritten', async () => {
    const r = repo('gone');
    seedImage(src, r, { tag: '1.25' });
    const ctx = mirrorContext(dst.host, { digestPull: true });
    await assert.rejects(mirrorImage(planFor(ctx, `${src.host}/${r}:1.25`, `${src.host}/${r}@sha256:${'b'.repeat(64)}`), ctx), (err: unknown) => {
      assert.ok(err instanceof MirrorError);
      assert.equal(err.code, 'MANIFEST_UNKNOWN');
      assert.equal(err.side, 'source');
      assert.match(err.message, /looks like the original image was overwritten and pod imageID digest is no longer available at source/);
      return true;
    });
    assert.ok(ctx.calls.includes(`pull ${src.host}/${r}:1.25 false`));
  });

  it('TestMirrorRecordsPullErrorMetric: a missing source tag is a pull error (describe …)', async () => {
    const r = repo('missing');
    const ctx = mirrorContext(dst.host);
    await assert.rejects(mirrorImage(planFor(ctx, `${src.host}/${r}:latest`), ctx), (err: unknown) => err instanceof MirrorError && err.side === 'source' && /^describe /.test(err.message));
    assert.deepEqual(ctx.calls, [`pull ${src.host}/${r}:latest false`]);
  });

  it('TestMirrorRecordsPushErrorMetric: a target that refuses (403 DENIED) is a push error, logged as an authentication failure', async () => {
    const r = repo('denied');
    seedImage(src, r, { tag: 'v1' });
    dst.fail({ method: 'HEAD', path: new RegExp(`^/v2/${r}/manifests/`), status: 403, code: 'DENIED', times: 1 });
    const ctx = mirrorContext(dst.host);
    await assert.rejects(mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx), (err: unknown) => err instanceof MirrorError && err.side === 'target' && err.code === 'DENIED' && /^check /.test(err.message));
    assert.ok(ctx.calls.includes(`push ${dst.host}/${r}:v1 false`));
    assert.ok(ctx.records.some((x) => x.message === 'registry authentication failed during target existence check' && x.fields['statusCode'] === 403));
  });

  it('TestMirrorContinuesPullWhenTargetDigestUnknown: a target HEAD without Docker-Content-Digest is answered by reading the manifest, not trusted blindly', async () => {
    const r = repo('nodigest');
    const img = seedImage(src, r, { tag: 'v1' });
    const ctx = mirrorContext(dst.host);
    await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
    dst.fail({ method: 'HEAD', path: new RegExp(`^/v2/${r}/manifests/v1$`), status: 0, dropHeaders: ['docker-content-digest'], times: 1 });
    const d = since(dst);
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
    assert.equal(out.result, 'present');
    assert.equal(out.digest, img.digest);
    assert.deepEqual(d().map((q) => q.method), ['HEAD', 'GET']);
  });

  it('TestWithRetryRetriesDeadlineExceeded: a temporary push failure is retried (attempts 3, backoff 0) and succeeds', async () => {
    const r = repo('flaky');
    const img = seedImage(src, r, { tag: 'v1' });
    // Blob uploads have their own retry in the copy engine; a failing tag PUT fails the whole copy attempt.
    dst.fail({ method: 'PUT', path: new RegExp(`^/v2/${r}/manifests/v1$`), status: 503, code: 'UNAVAILABLE', times: 2 });
    const ctx = mirrorContext(dst.host, {}, { retryAttempts: 3 });
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
    assert.equal(out.result, 'copied');
    assert.equal(dst.tagOf(r, 'v1'), img.digest);
    const retries = ctx.records.filter((x) => x.message === 'push failed; retrying');
    assert.deepEqual(retries.map((x) => x.fields['attempt']), [1, 2]);
    assert.equal(retries[0]?.fields['retryBackoff'], '0s');
    assert.equal(retries[0]?.level, 'error');
  });

  it('TestWithRetryDoesNotRetryAuthErrors: a 401/403 on push is not retried', async () => {
    const r = repo('noauth');
    seedImage(src, r, { tag: 'v1' });
    dst.fail({ method: 'PUT', path: new RegExp(`^/v2/${r}/manifests/v1$`), status: 403, code: 'DENIED', times: 5 });
    const ctx = mirrorContext(dst.host, {}, { retryAttempts: 3 });
    await assert.rejects(mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx), (err: unknown) => err instanceof MirrorError && err.code === 'DENIED' && /^push /.test(err.message));
    assert.equal(ctx.records.filter((x) => x.message === 'push failed; retrying').length, 0);
    assert.equal(dst.count('PUT', new RegExp(`^/v2/${r}/manifests/v1$`)), 1);
  });

  it('different digest under a tag: overwritten by default, latest always; refused with allowDifferentDigestRepush=false', async () => {
    const r = repo('moved');
    const old = seedImage(src, r, { tag: 'v1', seed: 'old' });
    const ctxAllow = mirrorContext(dst.host);
    await mirrorImage(planFor(ctxAllow, `${src.host}/${r}:v1`), ctxAllow);
    const moved = seedImage(src, r, { tag: 'v1', seed: 'new' });
    seedImage(src, r, { tag: 'latest', seed: 'new' });
    assert.notEqual(moved.digest, old.digest);

    const ctxRefuse = mirrorContext(dst.host, { allowDifferentDigestRepush: false });
    await assert.rejects(mirrorImage(planFor(ctxRefuse, `${src.host}/${r}:v1`), ctxRefuse), (err: unknown) => {
      assert.ok(err instanceof MirrorError);
      assert.equal(err.code, 'TARGET_DIGEST_CONFLICT');
      assert.equal(err.message, `target image ${dst.host}/${r}:v1 exists with digest ${old.digest}, refusing to overwrite with source digest ${moved.digest}`);
      return true;
    });
    assert.ok(ctxRefuse.records.some((x) => x.message === 'digest mismatch detected' && x.level === 'error'));
    assert.ok(ctxRefuse.calls.includes(`push ${dst.host}/${r}:v1 false`));
    assert.equal(dst.tagOf(r, 'v1'), old.digest);

    // latest is exempt from the refusal.
    dst.putManifest(r, old.bytes, 'application/vnd.oci.image.manifest.v1+json', 'latest');
    await mirrorImage(planFor(ctxRefuse, `${src.host}/${r}:latest`), ctxRefuse);
    assert.equal(dst.tagOf(r, 'latest'), moved.digest);
    assert.ok(ctxRefuse.records.some((x) => x.message === 'image already present with different digest for latest tag, updating'));

    await mirrorImage(planFor(ctxAllow, `${src.host}/${r}:v1`), ctxAllow);
    assert.equal(dst.tagOf(r, 'v1'), moved.digest);
    assert.ok(ctxAllow.records.some((x) => x.message === 'image already present with different digest, updating per configuration'));
  });

  it('a pod digest with the tag held elsewhere and repush refused is pushed by digest only: the pod\'s digest is served, the tag kept', async () => {
    const r = repo('keep');
    const old = seedImage(src, r, { tag: 'v1', seed: 'old' });
    const other = seedImage(src, r, { seed: 'other' });
    const ctx = mirrorContext(dst.host, { allowDifferentDigestRepush: false, digestPull: true });
    await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`, `${src.host}/${r}@${old.digest}`), ctx);
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`, `${src.host}/${r}@${other.digest}`), ctx);
    assert.equal(out.result, 'copied');
    assert.equal(out.tagged, false);
    assert.match(out.note ?? '', /kept/);
    assert.equal(dst.tagOf(r, 'v1'), old.digest);
    assert.equal(dst.hasManifest(r, other.digest), true);
  });

  it('dryRun reads but writes nothing: no repository, no blob, no manifest', async () => {
    const reg = await startMemoryRegistry();
    try {
      const r = repo('dry');
      seedImage(src, r, { tag: 'v1' });
      const ctx = mirrorContext(reg.host, {}, { dryRun: true });
      const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
      assert.equal(out.result, 'dry-run');
      assert.deepEqual(reg.repositories(), []);
      assert.equal(reg.uploads + reg.manifestPuts, 0);
      assert.ok(reg.requests.every((q) => q.method === 'HEAD' || q.method === 'GET'));
      assert.ok(ctx.records.some((x) => x.message === 'dry run: skipping push' && x.fields['dryRun'] === true));
      assert.ok(ctx.calls.includes(`pull ${src.host}/${r}:v1 true`), 'upstream counts the pull in dry-run');
    } finally {
      await reg.close();
    }
  });

  it('dryPull contacts no registry at all', async () => {
    const r = repo('drypull');
    const ctx = mirrorContext(dst.host, {}, { dryPull: true });
    const s = since(src);
    const d = since(dst);
    const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx);
    assert.equal(out.result, 'dry-pull');
    assert.equal(s().length + d().length, 0);
    assert.ok(ctx.records.some((x) => x.message === 'dry pull: skipping source registry fetch' && x.fields['sourceReference'] === `${src.host}/${r}:v1`));
    assert.deepEqual(ctx.calls, []);
  });

  describe('platforms (digestPull with a node platform or mirrorPlatforms)', () => {
    const node = { os: 'linux', architecture: 'arm64' };

    it('node arm64 + multi-arch index on a registry refusing sparse indexes: the arm64 manifest by digest, no tag, reported (ADR 0002)', async () => {
      const r = repo('multi');
      const idx = seedIndex(src, r, ['linux/amd64', 'linux/arm64'], { tag: 'v1' });
      const arm = idx.children.find((c) => c.platform === 'linux/arm64')!;
      const ctx = mirrorContext(dst.host, { digestPull: true, checkNodePlatform: true });
      const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`, `${src.host}/${r}@${idx.digest}`, { ...CTX, node }), ctx);
      assert.equal(out.result, 'partial');
      assert.equal(dst.hasManifest(r, arm.digest), true);
      assert.equal(dst.hasManifest(r, idx.children[0]!.digest), false);
      assert.equal(dst.hasManifest(r, idx.digest), false, 'never a rewritten index');
      assert.equal(dst.tagOf(r, 'v1'), undefined);
      assert.deepEqual(out.platforms, [{ platform: 'linux/arm64', digest: arm.digest }]);
      assert.ok(ctx.calls.includes(`sparse ${dst.host}`));
    });

    it('sparseFallback full keeps the index digest; a registry accepting sparse indexes gets the index with the node platform only', async () => {
      const r = repo('full');
      const idx = seedIndex(src, r, ['linux/amd64', 'linux/arm64'], { tag: 'v1' });
      const ctx = mirrorContext(dst.host, { digestPull: true, checkNodePlatform: true, sparseFallback: 'full' });
      const out = await mirrorImage(planFor(ctx, `${src.host}/${r}:v1`, `${src.host}/${r}@${idx.digest}`, { ...CTX, node }), ctx);
      assert.equal(out.result, 'copied');
      assert.equal(dst.tagOf(r, 'v1'), idx.digest);
      for (const c of idx.children) assert.equal(dst.hasManifest(r, c.digest), true);

      const lenient = await startMemoryRegistry({ acceptSparse: true });
      try {
        const ctx2 = mirrorContext(lenient.host, { digestPull: true, checkNodePlatform: true });
        const out2 = await mirrorImage(planFor(ctx2, `${src.host}/${r}:v1`, `${src.host}/${r}@${idx.digest}`, { ...CTX, node }), ctx2);
        assert.equal(out2.result, 'copied');
        assert.equal(lenient.tagOf(r, 'v1'), idx.digest);
        assert.equal(lenient.hasManifest(r, idx.children[0]!.digest), false);
        // Another node's platform later: the copy engine checks the children, so amd64 is added, not skipped.
        const out3 = await mirrorImage(planFor(ctx2, `${src.host}/${r}:v1`, `${src.host}/${r}@${idx.digest}`, { ...CTX, node: { os: 'linux', architecture: 'amd64' } }), ctx2);
        assert.equal(out3.result, 'copied');
        assert.equal(lenient.hasManifest(r, idx.children[0]!.digest), true);
      } finally {
        await lenient.close();
      }
    });

    it('mirrorPlatforms the index lacks are logged unless ignoreMissingPlatforms matches; none offered → the full index', async () => {
      const r = repo('missingplat');
      const idx = seedIndex(src, r, ['linux/amd64', 'linux/arm64'], { tag: 'v1' });
      const ctx = mirrorContext(dst.host, { digestPull: true, sparseFallback: 'full', mirrorPlatforms: [parsePlatform('linux/amd64'), parsePlatform('linux/s390x'), parsePlatform('linux/ppc64le')], ignoreMissingPlatforms: [/\|linux\/ppc64le$/] });
      const out = await mirrorImage(planFor(ctx, `${src.host}/${r}@${idx.digest}`), ctx);
      assert.deepEqual(out.missingPlatforms, ['linux/s390x']);
      assert.ok(ctx.records.some((x) => x.message === `image ${src.host}/${r}@${idx.digest} does not offer platform linux/s390x`));
      assert.ok(!ctx.records.some((x) => x.message.endsWith('does not offer platform linux/ppc64le')));
      assert.ok(ctx.records.some((x) => x.message === 'some configured mirrorPlatforms missing from source index'));

      const r2 = repo('noplat');
      const idx2 = seedIndex(src, r2, ['linux/amd64'], { tag: 'v1' });
      const ctx2 = mirrorContext(dst.host, { digestPull: true, mirrorPlatforms: [parsePlatform('linux/s390x')] });
      const out2 = await mirrorImage(planFor(ctx2, `${src.host}/${r2}@${idx2.digest}`), ctx2);
      assert.equal(out2.result, 'copied');
      assert.equal(dst.hasManifest(r2, idx2.digest), true);
      assert.ok(ctx2.records.some((x) => x.message === 'configured mirrorPlatforms not found in source index; mirroring full index'));
    });
  });

  describe('$arch (§3.9)', () => {
    it('an index is named by its sorted architectures, a single image by its config', async () => {
      const r = repo('arch');
      seedIndex(src, r, ['linux/arm64', 'linux/amd64'], { tag: 'multi' });
      seedImage(src, r, { tag: 'single', architecture: 's390x' });
      const ctx = mirrorContext(dst.host, { repoPrefix: '$arch/$namespace' });
      const multi = await mirrorImage(planFor(ctx, `${src.host}/${r}:multi`), ctx);
      assert.equal(multi.plan.targetRepository, `amd64-arm64/default/${r}`);
      assert.ok(dst.tagOf(`amd64-arm64/default/${r}`, 'multi'));
      const single = await mirrorImage(planFor(ctx, `${src.host}/${r}:single`), ctx);
      assert.equal(single.plan.targetRepository, `s390x/default/${r}`);
      assert.ok(dst.tagOf(`s390x/default/${r}`, 'single'));
    });
  });

  it('a 429 at the source is a temporary source error carrying Retry-After', async () => {
    const r = repo('throttled');
    src.fail({ method: 'HEAD', path: new RegExp(`^/v2/${r}/manifests/`), status: 429, code: 'TOOMANYREQUESTS', headers: { 'retry-after': '7' }, times: 1 });
    const ctx = mirrorContext(dst.host);
    await assert.rejects(mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx), (err: unknown) => {
      assert.ok(err instanceof MirrorError);
      assert.equal(err.code, 'TOOMANYREQUESTS');
      assert.equal(err.side, 'source');
      assert.equal(err.registry, src.host);
      assert.equal(err.temporary, true);
      return true;
    });
  });

  it('an aborted signal stops the mirror before anything is tagged', async () => {
    const r = repo('stopped');
    seedImage(src, r, { tag: 'v1' });
    const ac = new AbortController();
    ac.abort();
    const ctx = mirrorContext(dst.host, {}, { signal: ac.signal });
    await assert.rejects(mirrorImage(planFor(ctx, `${src.host}/${r}:v1`), ctx));
    assert.equal(dst.tagOf(r, 'v1'), undefined);
  });

  it('goDuration prints Go durations', () => {
    assert.deepEqual([0, 500, 10_000, 90_000, 3_723_000].map(goDuration), ['0s', '500ms', '10s', '1m30s', '1h2m3s']);
  });
});
