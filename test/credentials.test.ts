/**
 * Every way users authenticate, against real distribution 2.8 registries (docs/credentials.md):
 * the CLI (`bin/copycat` as a child process) with a docker config (`DOCKER_CONFIG`, `--authfile`), a real
 * `docker-credential-*` executable on `PATH` (credsStore, credHelpers, identity tokens), CLI flags over the
 * docker config; and the library keychains (config `registryCredentials` with wildcard aliases, Kubernetes
 * pull secrets of both formats) driving the registry client and the copy engine. Failures (a wrong password,
 * a broken helper) must name the registry and never print a secret.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigCredentials, Copier, parseReference, PullSecretCredentials, RegistryClient, type RegistryCredentialEntry } from '../src/index.ts';
import { pushMultiArchIndex, pushSchema2Image, sha256, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { skopeoInspectRaw } from './support/skopeo.ts';

const COPYCAT_BIN = fileURLToPath(new URL('../bin/copycat', import.meta.url));
const COMPILE_CACHE = process.env['NODE_COMPILE_CACHE'] ?? join(tmpdir(), 'copycat-test-compile-cache');

const SRC_USER = 'puller';
const SRC_PASS = 'Src-Pass-7f3a9c';
const DST_USER = 'pusher';
const DST_PASS = 'Dst-Pass-2b8e41';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `copycat ...args` with extra environment variables, capturing both streams. */
function copycat(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COPYCAT_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: COMPILE_CACHE, ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Fails when `text` contains a secret or its base64 form (as it would sit in an auth field or header). */
function assertNoSecret(run: CliRun, ...secrets: string[]): void {
  for (const secret of secrets) {
    for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
      assert.ok(!text.includes(secret), `${stream} shows a secret:\n${text}`);
      assert.ok(!text.includes(b64(secret).replace(/=+$/, '')), `${stream} shows a base64 secret:\n${text}`);
    }
  }
}

function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes an executable `docker-credential-<name>` that answers `get` per server URL as the
 * docker-credential-helpers do, logging each server URL it is asked for.
 */
async function writeHelper(bin: string, name: string, answers: Record<string, { stdout?: string; stderr?: string; exit?: number }>): Promise<() => Promise<string[]>> {
  const log = join(bin, `${name}.log`);
  const cases = Object.entries(answers).map(([server, a]) =>
    [`  ${shQuote(server)})`, `    printf '%s' ${shQuote(a.stdout ?? '')}`, `    printf '%s' ${shQuote(a.stderr ?? '')} >&2`, `    exit ${a.exit ?? 0};;`].join('\n'),
  );
  const script = [
    '#!/bin/sh',
    '[ "$1" = get ] || exit 2',
    'server=$(cat)',
    `printf '%s\\n' "$server" >> ${shQuote(log)}`,
    'case "$server" in',
    ...cases,
    "  *) echo 'credentials not found in native keychain'; exit 1;;",
    'esac',
    '',
  ].join('\n');
  const path = join(bin, `docker-credential-${name}`);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
}

function helperAnswer(server: string, username: string, secret: string): { stdout: string } {
  return { stdout: JSON.stringify({ ServerURL: server, Username: username, Secret: secret }) };
}

