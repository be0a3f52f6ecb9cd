/**
 * The copy engine against real registries (ARCHITECTURE §2, §4): every fixture kind copied between two
 * distribution 2.8 registries in several auth combinations and checked with skopeo; blob dedupe and
 * cross-repository mounts over 50 concurrent copies; the HEAD-first short-circuit of a second copy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BlobOutcome, CopyResult } from '../src/index.ts';
import {
  pushDockerManifestList,
  pushMultiArchIndex,
  pushNestedIndex,
  pushSchema2Image,
  pushSharedBaseImages,
  type ImageFixture,
  type PushTarget,
} from './support/fixtures.ts';
import { startFaultProxy, type FaultProxy } from './support/proxy.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { makeEngine, ref, type RegistryAccess } from './lib/engine.ts';
import { assertBlobsServed, assertManifestServed, assertMirrored, blobsOf, childManifests, eachLimit, type GraphFixture } from './lib/verify.ts';

type FixtureKind = 'oci index (4 platforms + 2 attestations)' | 'docker manifest list' | 'docker schema2 image' | 'nested index';

const KINDS: readonly FixtureKind[] = ['oci index (4 platforms + 2 attestations)', 'docker manifest list', 'docker schema2 image', 'nested index'];

const SLUG: Record<FixtureKind, string> = {
  'oci index (4 platforms + 2 attestations)': 'multi',
  'docker manifest list': 'list',
  'docker schema2 image': 'schema2',
  'nested index': 'nested',
};

/** Pushes every fixture kind into `target` under `<prefix>/<slug>:v1`. */
async function pushAll(target: PushTarget, prefix: string): Promise<Record<FixtureKind, GraphFixture>> {
  const [multi, list, schema2, nested] = await Promise.all([
    pushMultiArchIndex(target, `${prefix}/multi`, { tag: 'v1' }),
    pushDockerManifestList(target, `${prefix}/list`, { tag: 'v1' }),
    pushSchema2Image(target, `${prefix}/schema2`, { tag: 'v1', layers: [700, 300] }),
    pushNestedIndex(target, `${prefix}/nested`, { tag: 'v1' }),
  ]);
  return { 'oci index (4 platforms + 2 attestations)': multi, 'docker manifest list': list, 'docker schema2 image': schema2, 'nested index': nested };
}

/** Checks what the engine says it did against the fixture graph. */
function assertResult(result: CopyResult, fx: GraphFixture, tag: string): void {
  assert.equal(result.digest, fx.digest);
  assert.equal(result.mediaType, fx.mediaType);
  assert.equal(result.tag, tag);
  assert.equal(result.tagged, true);
  assert.equal(result.upToDate, false);
  const pushed = result.manifests.filter((m) => m.outcome === 'pushed').map((m) => m.digest).sort();
  assert.deepEqual(pushed, [fx.digest, ...childManifests(fx).map((c) => c.digest)].sort(), 'every manifest of the graph was pushed once');
  const distinct = new Set(blobsOf(fx).map((b) => b.digest)).size;
  assert.equal(result.blobs.uploaded + result.blobs.mounted + result.blobs.existed, distinct, 'every distinct blob accounted for once');
  assert.deepEqual(result.warnings, []);
}

