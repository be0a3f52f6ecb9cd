/**
 * Bad input gets a clear error and writes nothing (ARCHITECTURE §2.1, §4): malformed references on the
 * command line, source bytes that do not match their digest (damaged on disk in the source registry,
 * or in flight), a manifest over the 4 MiB limit, and a Docker schema1 source.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CopycatError, CopyError } from '../src/index.ts';
import { cannedManifest, oversizeManifest, pushImage, pushMultiArchIndex, pushSchema1, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startFaultProxy, type FaultProxy } from './support/proxy.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { runCli } from './lib/cli.ts';
import { makeEngine, ref, type RegistryAccess } from './lib/engine.ts';
import { assertBlobAbsent, assertManifestAbsent, catalog } from './lib/verify.ts';

/** Copies with copycat's engine and resolves to the error it fails with. */
async function copyError(src: RegistryAccess, srcPath: string, dst: RegistryAccess, dstPath: string): Promise<CopycatError> {
  const engine = makeEngine(src, dst);
  try {
    const result = await engine.copier.copy(ref(src, srcPath), ref(dst, dstPath));
    assert.fail(`the copy must fail, it returned ${result.digest}`);
  } catch (err) {
    assert.ok(err instanceof CopycatError, `a typed error, got ${String(err)}`);
    return err;
  } finally {
    await engine.close();
  }
}