describe('credentials: every source, against real registries', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let tok: RunningRegistry;
  let work: string;
  let bin: string;
  let multi: IndexFixture;
  let single: ImageFixture;
  let caseNo = 0;

  /** A fresh DOCKER_CONFIG directory holding `config`, and the env to run the CLI with it. */
  async function dockerConfig(config: unknown): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
    const dir = join(work, `config-${caseNo++}`);
    await mkdir(dir);
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    return { dir, env: { DOCKER_CONFIG: dir, PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` } };
  }

  const dstAuths = (): Record<string, unknown> => ({ [dst.host]: { auth: b64(`${DST_USER}:${DST_PASS}`) } });

  async function assertMirrored(repo: string, digest: string): Promise<void> {
    const raw = await skopeoInspectRaw(`${dst.host}/${repo}`, { creds: { username: DST_USER, password: DST_PASS } });
    assert.equal(sha256(raw), digest);
  }

  before(async () => {
    [src, dst, tok] = await Promise.all([
      startRegistry({ auth: 'basic', username: SRC_USER, password: SRC_PASS }),
      startRegistry({ auth: 'basic', username: DST_USER, password: DST_PASS }),
      startRegistry({ auth: 'token' }),
    ]);
    [multi, single] = await Promise.all([pushMultiArchIndex(src, 'app/multi', { tag: 'v1' }), pushSchema2Image(tok, 'team/app', { tag: 'v1', layers: [300] })]);
    work = await mkdtemp(join(tmpdir(), 'copycat-credentials-'));
    bin = join(work, 'bin');
    await mkdir(bin);
  });

  after(async () => {
    await Promise.all([src?.stop(), dst?.stop(), tok?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('CLI: credsStore helper for the source, an inline auths entry for the destination', async () => {
    const calls = await writeHelper(bin, 'teststore', { [src.host]: helperAnswer(src.host, SRC_USER, SRC_PASS) });
    const { env } = await dockerConfig({ credsStore: 'teststore', auths: dstAuths() });
    const run = await copycat(['copy', `${src.host}/app/multi:v1`, `${dst.host}/mirror/multi:v1`], env);
    assert.equal(run.code, 0, run.stderr);
    await assertMirrored('mirror/multi:v1', multi.digest);
    assert.deepEqual(await calls(), [src.host], 'the helper ran once for the source (cached), never for the destination');
    assertNoSecret(run, SRC_PASS, DST_PASS);
  });

  it('CLI: --authfile with credHelpers wins over DOCKER_CONFIG', async () => {
    await writeHelper(bin, 'perhost', { [src.host]: helperAnswer(src.host, SRC_USER, SRC_PASS) });
    const { env } = await dockerConfig({ auths: { [src.host]: { auth: b64(`${SRC_USER}:not-this-one`) } } });
    const authfile = join(work, `auth-${caseNo++}.json`);
    await writeFile(authfile, JSON.stringify({ credHelpers: { [src.host]: 'perhost' }, auths: dstAuths() }));
    const run = await copycat(['copy', '--authfile', authfile, `${src.host}/app/multi:v1`, `${dst.host}/mirror/authfile:v1`], env);
    assert.equal(run.code, 0, run.stderr);
    await assertMirrored('mirror/authfile:v1', multi.digest);

    const missing = await copycat(['inspect', '--authfile', join(work, 'no-such.json'), `${src.host}/app/multi:v1`], env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /DOCKER_CONFIG_UNREADABLE: cannot read the docker config .*no-such\.json \(ENOENT\)/);
  });

  it('CLI: --src-creds / --dest-creds override the docker config', async () => {
    const { env } = await dockerConfig({ auths: { [src.host]: { auth: b64(`${SRC_USER}:wrong-in-config`) }, [dst.host]: { auth: b64(`${DST_USER}:wrong-too`) } } });
    const run = await copycat(['copy', '--src-creds', `${SRC_USER}:${SRC_PASS}`, '--dest-creds', `${DST_USER}:${DST_PASS}`, `${src.host}/app/multi:v1`, `${dst.host}/mirror/flags:v1`], env);
    assert.equal(run.code, 0, run.stderr);
    await assertMirrored('mirror/flags:v1', multi.digest);
    assertNoSecret(run, SRC_PASS, DST_PASS, 'wrong-in-config');
  });

  it('CLI: an identity token from a helper (Username <token>) goes through the OAuth2 refresh flow', async () => {
    // What `docker login` stores for a registry with OAuth2: a refresh token from a password grant.
    const form = new URLSearchParams({ grant_type: 'password', username: tok.username!, password: tok.password!, service: tok.service!, client_id: 'test' });
    const res = await fetch(tok.tokenRealm!, { method: 'POST', body: form });
    assert.equal(res.status, 200);
    const refresh = ((await res.json()) as { refresh_token: string }).refresh_token;
    await writeHelper(bin, 'identity', { [tok.host]: helperAnswer(tok.host, '<token>', refresh) });
    const { env } = await dockerConfig({ credHelpers: { [tok.host]: 'identity' } });
    const before = tok.tokenRequests.length;
    const run = await copycat(['inspect', '--json', `${tok.host}/team/app:v1`], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { digest: string }).digest, single.digest);
    const used = tok.tokenRequests.slice(before);
    assert.ok(used.some((r) => r.method === 'POST' && r.grantType === 'refresh_token' && r.status === 200), JSON.stringify(used));
    assertNoSecret(run, refresh);
  });

  it('CLI: a wrong password fails naming the registry, and no output shows the password', async () => {
    const wrong = 'Wrong-Pass-e91d07';
    const { env } = await dockerConfig({ auths: { [src.host]: { auth: b64(`${SRC_USER}:${wrong}`) } } });
    const fromConfig = await copycat(['copy', `${src.host}/app/multi:v1`, `${dst.host}/mirror/never:v1`, '--dest-creds', `${DST_USER}:${DST_PASS}`], env);
    assert.notEqual(fromConfig.code, 0);
    assert.ok(fromConfig.stderr.includes(src.host), fromConfig.stderr);
    assert.match(fromConfig.stderr, /UNAUTHORIZED|401/);
    assertNoSecret(fromConfig, wrong, DST_PASS);

    const fromFlag = await copycat(['inspect', '--creds', `${SRC_USER}:${wrong}`, `${src.host}/app/multi:v1`], env);
    assert.notEqual(fromFlag.code, 0);
    assert.ok(fromFlag.stderr.includes(src.host), fromFlag.stderr);
    assertNoSecret(fromFlag, wrong);
  });

  it('CLI: a failing helper stops with CREDENTIAL_HELPER_FAILED naming helper and registry, without the secret', async () => {
    const leaked = 'Helper-Secret-55aa01';
    await writeHelper(bin, 'broken', { [src.host]: { stdout: JSON.stringify({ Username: SRC_USER, Secret: leaked }), stderr: 'the keyring is locked', exit: 3 } });
    const { env } = await dockerConfig({ credsStore: 'broken' });
    const run = await copycat(['inspect', `${src.host}/app/multi:v1`], env);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, new RegExp(`CREDENTIAL_HELPER_FAILED: credential helper docker-credential-broken failed for registry ${src.host.replaceAll('.', '\\.')}: exit code 3: the keyring is locked`));
    assertNoSecret(run, leaked);
  });

  it('CLI: a configured helper that is not installed means anonymous access, with a warning', async () => {
    const { env } = await dockerConfig({ credsStore: 'not-installed-anywhere' });
    const run = await copycat(['inspect', `${src.host}/app/multi:v1`], env);
    assert.notEqual(run.code, 0, 'the basic-auth registry refuses anonymous access');
    assert.match(run.stderr, /warning: credential helper docker-credential-not-installed-anywhere .* is not installed; using 127\.0\.0\.1:\d+ anonymously/);
  });

  it('library: registryCredentials wildcard aliases pick the most specific pattern, whatever the order', async () => {
    const port = src.host.split(':')[1];
    const entries: RegistryCredentialEntry[] = [
      { registry: 'wide.invalid', registryAliases: ['127.0.0.1:*'], username: SRC_USER, passwordEnv: 'WIDE_PASS' },
      { registry: 'narrow.invalid', registryAliases: [`127.0.0.*:${port}`], username: SRC_USER, passwordEnv: 'NARROW_PASS' },
    ];
    for (const order of [entries, [...entries].reverse()]) {
      const kc = ConfigCredentials.fromEntries(order, { WIDE_PASS: 'wrong-wide', NARROW_PASS: SRC_PASS });
      assert.deepEqual(kc.warnings, []);
      const client = new RegistryClient({ credentials: kc });
      try {
        const fetched = await client.getManifest({ registry: src.host, repository: 'app/multi' }, 'v1');
        assert.equal(fetched.digest, multi.digest);
      } finally {
        await client.close();
      }
    }
  });

  it('library: pull secrets of both formats drive a digest-exact copy', async () => {
    const dockerconfigjson = PullSecretCredentials.fromSecrets([
      {
        type: 'kubernetes.io/dockerconfigjson',
        metadata: { name: 'src-pull', namespace: 'apps' },
        data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { [`http://${src.host}/v2/`]: { auth: b64(`${SRC_USER}:${SRC_PASS}`) } } })) },
      },
    ]);
    const dockercfg = PullSecretCredentials.fromSecrets([
      { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ [dst.host]: { username: DST_USER, password: DST_PASS, email: 'ci@example.com' } })) } },
    ]);
    assert.deepEqual([...dockerconfigjson.warnings, ...dockercfg.warnings], []);
    const source = new RegistryClient({ credentials: dockerconfigjson.credentials });
    const target = new RegistryClient({ credentials: dockercfg.credentials });
    try {
      const result = await new Copier({ source, target }).copy(parseReference(`${src.host}/app/multi:v1`), parseReference(`${dst.host}/mirror/secrets:v1`));
      assert.equal(result.digest, multi.digest);
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
    await assertMirrored('mirror/secrets:v1', multi.digest);
  });
});