describe('copy: every fixture kind, across auth modes, verified with skopeo', () => {
  let srcNone: RunningRegistry;
  let srcToken: RunningRegistry;
  let dstNone: RunningRegistry;
  let dstBasic: RunningRegistry;
  let dstToken: RunningRegistry;
  let fromNone: Record<FixtureKind, GraphFixture>;
  let fromToken: Record<FixtureKind, GraphFixture>;
  /** Token requests the source registry had seen before copycat ran (the fixture pushes). */
  let srcTokenRequestsBefore = 0;

  before(async () => {
    [srcNone, srcToken, dstNone, dstBasic, dstToken] = await Promise.all([
      startRegistry({ auth: 'none' }),
      startRegistry({ auth: 'token' }),
      startRegistry({ auth: 'none' }),
      startRegistry({ auth: 'basic' }),
      startRegistry({ auth: 'token' }),
    ]);
    [fromNone, fromToken] = await Promise.all([pushAll(srcNone, 'src'), pushAll(srcToken, 'team-a')]);
    srcTokenRequestsBefore = srcToken.tokenRequests.length;
  });
  after(async () => {
    await Promise.all([srcNone?.stop(), srcToken?.stop(), dstNone?.stop(), dstBasic?.stop(), dstToken?.stop()]);
  });

  const routes: Array<{ name: string; src: () => RunningRegistry; dst: () => RunningRegistry; from: (k: FixtureKind) => GraphFixture; srcPrefix: string; dstPrefix: string }> = [
    { name: 'none → none', src: () => srcNone, dst: () => dstNone, from: (k) => fromNone[k], srcPrefix: 'src', dstPrefix: 'mirror' },
    { name: 'none → basic', src: () => srcNone, dst: () => dstBasic, from: (k) => fromNone[k], srcPrefix: 'src', dstPrefix: 'mirror' },
    { name: 'none → token', src: () => srcNone, dst: () => dstToken, from: (k) => fromNone[k], srcPrefix: 'src', dstPrefix: 'mirror' },
    { name: 'token → token (different repositories)', src: () => srcToken, dst: () => dstToken, from: (k) => fromToken[k], srcPrefix: 'team-a', dstPrefix: 'team-b/copies' },
  ];

  for (const route of routes) {
    for (const kind of KINDS) {
      it(`${route.name}: ${kind}`, async () => {
        const src = route.src();
        const dst = route.dst();
        const fx = route.from(kind);
        const srcRepo = `${route.srcPrefix}/${SLUG[kind]}`;
        const dstRepo = `${route.dstPrefix}/${SLUG[kind]}`;
        const engine = makeEngine(src, dst);
        try {
          const result = await engine.copier.copy(ref(src, `${srcRepo}:v1`), ref(dst, `${dstRepo}:v1`));
          assertResult(result, fx, 'v1');
          // Into a fresh repository of another registry nothing can be mounted or already there.
          assert.equal(result.blobs.uploaded, new Set(blobsOf(fx).map((b) => b.digest)).size);
        } finally {
          await engine.close();
        }
        await assertMirrored(dst, dstRepo, 'v1', fx);
      });
    }
  }

  it('token → token: the source registry is only ever asked for pull, the target for the target repository only', () => {
    // Runs after the copies above (node:test runs a suite's tests in order).
    const srcScopes = srcToken.tokenRequests.slice(srcTokenRequestsBefore).flatMap((r) => r.scopes);
    assert.ok(srcScopes.length > 0, 'the source was accessed with a token');
    assert.ok(srcScopes.every((s) => /^repository:team-a\/[a-z0-9]+:pull$/.test(s)), `source scopes: ${srcScopes.join(' ')}`);
    const dstScopes = dstToken.tokenRequests.flatMap((r) => r.scopes);
    assert.ok(dstScopes.some((s) => s === 'repository:team-b/copies/multi:pull,push'));
    assert.ok(dstScopes.every((s) => !s.includes('team-a')), 'no scope on the target names the source repository');
  });
});

