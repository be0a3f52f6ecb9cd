/**
 * Platform selection against distribution 2.8, which refuses an index whose unselected children are
 * absent (`MANIFEST_BLOB_UNKNOWN`): the three sparse fallbacks (docs/adr/0002-sparse-index.md), the CLI's
 * partial exit code, `--platform` on a single image, and a platform the index does not have.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CopyError, parsePlatform, type CopyEvent } from '../src/index.ts';
import { pushMultiArchIndex, pushSchema2Image, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { runCli } from './lib/cli.ts';
import { makeEngine, ref } from './lib/engine.ts';
import { assertBlobAbsent, assertManifestAbsent, assertManifestPresent, assertMirrored, blobsOf, catalog } from './lib/verify.ts';

const ARM64 = [parsePlatform('linux/arm64')];

describe('copy --platform into distribution 2.8', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let index: IndexFixture;
  let single: ImageFixture;
  /** The arm64 image of the index and the attestation manifest describing it. */
  let arm: ImageFixture;
  let armAttestation: ImageFixture;

  before(async () => {
    [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
    [index, single] = await Promise.all([pushMultiArchIndex(src, 'app/multi', { tag: 'v1' }), pushSchema2Image(src, 'app/single', { tag: 'v1' })]);
    arm = index.manifests.find((m) => m.platform.architecture === 'arm64')!;
    // The fixture gives the first two platforms (amd64, arm64) attestations, in that order.
    armAttestation = index.attestations[1]!;
    assert.equal(JSON.parse(index.raw.toString('utf8')).manifests[5].annotations['vnd.docker.reference.digest'], arm.digest);
  });
  after(async () => {
    await Promise.all([src?.stop(), dst?.stop()]);
  });

  /** Every platform image of the index other than arm64, and the amd64 attestation. */
  const unselected = (): ImageFixture[] => [...index.manifests.filter((m) => m !== arm), index.attestations[0]!];

  it('default fallback `platforms`: arm64 and its attestation are in the target by digest, no tag, no index, a warning', async () => {
    const engine = makeEngine(src, dst);
    const warnings: Array<Extract<CopyEvent, { type: 'warning' }>> = [];
    const result = await engine.copier
      .copy(ref(src, 'app/multi:v1'), ref(dst, 'sparse/multi:v1'), { platforms: ARM64, observer: (e) => void (e.type === 'warning' && warnings.push(e)) })
      .finally(() => engine.close());

    assert.equal(result.tagged, false);
    assert.equal(result.digest, index.digest);
    assert.deepEqual(result.sparse, { indexPushed: false, fallback: 'platforms', omittedPlatforms: ['linux/amd64', 'linux/arm/v7', 'linux/s390x'] });
    assert.deepEqual(warnings.map((w) => w.code), ['SPARSE_INDEX_REJECTED']);
    assert.match(warnings[0]!.message, /MANIFEST_BLOB_UNKNOWN/);
    assert.deepEqual(result.manifests.map((m) => m.digest).sort(), [arm.digest, armAttestation.digest].sort());

    for (const m of [arm, armAttestation]) {
      const served = await skopeoInspectRaw(`${dst.host}/sparse/multi@${m.digest}`);
      assert.ok(served.equals(m.raw), `${m.digest} served byte for byte`);
    }
    await assertMirrored(dst, 'sparse/multi', undefined, arm);
    await assertManifestAbsent(dst, 'sparse/multi', 'v1');
    await assertManifestAbsent(dst, 'sparse/multi', index.digest);
    for (const m of unselected()) {
      await assertManifestAbsent(dst, 'sparse/multi', m.digest);
      await assertBlobAbsent(dst, 'sparse/multi', m.layers.at(-1)!.digest);
    }
  });

  it('the CLI exits 3 (partial) with a warning on stderr and says no tag was written', async () => {
    const r = await runCli(['copy', '--platform', 'linux/arm64', `${src.host}/app/multi:v1`, `${dst.host}/sparse-cli/multi:v1`]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^copycat: warning: .*MANIFEST_BLOB_UNKNOWN/m);
    assert.match(r.stderr, /tag v1 was not written/);
    assert.match(r.out, /by digest only \(no tag written\)/);
    assert.equal(r.out.trim().split('\n').length, 1);
    await assertManifestPresent(dst, 'sparse-cli/multi', arm.digest);
    await assertManifestPresent(dst, 'sparse-cli/multi', armAttestation.digest);
    await assertManifestAbsent(dst, 'sparse-cli/multi', 'v1');
  });

  it('fallback `full`: every platform is copied and the tag points at the ORIGINAL index digest', async () => {
    const engine = makeEngine(src, dst);
    const result = await engine.copier
      .copy(ref(src, 'app/multi:v1'), ref(dst, 'full/multi:v1'), { platforms: ARM64, sparseFallback: 'full' })
      .finally(() => engine.close());
    assert.equal(result.tagged, true);
    assert.equal(result.digest, index.digest);
    assert.equal(result.sparse?.indexPushed, true);
    assert.equal(result.sparse?.fallback, 'full');
    assert.equal(result.warnings.length, 1);
    await assertMirrored(dst, 'full/multi', 'v1', index);

    const cli = await runCli(['copy', '--platform', 'linux/arm64', '--sparse-fallback', 'full', `${src.host}/app/multi:v1`, `${dst.host}/full-cli/multi:v1`]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(sha256(await skopeoInspectRaw(`${dst.host}/full-cli/multi:v1`)), index.digest);
  });

  it('fallback `fail`: SPARSE_INDEX_REJECTED and no tag', async () => {
    const engine = makeEngine(src, dst);
    await assert.rejects(
      engine.copier.copy(ref(src, 'app/multi:v1'), ref(dst, 'fail/multi:v1'), { platforms: ARM64, sparseFallback: 'fail' }).finally(() => engine.close()),
      (err: unknown) => err instanceof CopyError && err.code === 'SPARSE_INDEX_REJECTED' && err.message.includes(index.digest),
    );
    await assertManifestAbsent(dst, 'fail/multi', 'v1');
    await assertManifestAbsent(dst, 'fail/multi', index.digest);

    const cli = await runCli(['copy', '--platform', 'linux/arm64', '--sparse-fallback', 'fail', `${src.host}/app/multi:v1`, `${dst.host}/fail-cli/multi:v1`]);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^copycat: SPARSE_INDEX_REJECTED: /m);
    assert.equal(cli.out, '');
    await assertManifestAbsent(dst, 'fail-cli/multi', 'v1');
  });

  it('--platform on a single-platform image: a warning, and the image is copied as it is', async () => {
    const engine = makeEngine(src, dst);
    const result = await engine.copier.copy(ref(src, 'app/single:v1'), ref(dst, 'single/app:v1'), { platforms: ARM64 }).finally(() => engine.close());
    assert.equal(result.tagged, true);
    assert.equal(result.digest, single.digest);
    assert.equal(result.sparse, undefined);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /single-platform image/);
    await assertMirrored(dst, 'single/app', 'v1', single);

    const cli = await runCli(['copy', '--platform', 'linux/arm64', `${src.host}/app/single:v1`, `${dst.host}/single-cli/app:v1`]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stderr, /^copycat: warning: .*single-platform image/m);
    assert.equal(sha256(await skopeoInspectRaw(`${dst.host}/single-cli/app:v1`)), single.digest);
  });

  it('a platform the index does not have: PLATFORM_NOT_FOUND naming what it has, and nothing written', async () => {
    const engine = makeEngine(src, dst);
    await assert.rejects(
      engine.copier.copy(ref(src, 'app/multi:v1'), ref(dst, 'nope/multi:v1'), { platforms: [parsePlatform('windows/amd64')] }).finally(() => engine.close()),
      (err: unknown) => err instanceof CopyError && err.code === 'PLATFORM_NOT_FOUND' && /windows\/amd64/.test(err.message) && /linux\/arm64/.test(err.message),
    );
    const cli = await runCli(['copy', '--platform', 'linux/riscv64', `${src.host}/app/multi:v1`, `${dst.host}/nope-cli/multi:v1`]);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^copycat: PLATFORM_NOT_FOUND: .*linux\/riscv64/m);

    // Not a manifest, not a blob, not even the repository: distribution lists any repository written to.
    const repos = await catalog(dst);
    assert.ok(!repos.includes('nope/multi') && !repos.includes('nope-cli/multi'), `catalog: ${repos.join(', ')}`);
    for (const blob of blobsOf(index)) await assertBlobAbsent(dst, 'nope/multi', blob.digest);
  });
});
