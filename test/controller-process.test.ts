/**
 * `bin/copycat controller` as a real process, configured the way k8s-copycat's manifests do it (env vars,
 * `CONFIG_PATH`, `KUBECONFIG`, Go-style flags): every stdout line is a JSON log line with upstream's keys and no
 * secret, images get mirrored, and SIGTERM in the middle of a copy (a stalled source blob) exits 0 quickly
 * without tagging the incomplete image.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { COPYCAT_BIN, copycatEnv } from './lib/cli.ts';
import { pushImage, type ImageFixture } from './support/fixtures.ts';
import { startKubeApiServer, type FakeKubeApiServer, type KObject } from './support/kube-apiserver.ts';
import { freePort, waitUntil } from './support/net.ts';
import { startFaultProxy, type FaultProxy } from './support/proxy.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';

const TARGET_PASSWORD = 'tgt-Pa55word-never-logged';
const SOURCE_TOKEN = 'src-T0ken-never-logged';

/** A running `copycat controller` child with its output so far. */
interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function spawnController(args: readonly string[], env: NodeJS.ProcessEnv): Child {
  // Only PATH from this process (and the compile cache): the rest is the manifest's environment.
  const proc = spawn(process.execPath, [COPYCAT_BIN, 'controller', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: copycatEnv(env, { PATH: process.env['PATH'] }) });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  proc.stdout!.on('data', (c: Buffer) => out.push(c));
  proc.stderr!.on('data', (c: Buffer) => err.push(c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  return { proc, exited, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => Buffer.concat(err).toString('utf8') };
}

function pod(name: string, image: string): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'apps' }, spec: { containers: [{ name: 'main', image }] }, status: { phase: 'Running' } };
}

async function served(ref: string, creds: RunningRegistry): Promise<string | undefined> {
  try {
    return sha256(await skopeoInspectRaw(ref, { creds }));
  } catch {
    return undefined;
  }
}

