/**
 * The `copycat` command as a user runs it (the real `bin/copycat` launcher in a child process, output
 * piped, so not a TTY): `copy` (summary line, `--json`), `inspect` (human, `--json`, `--raw`,
 * `--platform`) and `tags`, checked against the fixtures and skopeo.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pushImage, pushMultiArchIndex, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { pushManifest } from './support/push-client.ts';
import { runSkopeo, sha256, skopeoInspectRaw } from './support/skopeo.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { COPYCAT_BIN, runCli } from './lib/cli.ts';
import { assertMirrored } from './lib/verify.ts';

interface InspectJson {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  kind: string;
  configDigest?: string;
  platform?: string;
  platforms: Array<{ platform: string; digest: string; mediaType: string; size: number; configDigest?: string }>;
  attestations: Array<{ digest: string; size: number; refersTo?: string }>;
}

describe('copycat CLI', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let index: IndexFixture;
  let other: ImageFixture;

  before(async () => {
    [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
    [index, other] = await Promise.all([pushMultiArchIndex(src, 'cli/app', { tag: '1.0' }), pushImage(src, 'cli/app', { tag: 'edge', platform: 'linux/arm64', seed: 'edge' })]);
    // The same index under a second tag: `tags` must group them.
    await pushManifest(src, 'cli/app', 'latest', index.raw, index.mediaType);
  });
  after(async () => {
    await Promise.all([src?.stop(), dst?.stop()]);
  });

  it('the launcher runs through its shebang (re-executing Node 24 when the system Node is older)', async () => {
    const r = await runCli(['--version'], { viaShebang: true });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.trim(), '0.1.0');
  });

  it('copy prints one summary line when not a TTY and exits 0; the second run is up to date', async () => {
    const r = await runCli(['copy', `${src.host}/cli/app:1.0`, `${dst.host}/mirror/app:1.0`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no progress bar or warning on a pipe');
    const lines = r.out.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.out);
    assert.match(lines[0]!, new RegExp(`^copied ${src.host}/cli/app:1\\.0 -> ${dst.host}/mirror/app:1\\.0 ${index.digest} \\(7 manifests, blobs: 14 uploaded`));
    await assertMirrored(dst, 'mirror/app', '1.0', index);

    const again = await runCli(['copy', `${src.host}/cli/app:1.0`, `${dst.host}/mirror/app:1.0`]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.out, new RegExp(`^up to date: ${dst.host}/mirror/app:1\\.0 is ${index.digest} `));
    assert.equal(again.out.trim().split('\n').length, 1);
  });

  it('copy --json prints a result that parses and matches the copy', async () => {
    const r = await runCli(['copy', '--json', `${src.host}/cli/app:1.0`, `${dst.host}/json/app:2.0`]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.out) as { digest: string; tag: string; tagged: boolean; upToDate: boolean; manifests: Array<{ digest: string; outcome: string }>; blobs: { uploaded: number }; seconds: number; warnings: string[] };
    assert.equal(result.digest, index.digest);
    assert.equal(result.tag, '2.0');
    assert.equal(result.tagged, true);
    assert.equal(result.upToDate, false);
    assert.deepEqual(
      result.manifests.map((m) => m.digest).sort(),
      [index.digest, ...index.manifests.map((m) => m.digest), ...index.attestations.map((m) => m.digest)].sort(),
    );
    assert.equal(result.blobs.uploaded, 14);
    assert.equal(typeof result.seconds, 'number');
    assert.deepEqual(result.warnings, []);
    assert.equal(sha256(await skopeoInspectRaw(`${dst.host}/json/app:2.0`)), index.digest);
  });

  it('inspect: human, --json and --raw agree with the fixture and skopeo', async () => {
    const name = `${src.host}/cli/app:1.0`;
    const [human, json, raw] = await Promise.all([runCli(['inspect', name]), runCli(['inspect', '--json', name]), runCli(['inspect', '--raw', name])]);
    for (const r of [human, json, raw]) assert.equal(r.code, 0, r.stderr);

    assert.ok(raw.stdout.equals(index.raw), '--raw prints the exact manifest bytes');
    assert.equal(sha256(raw.stdout), index.digest);
    assert.ok(raw.stdout.equals(await skopeoInspectRaw(name)));

    const d = JSON.parse(json.out) as InspectJson;
    assert.equal(d.digest, index.digest);
    assert.equal(d.mediaType, index.mediaType);
    assert.equal(d.size, index.size);
    assert.equal(d.kind, 'index');
    assert.deepEqual(
      d.platforms,
      index.manifests.map((m) => ({ platform: [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/'), digest: m.digest, mediaType: m.mediaType, size: m.size, configDigest: m.config.digest })),
    );
    assert.deepEqual(d.attestations, index.attestations.map((a, i) => ({ digest: a.digest, size: a.size, refersTo: index.manifests[i]!.digest })));

    assert.match(human.out, new RegExp(`^Digest: +${index.digest}$`, 'm'));
    assert.match(human.out, /^MediaType: +application\/vnd\.oci\.image\.index\.v1\+json$/m);
    for (const m of index.manifests) assert.match(human.out, new RegExp(`^ +${[m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/')} +${m.digest} +${m.config.digest}$`, 'm'));
    for (const a of index.attestations) assert.ok(human.out.includes(a.digest));
  });

  it('inspect --platform linux/arm64 gives the platform digest and config digest skopeo resolves', async () => {
    const name = `${src.host}/cli/app:1.0`;
    const r = await runCli(['inspect', '--json', '--platform', 'linux/arm64', name]);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.out) as InspectJson;

    // skopeo's own view: the arm64 entry of the index it serves, and the config of the image it picks for arm64.
    const served = JSON.parse((await skopeoInspectRaw(name)).toString('utf8')) as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
    const armDigest = served.manifests.find((m) => m.platform.architecture === 'arm64')!.digest;
    const armConfig = await runSkopeo(['--override-os', 'linux', '--override-arch', 'arm64', 'inspect', '--config', '--raw', '--tls-verify=false', '--no-creds', `docker://${name}`]);
    assert.equal(d.digest, armDigest);
    assert.equal(d.configDigest, sha256(armConfig));
    assert.equal(d.platform, 'linux/arm64');
    assert.equal(d.kind, 'image');
    assert.equal(d.reference, `${src.host}/cli/app@${armDigest}`);

    const human = await runCli(['inspect', '--platform', 'linux/arm64', name]);
    assert.match(human.out, new RegExp(`^Image ID: +${sha256(armConfig)}$`, 'm'));
  });

  it('tags groups the tags that point to the same digest, with platforms', async () => {
    const [json, human] = await Promise.all([runCli(['tags', '--json', `${src.host}/cli/app`]), runCli(['tags', `${src.host}/cli/app`])]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(human.code, 0, human.stderr);
    const groups = JSON.parse(json.out) as Array<{ digest: string; mediaType: string; tags: string[]; platforms: string[] }>;
    assert.deepEqual(groups, [
      { digest: index.digest, mediaType: index.mediaType, tags: ['1.0', 'latest'], platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/s390x'] },
      { digest: other.digest, mediaType: other.mediaType, tags: ['edge'], platforms: ['linux/arm64'] },
    ]);
    const rows = human.out.trim().split('\n');
    assert.match(rows[0]!, /^DIGEST +TAGS +PLATFORMS$/);
    assert.match(rows[1]!, new RegExp(`^${index.digest.slice(0, 19)} +1\\.0, latest +linux/amd64, linux/arm64, linux/arm/v7, linux/s390x$`));
    assert.match(rows[2]!, new RegExp(`^${other.digest.slice(0, 19)} +edge +linux/arm64$`));
    assert.equal(rows.length, 3);
  });
});

describe('copycat one-shot commands and signals', () => {
  // As PID 1 in a container a signal without a handler is dropped; copycat's own handler exits with 128 + signo,
  // which is also what tells it apart here from Node's default death by signal (code null, signal set).
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`copy waiting on a registry that never answers exits ${code} on ${signal}`, async () => {
      // A registry that accepts connections and never answers: the first connection says the copy is under way.
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => sockets.add(socket));
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
      const port = (silent.address() as AddressInfo).port;
      const child = spawn(process.execPath, [COPYCAT_BIN, 'copy', `127.0.0.1:${port}/a/b:1`, `127.0.0.1:${port}/c/d:1`], { stdio: 'ignore' });
      try {
        await once(silent, 'connection');
        child.kill(signal);
        const [exitCode, exitSignal] = await once(child, 'exit');
        assert.deepEqual({ exitCode, exitSignal }, { exitCode: code, exitSignal: null });
      } finally {
        child.kill('SIGKILL');
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });
  }
});