describe('copy: dedupe and mounts over 50 concurrent copies, HEAD-first short-circuit', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let tokenDst: RunningRegistry;
  let dstProxy: FaultProxy;
  let srcProxy: FaultProxy;
  let tokenProxy: FaultProxy;
  let base: { digest: string };
  let images: ImageFixture[];

  before(async () => {
    [src, dst, tokenDst] = await Promise.all([startRegistry(), startRegistry(), startRegistry({ auth: 'token' })]);
    [dstProxy, srcProxy, tokenProxy] = await Promise.all([startFaultProxy(dst.url), startFaultProxy(src.url), startFaultProxy(tokenDst.url)]);
    ({ base, images } = await pushSharedBaseImages(src, 50, { repoPrefix: 'shared/app', baseLayerSize: 8192 }));
  });
  after(async () => {
    await Promise.all([dstProxy?.stop(), srcProxy?.stop(), tokenProxy?.stop()]);
    await Promise.all([src?.stop(), dst?.stop(), tokenDst?.stop()]);
  });

  const dedupeTargets: Array<{ auth: string; proxy: () => FaultProxy; registry: () => RunningRegistry; skopeoAll: boolean }> = [
    { auth: 'no auth', proxy: () => dstProxy, registry: () => dst, skopeoAll: true },
    // Mounts under token auth need a token for two repositories (push on the target, pull on the mount source).
    // The same 50 images were checked with skopeo above: here skopeo checks a sample, the fetch client all.
    { auth: 'token auth', proxy: () => tokenProxy, registry: () => tokenDst, skopeoAll: false },
  ];

  for (const t of dedupeTargets) {
    it(`${t.auth}: 50 images sharing a base layer, copied concurrently through one Copier into 50 repositories: the base is uploaded once and mounted 49 times`, async () => {
      const proxy = t.proxy();
      const reg = t.registry();
      const target = { host: proxy.host, username: reg.username, password: reg.password } satisfies RegistryAccess;
      const seen = proxy.requests.length;
      const engine = makeEngine(src, target, { copier: { concurrency: 8 } });
      const outcomes = new Map<string, BlobOutcome[]>();
      const record = (digest: string, outcome: BlobOutcome): void => {
        outcomes.set(digest, [...(outcomes.get(digest) ?? []), outcome]);
      };
      const repoOf = (image: ImageFixture): string => `dedupe/${image.repo!.split('/')[1]}`;
      let results: CopyResult[];
      try {
        results = await Promise.all(
          images.map((image) =>
            engine.copier.copy(ref(src, `${image.repo}:v1`), ref(target, `${repoOf(image)}:v1`), {
              observer: (e) => {
                if (e.type === 'blob-done') record(e.digest, e.outcome);
              },
            }),
          ),
        );
      } finally {
        await engine.close();
      }
      const baseOutcomes = outcomes.get(base.digest) ?? [];
      assert.equal(baseOutcomes.length, 50, 'one blob-done per target repository');
      assert.equal(baseOutcomes.filter((o) => o === 'uploaded').length, 1, 'the base layer is uploaded exactly once');
      assert.equal(baseOutcomes.filter((o) => o === 'mounted').length, 49, 'and mounted into the other 49 repositories');
      for (const image of images) {
        for (const blob of [image.config, image.layers[1]!]) assert.deepEqual(outcomes.get(blob.digest), ['uploaded'], `${image.repo}: unique blob ${blob.digest}`);
      }
      assert.equal(results.reduce((n, r) => n + r.blobs.uploaded, 0), 1 + 2 * 50);
      assert.equal(results.reduce((n, r) => n + r.blobs.mounted, 0), 49);

      // The proxy saw it on the wire: one upload PUT carrying the base digest, 49 successful mounts
      // (a 401 challenge before an authenticated retry is not an upload, so only answered requests count).
      const wire = proxy.requests.slice(seen).filter((r) => r.status !== 401);
      const basePuts = wire.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/') && r.url.includes(`digest=${encodeURIComponent(base.digest)}`));
      assert.equal(basePuts.length, 1, 'one PUT upload of the base layer');
      assert.equal(basePuts[0]!.status, 201);
      const baseMounts = wire.filter((r) => r.method === 'POST' && r.url.includes(`mount=${encodeURIComponent(base.digest)}`));
      assert.equal(baseMounts.length, 49);
      assert.ok(baseMounts.every((r) => r.status === 201), 'every mount succeeded');

      // Every manifest through skopeo and every blob through the independent fetch client; the full
      // `skopeo copy` read-back for a sample only (it costs ~0.2 s of CPU per image, and the 50 are alike).
      const sample = new Set([0, 17, 33, 49]);
      await eachLimit(images, 6, async (image) => {
        const sampled = sample.has(images.indexOf(image));
        if (t.skopeoAll || sampled) await assertMirrored(reg, repoOf(image), 'v1', image, { readBack: sampled });
        else await assertManifestServed(reg, repoOf(image), 'v1', image);
        await assertBlobsServed(reg, repoOf(image), image);
      });
    });
  }

  it('a second copy of an image already in the target is up to date after 2 manifest HEADs and no blob request', async () => {
    const fx = await pushMultiArchIndex(src, 'again/app', { tag: 'v1' });
    const target = { host: tokenProxy.host, username: tokenDst.username, password: tokenDst.password } satisfies RegistryAccess;
    const first = makeEngine(srcProxy, target);
    try {
      const r = await first.copier.copy(ref(srcProxy, 'again/app:v1'), ref(target, 'mirror/again:v1'));
      assert.equal(r.upToDate, false);
    } finally {
      await first.close();
    }
    await assertMirrored(tokenDst, 'mirror/again', 'v1', fx, { readBack: false });

    // A fresh engine, as a new CLI run would have: it knows nothing yet.
    const srcSeen = srcProxy.requests.length;
    const dstSeen = tokenProxy.requests.length;
    const second = makeEngine(srcProxy, target);
    let result: CopyResult;
    try {
      result = await second.copier.copy(ref(srcProxy, 'again/app:v1'), ref(target, 'mirror/again:v1'));
    } finally {
      await second.close();
    }
    assert.equal(result.upToDate, true);
    assert.equal(result.digest, fx.digest);
    assert.deepEqual(result.blobs, { uploaded: 0, mounted: 0, existed: 0, bytesUploaded: 0 });

    const requests = [...srcProxy.requests.slice(srcSeen), ...tokenProxy.requests.slice(dstSeen)];
    const manifestRequests = requests.filter((r) => r.path.includes('/manifests/') && r.status !== 401);
    assert.deepEqual(
      manifestRequests.map((r) => `${r.method} ${r.path}`).sort(),
      ['HEAD /v2/again/app/manifests/v1', 'HEAD /v2/mirror/again/manifests/v1'],
      'exactly one HEAD of the source tag and one of the target tag',
    );
    assert.equal(requests.filter((r) => r.path.includes('/blobs/')).length, 0, 'no blob request');
    // Everything else is authentication: pings, the token exchange, and 401 challenges of the manifest HEADs.
    const other = requests.filter((r) => !manifestRequests.includes(r));
    assert.ok(
      other.every((r) => r.path === '/v2/' || r.path === '/token' || (r.path.includes('/manifests/') && r.status === 401)),
      `unexpected requests: ${other.map((r) => `${r.method} ${r.url} ${r.status}`).join(', ')}`,
    );
    assert.ok(requests.length <= 8, `${requests.length} requests in all`);
  });
});
