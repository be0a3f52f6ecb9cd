/**
 * A counterpart for every k8s-copycat configuration test (behaviour inventory §6.3, §6.4), each
 * named after the Go test it mirrors. Namespace, pattern and watch-resource tests (§6.2, §6.5) live
 * in namespaces.test.ts, glob.test.ts and watch.test.ts.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { compileGlob } from './glob.ts';
import { loadConfigWithWarnings } from './load.ts';
import { resolveList } from './lists.ts';
import { BASE_ENV, enoent, load } from './test-support.fixture.ts';

describe('cmd/manager/runtime_config_test.go', () => {
  it('TestResolveAllowedNamespaces', () => {
    // ("", nil) → ["*"]
    assert.deepEqual(load(undefined).config.includeNamespaces, ['*']);
    // ("default, prod", nil) → ["default", "prod"]
    assert.deepEqual(load(undefined, { INCLUDE_NAMESPACES: 'default, prod' }).config.includeNamespaces, ['default', 'prod']);
    // ("   ", ["test", "prod"]) → the blank env falls back to the file
    assert.deepEqual(load('includeNamespaces: [test, prod]', { INCLUDE_NAMESPACES: '   ' }).config.includeNamespaces, ['test', 'prod']);
  });

  it('TestResolveList', () => {
    assert.deepEqual(resolveList('alpha , beta', ['gamma']).values, ['alpha', 'beta']);
    assert.deepEqual(resolveList('', ['gamma', 'delta']).values, ['gamma', 'delta']);
    assert.deepEqual(resolveList('', [' ', '', 'delta']).values, ['delta']);
    // Deliberate difference ([BUG] §1.2, §7.1 #11): upstream expects ["foo", "bar", "baz"]; file
    // entries are no longer split on commas, so a regex such as a{1,3} survives.
    assert.deepEqual(resolveList('', ['foo, bar', 'baz']).values, ['foo, bar', 'baz']);
    // Same four cases through the loader, with a list key.
    assert.deepEqual(load('skipNamespaces: [gamma]', { SKIP_NAMESPACES: 'alpha , beta' }).config.skipNamespaces, ['alpha', 'beta']);
    assert.deepEqual(load('skipNamespaces: [gamma, delta]').config.skipNamespaces, ['gamma', 'delta']);
    assert.deepEqual(load('skipNamespaces: [" ", "", delta]').config.skipNamespaces, ['delta']);
    const split = load('skipNamespaces: ["foo, bar", baz]');
    assert.deepEqual(split.config.skipNamespaces, ['foo, bar', 'baz']);
    assert.ok(split.warnings.some((w) => w.includes('"foo, bar" contains a comma')), 'a comma in a name list is flagged');
  });

  it('TestBuildKeychainFromConfigRegistryAliases', () => {
    const yaml = [
      'registryCredentials:',
      '  - registry: registry-1.docker.io',
      '    registryAliases: [index.docker.io, docker.io, mirror.docker.internal]',
      '    username: user',
      '    password: pass',
    ].join('\n');
    const [cred, ...rest] = load(yaml).config.registryCredentials;
    assert.deepEqual(rest, []);
    // All four hosts resolve to Basic user/pass.
    assert.deepEqual(cred?.hosts, ['registry-1.docker.io', 'index.docker.io', 'docker.io', 'mirror.docker.internal']);
    assert.deepEqual(cred?.auth, { kind: 'basic', username: 'user', password: 'pass' });
  });

  it('TestBuildKeychainFromConfigCustomAliasesAndWildcard', () => {
    const yaml = ['registryCredentials:', '  - registry: ghcr.io', '    registryAliases: ["*.ghcr.io", docker.pkg.github.com]', '    token: ghcr-token'].join('\n');
    const [cred] = load(yaml).config.registryCredentials;
    assert.deepEqual(cred?.auth, { kind: 'token', token: 'ghcr-token' });
    const hosts = cred?.hosts ?? [];
    const covers = (registry: string): boolean => hosts.some((h) => (/[*?[]/.test(h) ? compileGlob(h).test(registry) : h === registry));
    // ghcr.io, packages.ghcr.io and docker.pkg.github.com get the token; ghcr.example.com stays anonymous.
    assert.deepEqual(['ghcr.io', 'packages.ghcr.io', 'docker.pkg.github.com', 'ghcr.example.com'].map(covers), [true, true, true, false]);
  });

  it('TestResolveOptionalBoolEnv', () => {
    const ecr = { TARGET_KIND: 'ecr', ECR_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-west-1' };
    const createRepo = (value: string, file = 'ecr: {createRepo: true}'): boolean => load(file, { ...ecr, ECR_CREATE_REPO: value }).config.ecr.createRepo;
    // "FALSE" → present, false
    assert.equal(createRepo('FALSE'), false);
    // "1" → present, true
    assert.equal(createRepo('1', 'ecr: {createRepo: false}'), true);
    // "   " → absent: the file value stands
    assert.equal(createRepo('   ', 'ecr: {createRepo: false}'), false);
    // "not-a-bool" → error
    assert.throws(() => createRepo('not-a-bool'), (err: unknown) => err instanceof ConfigError && err.key === 'ECR_CREATE_REPO' && err.value === 'not-a-bool');
  });

  it('TestLoadRuntimeConfigRegistryRetryFromConfig', () => {
    // Upstream set struct fields directly; here the YAML keys themselves are read, including the
    // documented registryRetryBackoff that k8s-copycat ignored ([BUG] §1.1).
    const env = { TARGET_KIND: '', TARGET_REGISTRY: '', REGISTRY_REQUEST_TIMEOUT: '', REGISTRY_RETRY_ATTEMPTS: '', REGISTRY_RETRY_BACKOFF: '' };
    for (const backoffKey of ['registryRetryBackoff', 'registryRetryBackoffSeconds']) {
      const yaml = `targetKind: docker\ndocker: {registry: example.com}\nregistryRetryAttempts: 4\n${backoffKey}: 15\n`;
      const { config } = load(yaml, env);
      assert.equal(config.registryRetryAttempts, 4);
      assert.equal(config.registryRetryBackoffMs, 15_000, backoffKey);
      assert.equal(config.requestTimeoutMs, 300_000);
    }
  });
});

describe('internal/config/config_test.go', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copycat-upstream-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('TestLoadMissingFile', () => {
    const loaded = loadConfigWithWarnings({ path: join(dir, 'missing.yaml'), env: BASE_ENV });
    assert.equal(loaded.found, false);
    assert.deepEqual(loaded.warnings, []);
    // "Zero config": every file setting at its default.
    assert.deepEqual(loaded.config, load(undefined).config);
    assert.ok(Object.values(loaded.origins).every((o) => o === 'default' || o === 'env'));
  });

  it('TestLoadPermissionDeniedReturnsError', () => {
    const denied = (path: string): never => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    };
    assert.throws(() => loadConfigWithWarnings({ path: '/config/config.yaml', env: BASE_ENV, readFile: denied }), { code: 'CONFIG_UNREADABLE', key: 'CONFIG_PATH' });
    // On the real file system too, where permissions apply (root reads anything, as upstream's test notes).
    const path = join(dir, 'config.yaml');
    writeFileSync(path, 'targetKind: docker\n');
    chmodSync(path, 0);
    const root = process.getuid?.() === 0;
    if (root) assert.equal(loadConfigWithWarnings({ path, env: BASE_ENV }).found, true);
    else assert.throws(() => loadConfigWithWarnings({ path, env: BASE_ENV }), { code: 'CONFIG_UNREADABLE', value: path });
  });

  it('only ENOENT means "no file"', () => {
    assert.equal(loadConfigWithWarnings({ env: BASE_ENV, readFile: (p) => { throw enoent(p); } }).found, false);
    assert.throws(
      () => loadConfigWithWarnings({ env: BASE_ENV, readFile: () => { throw Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' }); } }),
      { code: 'CONFIG_UNREADABLE' },
    );
  });
});
