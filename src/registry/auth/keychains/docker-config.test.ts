import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasCode } from '../../../internal/errors.ts';
import type { Credential } from '../credentials.ts';
import { DockerConfigCredentials, parseDockerConfig } from './docker-config.ts';
import { KeychainError } from './errors.ts';
import { helperJson, NOT_FOUND, writeFakeHelper } from './fake-helper.fixture.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const basic = (username: string, password: string): Credential => ({ kind: 'basic', username, password });

let root: string;
let counter = 0;

/** A fresh directory holding `config.json` with `doc`, plus a `bin` directory for fake helpers. */
async function configDir(doc: unknown): Promise<{ dir: string; bin: string; path: string; env: NodeJS.ProcessEnv }> {
  const dir = join(root, `case-${counter++}`);
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const path = join(dir, 'config.json');
  await writeFile(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return { dir, bin, path, env: { DOCKER_CONFIG: dir, PATH: `${bin}:/usr/bin:/bin` } };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'copycat-docker-config-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('DockerConfigCredentials: auths', () => {
  it('reads auth, username/password, identitytoken and registrytoken entries', async () => {
    const { env } = await configDir({
      auths: {
        'basic.example.com': { auth: b64('alice:pa:ss') },
        'split.example.com': { username: 'bob', password: 'hunter2' },
        'identity.example.com': { auth: b64('carol:'), identitytoken: 'refresh-token' },
        'bare-identity.example.com': { identitytoken: 'refresh-2' },
        'bearer.example.com': { registrytoken: 'ready-token', username: 'ignored' },
        'placeholder.example.com': {},
      },
    });
    const dc = new DockerConfigCredentials({ env });
    assert.deepEqual(await dc.resolve('basic.example.com'), basic('alice', 'pa:ss'));
    assert.deepEqual(await dc.resolve('split.example.com'), basic('bob', 'hunter2'));
    assert.deepEqual(await dc.resolve('identity.example.com'), { kind: 'identity-token', token: 'refresh-token', username: 'carol' });
    assert.deepEqual(await dc.resolve('bare-identity.example.com'), { kind: 'identity-token', token: 'refresh-2' });
    assert.deepEqual(await dc.resolve('bearer.example.com'), { kind: 'bearer', token: 'ready-token' });
    assert.equal(await dc.resolve('placeholder.example.com'), undefined);
    assert.equal(await dc.resolve('unknown.example.com'), undefined);
  });

  it('lets auth win over username/password, as Docker does', async () => {
    const { env } = await configDir({ auths: { 'r.io': { auth: b64('from-auth:pw1'), username: 'field', password: 'pw2' } } });
    assert.deepEqual(await new DockerConfigCredentials({ env }).resolve('r.io'), basic('from-auth', 'pw1'));
  });

  it('treats URL keys as their host, and https://index.docker.io/v1/ as Docker Hub', async () => {
    const { env } = await configDir({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:pw') },
        'http://127.0.0.1:5000/v2/': { auth: b64('local:pw') },
        'https://GHCR.IO': { auth: b64('gh:pw') },
      },
    });
    const dc = new DockerConfigCredentials({ env });
    assert.deepEqual(await dc.resolve('docker.io'), basic('hub', 'pw'));
    assert.deepEqual(await dc.resolve('index.docker.io'), basic('hub', 'pw'));
    assert.deepEqual(await dc.resolve('127.0.0.1:5000'), basic('local', 'pw'));
    assert.deepEqual(await dc.resolve('ghcr.io'), basic('gh', 'pw'));
  });

  it('prefers the Hub entry Docker itself writes when several keys name Docker Hub', async () => {
    const { env } = await configDir({ auths: { 'docker.io': { auth: b64('short:pw') }, 'https://index.docker.io/v1/': { auth: b64('canonical:pw') } } });
    assert.deepEqual(await new DockerConfigCredentials({ env }).resolve('docker.io'), basic('canonical', 'pw'));
  });

  it('finds the file through DOCKER_CONFIG, else HOME/.docker, and an explicit path wins', async () => {
    assert.equal(DockerConfigCredentials.defaultPath({ DOCKER_CONFIG: '/cfg', HOME: '/home/x' }), join('/cfg', 'config.json'));
    assert.equal(DockerConfigCredentials.defaultPath({ HOME: '/home/x' }), join('/home/x', '.docker', 'config.json'));
    const home = join(root, `home-${counter++}`);
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'r.io': { auth: b64('from-home:pw') } } }));
    assert.deepEqual(await new DockerConfigCredentials({ env: { HOME: home } }).resolve('r.io'), basic('from-home', 'pw'));
    const other = await configDir({ auths: { 'r.io': { auth: b64('explicit:pw') } } });
    assert.deepEqual(await new DockerConfigCredentials({ path: other.path, env: { HOME: home } }).resolve('r.io'), basic('explicit', 'pw'));
  });

  it('means no credentials when the default file is missing, but an explicit path must exist', async () => {
    const empty = join(root, `missing-${counter++}`);
    assert.equal(await new DockerConfigCredentials({ env: { DOCKER_CONFIG: empty } }).resolve('r.io'), undefined);
    await assert.rejects(new DockerConfigCredentials({ path: join(empty, 'auth.json'), env: {} }).resolve('r.io'), (err) => {
      assert.ok(hasCode(err, 'DOCKER_CONFIG_UNREADABLE'));
      assert.match(err.message, /auth\.json \(ENOENT\)/);
      return true;
    });
  });

  it('refuses malformed files naming the file and key, never the values', async () => {
    const secret = 'do-not-print-me';
    const cases: Array<[unknown, RegExp]> = [
      [`{"auths": {"r.io": {"auth": "${b64(`u:${secret}`)}"}`, /is not JSON/],
      [[1, 2], /top level is not a JSON object/],
      [{ auths: [] }, /"auths" is not an object/],
      [{ auths: { 'r.io': 'x' } }, /auths\["r\.io"\] is not an object/],
      [{ auths: { 'r.io': { auth: `${secret}!!` } } }, /auths\["r\.io"\]\.auth is not base64/],
      [{ auths: { 'r.io': { auth: b64(secret) } } }, /auths\["r\.io"\]\.auth is not base64 of "username:password"/],
      [{ auths: { 'r.io': { password: 42 } } }, /auths\["r\.io"\]\.password is not a string/],
      [{ credHelpers: { 'r.io': 1 } }, /credHelpers\["r\.io"\] is not a string/],
      [{ credsStore: true }, /"credsStore" is not a string/],
    ];
    for (const [doc, want] of cases) {
      const { env } = await configDir(doc);
      await assert.rejects(new DockerConfigCredentials({ env }).resolve('r.io'), (err) => {
        assert.ok(err instanceof KeychainError && err.code === 'DOCKER_CONFIG_INVALID', String(err));
        assert.match(err.message, want);
        assert.ok(!err.message.includes(secret) && !err.message.includes(b64(`u:${secret}`)), err.message);
        assert.equal(err.cause, undefined, 'no cause that could quote the file');
        return true;
      });
    }
  });

  it('parses an empty file as no configuration', () => {
    const parsed = parseDockerConfig('  \n', '/x/config.json');
    assert.equal(parsed.auths.size, 0);
    assert.equal(parsed.credsStore, undefined);
  });
});