/** Flips one byte in the middle of a blob as distribution stores it on disk (same length, other digest). */
async function damageStoredBlob(reg: RunningRegistry, digest: string): Promise<void> {
  const hex = digest.slice('sha256:'.length);
  const path = join(reg.dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  const bytes = await readFile(path);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = bytes[middle]! ^ 0xff;
  await writeFile(path, bytes);
}

describe('malformed command lines: exit 2, the message quotes the input, nothing is contacted', () => {
  const cases: Array<{ args: string[]; code: string; quoted: string }> = [
    { args: ['copy', 'Not/Valid:1', '127.0.0.1:9/x:1'], code: 'REFERENCE_UPPERCASE', quoted: '"Not/Valid:1"' },
    { args: ['copy', '127.0.0.1:9/app@sha256:abc', '127.0.0.1:9/x'], code: 'REFERENCE_DIGEST_INVALID', quoted: '"sha256:abc"' },
    { args: ['copy', '127.0.0.1:9/app:1', 'http://127.0.0.1:9/x'], code: 'REFERENCE_INVALID', quoted: '"http://127.0.0.1:9/x"' },
    { args: ['copy', 'app:bad tag', '127.0.0.1:9/x'], code: 'REFERENCE_INVALID', quoted: '"app:bad tag"' },
    { args: ['inspect', '127.0.0.1:9/app:-nope'], code: 'REFERENCE_TAG_INVALID', quoted: '"127.0.0.1:9/app:-nope"' },
    { args: ['tags', '127.0.0.1:9/app:1.0'], code: 'REFERENCE_INVALID', quoted: '"127.0.0.1:9/app:1.0"' },
    { args: ['copy', '--platform', 'linux', '127.0.0.1:9/a:1', '127.0.0.1:9/b:1'], code: 'PLATFORM_INVALID', quoted: '"linux"' },
  ];

  it('each malformed input is refused with its code and quoted', async () => {
    // Port 9 (discard) has no registry: a run that tried the network would fail with another code and exit 1.
    const runs = await Promise.all(cases.map((c) => runCli(c.args)));
    for (const [i, r] of runs.entries()) {
      const c = cases[i]!;
      assert.equal(r.code, 2, `${c.args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^copycat: ${c.code}: `), c.args.join(' '));
      assert.ok(r.stderr.includes(c.quoted), `${c.args.join(' ')} quotes ${c.quoted}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
      assert.equal(r.out, '');
    }
  });
});

describe('copy refuses bad source content and writes nothing', () => {
  let src: RunningRegistry;
  let legacy: RunningRegistry;
  let dst: RunningRegistry;
  let srcProxy: FaultProxy;
  let damaged: ImageFixture;
  let index: IndexFixture;
  let clean: ImageFixture;

  before(async () => {
    [src, legacy, dst] = await Promise.all([startRegistry(), startRegistry({ extraConfig: { compatibility: { schema1: { enabled: true } } } }), startRegistry()]);
    srcProxy = await startFaultProxy(src.url);
    [damaged, index, clean] = await Promise.all([
      pushImage(src, 'bad/damaged', { tag: 'v1', layers: [8192, 600] }),
      pushMultiArchIndex(src, 'bad/multi', { tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'] }),
      pushImage(src, 'bad/clean', { tag: 'v1', layers: [4096], layerFormat: 'random' }),
    ]);
    await pushSchema1(legacy, 'legacy/app', { tag: 'v1' });
  });
  after(async () => {
    await srcProxy?.stop();
    await Promise.all([src?.stop(), legacy?.stop(), dst?.stop()]);
  });

  it('a blob damaged on the source disk: DIGEST_MISMATCH, the blob never reaches the target, no tag', async () => {
    const layer = damaged.layers[0]!;
    await damageStoredBlob(src, layer.digest);
    const err = await copyError(src, 'bad/damaged:v1', dst, 'out/damaged:v1');
    assert.equal(err.code, 'DIGEST_MISMATCH');
    assert.ok(err.message.includes(layer.digest), err.message);
    await assertBlobAbsent(dst, 'out/damaged', layer.digest);
    await assertManifestAbsent(dst, 'out/damaged', 'v1');
    await assertManifestAbsent(dst, 'out/damaged', damaged.digest);

    const cli = await runCli(['copy', `${src.host}/bad/damaged:v1`, `${dst.host}/out/damaged-cli:v1`]);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, new RegExp(`^copycat: DIGEST_MISMATCH: .*${layer.digest}`, 'm'));
    await assertBlobAbsent(dst, 'out/damaged-cli', layer.digest);
    await assertManifestAbsent(dst, 'out/damaged-cli', 'v1');
  });

  it('a blob corrupted in flight on every attempt: DIGEST_MISMATCH after retries, blob absent, no tag', async () => {
    const layer = clean.layers[0]!;
    srcProxy.setPlan([{ match: { method: 'GET', path: new RegExp(`/blobs/${layer.digest}$`) }, times: Infinity, fault: 'corrupt-body' }]);
    try {
      const err = await copyError(srcProxy, 'bad/clean:v1', dst, 'out/corrupt:v1');
      assert.equal(err.code, 'DIGEST_MISMATCH');
      assert.ok(srcProxy.fired()[0]! >= 2, `the blob was read again before giving up (${srcProxy.fired()[0]} reads)`);
    } finally {
      srcProxy.setPlan([]);
    }
    await assertBlobAbsent(dst, 'out/corrupt', layer.digest);
    await assertManifestAbsent(dst, 'out/corrupt', 'v1');
  });

  it('a child manifest corrupted in flight: DIGEST_MISMATCH, neither the child nor the index nor the tag in the target', async () => {
    const child = index.manifests[1]!;
    srcProxy.setPlan([{ match: { method: 'GET', path: new RegExp(`/manifests/${child.digest}$`) }, times: Infinity, fault: 'corrupt-body' }]);
    try {
      const err = await copyError(srcProxy, 'bad/multi:v1', dst, 'out/multi:v1');
      assert.equal(err.code, 'DIGEST_MISMATCH');
      assert.ok(err.message.includes(child.digest), err.message);
    } finally {
      srcProxy.setPlan([]);
    }
    await assertManifestAbsent(dst, 'out/multi', 'v1');
    await assertManifestAbsent(dst, 'out/multi', index.digest);
    await assertManifestAbsent(dst, 'out/multi', child.digest);
  });

  it('a manifest over 4 MiB: MANIFEST_TOO_LARGE, nothing written', async () => {
    const big = oversizeManifest();
    srcProxy.setPlan([{ match: { path: /^\/v2\/bad\/huge\/manifests\// }, times: Infinity, fault: { respond: cannedManifest(big) } }]);
    try {
      const err = await copyError(srcProxy, 'bad/huge:v1', dst, 'out/huge:v1');
      assert.equal(err.code, 'MANIFEST_TOO_LARGE');
      assert.match(err.message, /bad\/huge/);
    } finally {
      srcProxy.setPlan([]);
    }
    assert.ok(!(await catalog(dst)).includes('out/huge'));
  });

  it('a Docker schema1 source: SCHEMA1_UNSUPPORTED, nothing written, and the CLI says why', async () => {
    const err = await copyError(legacy, 'legacy/app:v1', dst, 'out/legacy:v1');
    assert.ok(err instanceof CopyError);
    assert.equal(err.code, 'SCHEMA1_UNSUPPORTED');
    const cli = await runCli(['copy', `${legacy.host}/legacy/app:v1`, `${dst.host}/out/legacy-cli:v1`]);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^copycat: SCHEMA1_UNSUPPORTED: .*schema1/m);
    const repos = await catalog(dst);
    assert.ok(!repos.includes('out/legacy') && !repos.includes('out/legacy-cli'), `catalog: ${repos.join(', ')}`);
  });
});
