import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_WATCH_RESOURCES, ConfigError, loadConfig, type Config } from '../config/index.ts';
import { WATCH_RESOURCES } from '../kube/index.ts';
import { formatPlatform } from '../oci/index.ts';
import { DockerTarget, EcrTarget } from '../targets/index.ts';
import { memoryLogger } from './logger.ts';
import { rulesFromConfig } from './rules.ts';
import { controllerOptionsFromConfig, filtersFromConfig, kindsFromConfig, sourceCredentialsFromConfig, targetFromConfig, validateNamespaces } from './setup.ts';
import { quickClient } from './test-support.fixture.ts';

function config(yaml: string, env: Record<string, string> = {}): Config {
  return loadConfig({ env: { TARGET_KIND: 'docker', TARGET_REGISTRY: 'mirror.example.com:5000', ...env }, readFile: () => yaml });
}

describe('setup from configuration', () => {
  it('config parses watchResources into exactly the resources kube can watch, in the same order', () => {
    assert.deepEqual([...ALL_WATCH_RESOURCES], [...WATCH_RESOURCES]);
  });

  it('sparseIndexFallback: platforms by default, file and env values, case-insensitive, anything else refused', () => {
    assert.equal(config('').sparseIndexFallback, 'platforms');
    assert.equal(config('sparseIndexFallback: Full').sparseIndexFallback, 'full');
    assert.equal(config('sparseIndexFallback: full', { SPARSE_INDEX_FALLBACK: 'fail' }).sparseIndexFallback, 'fail');
    assert.throws(
      () => config('', { SPARSE_INDEX_FALLBACK: 'rewrite' }),
      (err: unknown) => err instanceof ConfigError && err.code === 'CONFIG_INVALID' && /SPARSE_INDEX_FALLBACK/.test(err.message) && /rewrite/.test(err.message),
    );
  });

  it('rulesFromConfig maps every planner setting', () => {
    const c = config(`
docker: {repoPrefix: "$namespace"}
digestPull: true
digestPullIgnoredTags: [Latest, edge]
mirrorPlatforms: [arm64, linux/amd64]
checkNodePlatform: true
allowDifferentDigestRepush: false
excludeRegistries: [index.docker.io]
ignoreMissingPlatforms: ["arm"]
pathMap: [{from: "^a/(.*)", to: "b/$1", regex: true}]
`);
    const target = targetFromConfig(c);
    const r = rulesFromConfig(c, target);
    assert.equal(r.targetRegistry, 'mirror.example.com:5000');
    assert.equal(r.repoPrefix, '$namespace');
    assert.equal(r.digestPull, true);
    assert.deepEqual([...r.digestPullIgnoredTags], ['latest', 'edge']);
    assert.deepEqual(r.mirrorPlatforms.map(formatPlatform), ['linux/arm64', 'linux/amd64']);
    assert.equal(r.checkNodePlatform, true);
    assert.equal(r.allowDifferentDigestRepush, false);
    assert.deepEqual(r.excludeRegistries, ['docker.io']);
    assert.equal(r.ignoreMissingPlatforms.length, 1);
    assert.equal(r.pathMap[0]?.regex, true);
    assert.equal(r.sparseFallback, 'platforms');
  });

  it('targetFromConfig builds the docker target (with a path prefix) and the ECR target', () => {
    const docker = targetFromConfig(config('', { TARGET_REGISTRY: 'harbor.example.com/team', TARGET_INSECURE: 'true' }));
    assert.ok(docker instanceof DockerTarget);
    assert.equal(docker.registry, 'harbor.example.com');
    assert.equal(docker.repositoryPrefix, 'team');
    assert.equal(docker.insecure, true);
    assert.equal(rulesFromConfig(config('', { TARGET_REGISTRY: 'harbor.example.com/team' }), docker).targetPathPrefix, 'team');
    const ecr = targetFromConfig(loadConfig({ env: { TARGET_KIND: 'ecr', ECR_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-central-1' }, readFile: () => '' }));
    assert.ok(ecr instanceof EcrTarget);
    assert.equal(ecr.registry, '123456789012.dkr.ecr.eu-central-1.amazonaws.com');
    (ecr as EcrTarget).close();
  });

  it('sourceCredentialsFromConfig resolves registryCredentials (aliases, tokens)', async () => {
    const c = config(
      `registryCredentials:
- {registry: ghcr.io, registryAliases: ["*.ghcr.io"], token: t0k}
- {registry: registry.example.com, usernameEnv: U, passwordEnv: P}
`,
      { U: 'user', P: 'pass' },
    );
    const creds = sourceCredentialsFromConfig(c);
    assert.deepEqual(await creds.resolve('packages.ghcr.io'), { kind: 'bearer', token: 't0k' });
    assert.deepEqual(await creds.resolve('registry.example.com'), { kind: 'basic', username: 'user', password: 'pass' });
    assert.equal(await creds.resolve('quay.io'), undefined);
  });

  it('TestParseWatchResources: kinds from watchResources', () => {
    assert.deepEqual([...kindsFromConfig(config('watchResources: [Pods, deployments, pods, DaemonSets]'))], ['Pod', 'Deployment', 'DaemonSet']);
    assert.equal(kindsFromConfig(config('')).size, 6);
  });

  it('TestValidateAndExpandNamespaces: globs expand, names must exist, * needs no listing', () => {
    const log = memoryLogger();
    assert.deepEqual(validateNamespaces(config('includeNamespaces: [default, "test-*"]'), ['default', 'test-1', 'test-2', 'prod'], log), ['default', 'test-1', 'test-2']);
    assert.ok(log.records.some((r) => r.message === 'listing resources in configured namespaces'));
    assert.throws(
      () => validateNamespaces(config('includeNamespaces: [missing, other]'), ['default'], log),
      (err: unknown) => err instanceof Error && (err as { code?: string }).code === 'NAMESPACE_MISSING' && err.message === 'configured namespace(s) do not exist: missing, other',
    );
    assert.equal(log.records.filter((r) => r.message === 'configured namespace missing').length, 2);
    assert.equal(validateNamespaces(config(''), [], log), '*');
    assert.deepEqual(validateNamespaces(config('includeNamespaces: ["none-*"]'), ['default'], log), []);
    assert.ok(log.records.some((r) => r.message === 'namespace wildcard matched no namespaces'));
    assert.ok(log.records.some((r) => r.message === 'no namespaces matched include configuration; controllers will not watch any namespaces'));
  });

  it('TestMatchNamespacePatternInvalid: a bad pattern is logged and skipped', () => {
    const log = memoryLogger();
    assert.deepEqual(validateNamespaces(config('includeNamespaces: ["test-[", default]'), ['default', 'test-1'], log), ['default']);
    assert.ok(log.records.some((r) => r.message === 'invalid namespace pattern' && r.fields['pattern'] === 'test-['));
  });

  it('controllerOptionsFromConfig maps durations, retries, concurrency and dry runs (TestDryPullOption)', () => {
    const c = config('dryRun: true\ndryPull: true\nrequestTimeout: 30\nregistryRetryAttempts: 4\nregistryRetryBackoff: 15\nfailureCooldownMinutes: 0\nmaxConcurrentReconciles: 5\nforceReconcileMinutes: 30\nskipNamespaces: [kube-system]');
    const target = targetFromConfig(c);
    const o = controllerOptionsFromConfig(c, { target, source: quickClient(), targetClient: quickClient(), filters: filtersFromConfig(c, '*') });
    assert.equal(o.dryRun, true);
    assert.equal(o.dryPull, true);
    assert.equal(o.requestTimeoutMs, 30_000);
    assert.equal(o.retryAttempts, 4);
    assert.equal(o.retryBackoffMs, 15_000);
    assert.equal(o.failureCooldownMs, 0);
    assert.equal(o.maxConcurrentReconciles, 5);
    assert.equal(o.resyncIntervalMs, 1_800_000);
    assert.equal(o.filters.namespaceAllowed('kube-system'), false);
    assert.equal(o.filters.namespaceAllowed('default'), true);
  });

  it('controllerOptionsFromConfig passes the pull-secret fetcher only with usePodPullSecrets (off unless enabled)', () => {
    const fetch = async () => [];
    const parts = (c: Config) => ({ target: targetFromConfig(c), source: quickClient(), targetClient: quickClient(), filters: filtersFromConfig(c, '*'), pullSecrets: fetch, sourceCredentials: { config: sourceCredentialsFromConfig(c) } });
    const off = config('');
    assert.equal(off.usePodPullSecrets, false);
    assert.equal(controllerOptionsFromConfig(off, parts(off)).pullSecrets, undefined);
    const on = config('', { USE_POD_PULL_SECRETS: 'true' });
    assert.equal(on.usePodPullSecrets, true);
    const o = controllerOptionsFromConfig(on, parts(on));
    assert.equal(o.pullSecrets, fetch);
    assert.ok(o.sourceCredentials?.config);
  });
});