describe('DockerConfigCredentials: credential helpers', () => {
  it('runs credHelpers for their registry and credsStore for the others, with the server URL on stdin', async () => {
    const { bin, env } = await configDir({ credsStore: 'store', credHelpers: { 'gcr.io': 'gcr', 'https://ECR.example.com/v2/': 'gcr' } });
    const gcr = await writeFakeHelper(bin, 'gcr', { 'gcr.io': helperJson('gcr.io', 'oauth2accesstoken', 'gcr-secret'), 'ecr.example.com': helperJson('ecr.example.com', 'AWS', 'ecr-secret') });
    const store = await writeFakeHelper(bin, 'store', {
      'https://index.docker.io/v1/': helperJson('https://index.docker.io/v1/', 'hubuser', 'hub-secret'),
      'quay.io': helperJson('quay.io', '<token>', 'identity-secret'),
    });
    const dc = new DockerConfigCredentials({ env });
    assert.deepEqual(await dc.resolve('gcr.io'), basic('oauth2accesstoken', 'gcr-secret'));
    assert.deepEqual(await dc.resolve('ecr.example.com'), basic('AWS', 'ecr-secret'));
    assert.deepEqual(await dc.resolve('docker.io'), basic('hubuser', 'hub-secret'));
    assert.deepEqual(await dc.resolve('quay.io'), { kind: 'identity-token', token: 'identity-secret' }, 'Username <token> marks an identity token');
    assert.equal(await dc.resolve('nothing.example.com'), undefined, '"credentials not found" means anonymous');
    assert.deepEqual(await gcr.calls(), ['gcr.io', 'ecr.example.com']);
    assert.deepEqual(await store.calls(), ['https://index.docker.io/v1/', 'quay.io', 'nothing.example.com']);
  });

  it('uses a credHelpers entry over an inline auth, and an inline auth over credsStore', async () => {
    const { bin, env } = await configDir({
      credsStore: 'store',
      credHelpers: { 'helped.io': 'per-registry' },
      auths: { 'helped.io': { auth: b64('inline:1') }, 'inline.io': { auth: b64('inline:2') }, 'stored.io': {} },
    });
    await writeFakeHelper(bin, 'per-registry', { 'helped.io': helperJson('helped.io', 'helper', 'h') });
    const store = await writeFakeHelper(bin, 'store', { 'stored.io': helperJson('stored.io', 'store', 's'), 'inline.io': helperJson('inline.io', 'store', 'x') });
    const dc = new DockerConfigCredentials({ env });
    assert.deepEqual(await dc.resolve('helped.io'), basic('helper', 'h'));
    assert.deepEqual(await dc.resolve('inline.io'), basic('inline', '2'));
    assert.deepEqual(await dc.resolve('stored.io'), basic('store', 's'), 'an empty auths placeholder defers to the store');
    assert.deepEqual(await store.calls(), ['stored.io']);
  });

  it('caches a helper answer per registry and shares one run between concurrent lookups', async () => {
    const { bin, env } = await configDir({ credsStore: 'counted' });
    const helper = await writeFakeHelper(bin, 'counted', { 'a.io': helperJson('a.io', 'u', 'p') });
    const dc = new DockerConfigCredentials({ env });
    const answers = await Promise.all([dc.resolve('a.io'), dc.resolve('a.io'), dc.resolve('a.io')]);
    assert.deepEqual(answers, [basic('u', 'p'), basic('u', 'p'), basic('u', 'p')]);
    assert.equal(await dc.resolve('b.io'), undefined);
    assert.equal(await dc.resolve('b.io'), undefined);
    assert.deepEqual(await helper.calls(), ['a.io', 'b.io'], 'one run per registry, "not found" cached too');
  });

  it('asks again once the cache TTL has passed', async () => {
    const { bin, env } = await configDir({ credsStore: 'ttl' });
    const helper = await writeFakeHelper(bin, 'ttl', { 'a.io': helperJson('a.io', 'u', 'p') });
    const dc = new DockerConfigCredentials({ env, helperCacheTtlMs: 0 });
    await dc.resolve('a.io');
    await dc.resolve('a.io');
    assert.equal((await helper.calls()).length, 2);
  });

  it('uses a registry anonymously, with a warning, when the helper is not installed', async () => {
    const { env, path } = await configDir({ credHelpers: { 'a.io': 'not-installed' } });
    const warnings: string[] = [];
    const dc = new DockerConfigCredentials({ env, onWarning: (m) => warnings.push(m) });
    assert.equal(await dc.resolve('a.io'), undefined);
    assert.deepEqual(warnings, [`credential helper docker-credential-not-installed (configured in ${path} for a.io) is not installed; using a.io anonymously`]);
  });

  it('fails with CREDENTIAL_HELPER_FAILED naming helper and registry, never what the helper printed on stdout', async () => {
    const { bin, env } = await configDir({ credHelpers: { 'broken.io': 'broken', 'garbage.io': 'broken', 'docker.io': 'broken' } });
    const secret = 'leaked-secret-value';
    await writeFakeHelper(bin, 'broken', {
      'broken.io': { stdout: JSON.stringify({ Username: 'u', Secret: secret }), stderr: 'keychain is locked\nsecond line', exit: 3 },
      'garbage.io': { stdout: `{"Username":"u","Secret":"${secret}"` },
      'https://index.docker.io/v1/': { stdout: secret, exit: 1 },
    });
    const dc = new DockerConfigCredentials({ env });
    const expectFailure = async (registry: string, why: RegExp): Promise<void> => {
      await assert.rejects(dc.resolve(registry), (err) => {
        assert.ok(err instanceof KeychainError && err.code === 'CREDENTIAL_HELPER_FAILED', String(err));
        assert.match(err.message, new RegExp(`docker-credential-broken failed for registry ${registry.replaceAll('.', '\\.')}`));
        assert.match(err.message, why);
        assert.ok(!err.message.includes(secret), err.message);
        return true;
      });
    };
    await expectFailure('broken.io', /exit code 3: keychain is locked$/);
    await expectFailure('garbage.io', /not the JSON object/);
    await expectFailure('docker.io', /exit code 1$/);
  });

  it('does not cache failures: the next lookup runs the helper again', async () => {
    const { bin, env } = await configDir({ credsStore: 'flaky' });
    const helper = await writeFakeHelper(bin, 'flaky', {}, { stderr: 'temporary', exit: 2 });
    const dc = new DockerConfigCredentials({ env });
    await assert.rejects(dc.resolve('a.io'), { code: 'CREDENTIAL_HELPER_FAILED' });
    await assert.rejects(dc.resolve('a.io'), { code: 'CREDENTIAL_HELPER_FAILED' });
    assert.equal((await helper.calls()).length, 2);
  });

  it('kills a helper that does not answer in time', async () => {
    const { bin, env } = await configDir({ credsStore: 'slow' });
    await writeFakeHelper(bin, 'slow', {}, { sleepSeconds: 5, ...NOT_FOUND });
    const dc = new DockerConfigCredentials({ env, helperTimeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(dc.resolve('a.io'), (err) => {
      assert.ok(hasCode(err, 'CREDENTIAL_HELPER_FAILED'));
      assert.match(err.message, /no answer within 0\.3 s, killed/);
      return true;
    });
    assert.ok(Date.now() - started < 4000, 'did not wait for the helper');
  });

  it('refuses a helper name that is a path', async () => {
    const { env } = await configDir({ credsStore: '../../bin/sh' });
    await assert.rejects(new DockerConfigCredentials({ env }).resolve('a.io'), { code: 'CREDENTIAL_HELPER_FAILED' });
  });
});