describe('copycat controller as a process', () => {
  let api: FakeKubeApiServer;
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let proxy: FaultProxy;
  let dir: string;
  let fast: ImageFixture;
  let child: Child | undefined;

  before(async () => {
    api = await startKubeApiServer();
    [src, dst] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic', password: TARGET_PASSWORD })]);
    [fast] = await Promise.all([pushImage(src, 'team/fast', { tag: '1' }), pushImage(src, 'team/slow', { tag: '1', layers: [256 * 1024] })]);
    // The source goes through a proxy that holds every blob of team/slow for half a minute: a copy in flight.
    proxy = await startFaultProxy(src.url, [{ match: { method: 'GET', path: /\/v2\/team\/slow\/blobs\/sha256:/ }, times: Infinity, fault: 'stall', stallMs: 30_000 }]);
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    dir = await mkdtemp(join(tmpdir(), 'copycat-controller-process-'));
  });
  after(async () => {
    if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await Promise.all([api?.stop(), src?.stop(), dst?.stop(), proxy?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('logs JSON without secrets, mirrors, and on SIGTERM mid-copy exits 0 promptly without tagging the incomplete image', async () => {
    const configPath = join(dir, 'config.yaml');
    await writeFile(
      configPath,
      [
        'docker:',
        '  repoPrefix: "mirror"',
        'includeNamespaces: ["apps"]',
        'registryCredentials:',
        `  - registry: "registry.example.com"`,
        '    tokenEnv: SOURCE_TOKEN',
        '',
      ].join('\n'),
    );
    const [metricsPort, probePort] = await Promise.all([freePort(), freePort()]);
    const metrics = `http://127.0.0.1:${metricsPort}`;
    child = spawnController(
      // As upstream's manifests write them, one Go-style single-dash flag among them.
      ['--leader-elect=false', `--metrics-bind-address=127.0.0.1:${metricsPort}`, '-health-probe-bind-address', `127.0.0.1:${probePort}`, '--zap-log-level=debug'],
      {
        CONFIG_PATH: configPath,
        KUBECONFIG: api.writeKubeconfig(),
        TARGET_KIND: 'docker',
        TARGET_REGISTRY: dst.host,
        TARGET_USERNAME: dst.username,
        TARGET_PASSWORD,
        SOURCE_TOKEN,
        REGISTRY_RETRY_BACKOFF: '0',
        HOME: dir,
      },
    );
    const running = child;
    const gone = (): string | undefined => (running.proc.exitCode !== null ? `exited ${running.proc.exitCode}: ${running.stderr()}${running.stdout()}` : undefined);
    await waitUntil('/readyz', async () => (await fetch(`http://127.0.0.1:${probePort}/readyz`)).status === 200, { timeoutMs: 20_000, abortIf: gone });

    api.create(pod('fast-1', `${proxy.host}/team/fast:1`));
    await waitUntil('team/fast mirrored', async () => (await served(`${dst.host}/mirror/team/fast:1`, dst)) === fast.digest, { timeoutMs: 20_000, abortIf: gone });

    api.create(pod('slow-1', `${proxy.host}/team/slow:1`));
    await waitUntil('the slow copy is under way', async () => (proxy.fired()[0] ?? 0) > 0, { timeoutMs: 20_000, abortIf: gone });
    const status = (await (await fetch(`${metrics}/status`)).json()) as { images: Array<{ source: string; state: string; running?: boolean }> };
    assert.ok(status.images.some((i) => i.source.endsWith('/team/slow:1')), JSON.stringify(status.images));
    const page = await fetch(`${metrics}/`);
    assert.equal(page.status, 200, 'the status page at /');
    assert.match(await page.text(), /<title>copycat status<\/title>/);

    const sent = Date.now();
    running.proc.kill('SIGTERM');
    const exit = await running.exited;
    assert.equal(exit.code, 0, `exit ${exit.code} ${exit.signal}\n${running.stderr()}`);
    assert.ok(exit.at - sent < 5_000, `shut down in ${exit.at - sent} ms`);

    // Nothing incomplete is tagged: the slow image's tag does not exist in the target (no manifest was pushed).
    const tag = await fetch(`${dst.url}/v2/mirror/team/slow/manifests/1`, {
      method: 'HEAD',
      headers: { authorization: `Basic ${Buffer.from(`${dst.username}:${TARGET_PASSWORD}`).toString('base64')}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    assert.equal(tag.status, 404);

    const text = running.stdout();
    assert.ok(!text.includes(TARGET_PASSWORD) && !text.includes(SOURCE_TOKEN), 'no secret in the logs');
    assert.ok(!running.stderr().includes(TARGET_PASSWORD), 'no secret on stderr');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of logs) {
      assert.equal(typeof l['msg'], 'string', JSON.stringify(l));
      assert.ok(['debug', 'info', 'warn', 'error', 'fatal'].includes(String(l['level'])), JSON.stringify(l));
      assert.ok(!Number.isNaN(Date.parse(String(l['ts']))), JSON.stringify(l));
    }
    const msgs = logs.map((l) => `${String(l['logger'])}: ${String(l['msg'])}`);
    for (const expected of ['setup: resolved configuration', 'namespaces: listing resources in configured namespaces', 'setup: starting copycat 😼', 'setup: shutting down', 'setup: shutdown complete']) {
      assert.ok(msgs.includes(expected), `${expected} in\n${msgs.join('\n')}`);
    }
    const config = logs.find((l) => l['msg'] === 'resolved configuration')?.['config'] as { docker: { password: string } } | undefined;
    assert.equal(config?.docker.password, '[redacted]');
    assert.ok(logs.some((l) => l['msg'] === 'saw Pod' && l['level'] === 'debug'), '--zap-log-level=debug applies');
  });

  it('a start-up failure is one JSON error line with upstream\'s message and exit code 1', async () => {
    const failed = spawnController(['--leader-elect=false', '--metrics-bind-address=0', '--health-probe-bind-address=0'], {
      CONFIG_PATH: join(dir, 'absent.yaml'),
      KUBECONFIG: api.writeKubeconfig(),
      TARGET_KIND: 'docker',
      TARGET_REGISTRY: dst.host,
      INCLUDE_NAMESPACES: 'apps,missing-ns',
      HOME: dir,
    });
    const exit = await failed.exited;
    assert.equal(exit.code, 1, failed.stderr());
    const last = JSON.parse(failed.stdout().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    assert.equal(last['msg'], 'validate configured namespaces failed 🙀');
    assert.equal(last['level'], 'error');
    assert.match(String(last['error']), /missing-ns/);
  });

  it('leader election outside a cluster without a Lease namespace refuses to start, as controller-runtime', async () => {
    const failed = spawnController(['--metrics-bind-address=0', '--health-probe-bind-address=0'], {
      CONFIG_PATH: join(dir, 'absent.yaml'),
      KUBECONFIG: api.writeKubeconfig(),
      TARGET_KIND: 'docker',
      TARGET_REGISTRY: dst.host,
      HOME: dir,
    });
    const exit = await failed.exited;
    assert.equal(exit.code, 1, failed.stderr());
    const last = JSON.parse(failed.stdout().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    assert.equal(last['msg'], 'unable to start copycat 🙀');
    assert.match(String(last['error']), /--leader-election-namespace/);
  });
});
