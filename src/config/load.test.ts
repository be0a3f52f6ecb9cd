/**
 * Table-driven over every documented key: its default, a file value, an env value, and env over
 * file. The table's keys must equal CONFIG_SCHEMA_DOC's, so a new key cannot ship untested.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONFIG_SCHEMA_DOC } from './docs.ts';
import { ConfigError } from './errors.ts';
import { loadConfig, loadConfigWithWarnings, type LoadedConfig } from './load.ts';
import { BASE_ENV, load } from './test-support.fixture.ts';

interface KeyCase {
  /** The CONFIG_SCHEMA_DOC key. */
  readonly key: string;
  readonly get: (l: LoadedConfig) => unknown;
  readonly default: unknown;
  /** Replaces BASE_ENV entries for every load of this case (a blank value unsets). */
  readonly baseEnv?: Record<string, string>;
  readonly file?: { readonly yaml: string; readonly expect: unknown; readonly env?: Record<string, string> };
  readonly env?: { readonly name: string; readonly value: string; readonly expect: unknown };
}

const ECR_ENV = { TARGET_KIND: 'ecr', ECR_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-west-1' };
const cfg = (l: LoadedConfig) => l.config;
const cred0 = (l: LoadedConfig) => l.config.registryCredentials[0];
const skip = (kind: 'deployments' | 'statefulSets' | 'daemonSets' | 'jobs' | 'cronJobs' | 'pods', env: string): KeyCase => ({
  key: `skipNames.${kind}`,
  get: (l) => l.config.skipNames[kind],
  default: [],
  file: { yaml: `skipNames:\n  ${kind}: [prod/web, " batch "]`, expect: ['prod/web', 'batch'] },
  env: { name: env, value: 'a, ns/b', expect: ['a', 'ns/b'] },
});

const CASES: readonly KeyCase[] = [
  {
    key: 'targetKind',
    get: (l) => cfg(l).targetKind,
    default: 'ecr',
    baseEnv: { TARGET_KIND: '', ECR_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-west-1' },
    file: { yaml: 'targetKind: " Docker "', expect: 'docker' },
    env: { name: 'TARGET_KIND', value: ' ECR ', expect: 'ecr' },
  },
  { key: 'logLevel', get: (l) => cfg(l).logLevel, default: 'info', file: { yaml: 'logLevel: DEBUG', expect: 'debug' } },
  {
    key: 'ecr.accountID',
    get: (l) => cfg(l).ecr.accountID,
    default: '',
    file: { yaml: 'ecr: {accountID: 012345678901}', expect: '012345678901' },
    env: { name: 'ECR_ACCOUNT_ID', value: ' 210987654321 ', expect: '210987654321' },
  },
  {
    key: 'ecr.region',
    get: (l) => cfg(l).ecr.region,
    default: '',
    file: { yaml: 'ecr: {region: eu-central-1}', expect: 'eu-central-1' },
    env: { name: 'AWS_REGION', value: 'us-east-1', expect: 'us-east-1' },
  },
  {
    key: 'ecr.repoPrefix',
    get: (l) => cfg(l).ecr.repoPrefix,
    default: '',
    file: { yaml: 'ecr: {repoPrefix: "mirror/$namespace"}', expect: 'mirror/$namespace' },
    env: { name: 'ECR_REPO_PREFIX', value: '$arch', expect: '$arch' },
  },
  {
    key: 'ecr.createRepo',
    get: (l) => cfg(l).ecr.createRepo,
    default: true,
    baseEnv: ECR_ENV,
    file: { yaml: 'ecr: {createRepo: false}', expect: false },
    env: { name: 'ECR_CREATE_REPO', value: 'TRUE', expect: true },
  },
  {
    key: 'ecr.assumeRoleArn',
    get: (l) => cfg(l).ecr.assumeRoleArn,
    default: '',
    file: { yaml: 'ecr: {assumeRoleArn: "arn:aws:iam::123456789012:role/Push"}', expect: 'arn:aws:iam::123456789012:role/Push' },
  },
  {
    key: 'ecr.lifecyclePolicy',
    get: (l) => cfg(l).ecr.lifecyclePolicy,
    default: '',
    file: { yaml: 'ecr:\n  lifecyclePolicy: |\n    {"rules": []}', expect: '{"rules": []}' },
  },
  {
    key: 'ecr.imageTagMutability',
    get: (l) => cfg(l).ecr.imageTagMutability,
    default: 'MUTABLE',
    baseEnv: ECR_ENV,
    file: { yaml: 'ecr: {imageTagMutability: " Immutable "}', expect: 'IMMUTABLE' },
  },
  { key: 'ecr.scanOnPush', get: (l) => cfg(l).ecr.scanOnPush, default: false, baseEnv: ECR_ENV, file: { yaml: 'ecr: {scanOnPush: yes}', expect: true } },
  {
    key: 'ecr.encryption.type',
    get: (l) => cfg(l).ecr.encryption,
    default: { type: 'AES256', kmsKey: '' },
    baseEnv: ECR_ENV,
    file: { yaml: 'ecr:\n  encryption:\n    type: kms_dsse', expect: { type: 'KMS_DSSE', kmsKey: '' } },
  },
  {
    key: 'ecr.encryption.kmsKey',
    get: (l) => cfg(l).ecr.encryption,
    default: { type: 'AES256', kmsKey: '' },
    baseEnv: ECR_ENV,
    file: { yaml: 'ecr: {encryption: {type: KMS, kmsKey: " arn:aws:kms:eu-west-1:123456789012:key/1234abcd "}}', expect: { type: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd' } },
  },
  {
    key: 'ecr.tags',
    get: (l) => cfg(l).ecr.tags,
    default: {},
    baseEnv: ECR_ENV,
    // Keys keep their case (AWS tags are case-sensitive); a value left empty is the empty string.
    file: { yaml: 'ecr:\n  tags:\n    team: platform\n    Managed-By: copycat\n    cost center: " 42 "\n    empty:', expect: { team: 'platform', 'Managed-By': 'copycat', 'cost center': ' 42 ', empty: '' } },
  },
  {
    key: 'ecr.registry',
    get: (l) => cfg(l).ecr.registry,
    default: '',
    baseEnv: ECR_ENV,
    file: { yaml: 'ecr: {registry: " VPCE-0123.dkr.ecr.eu-west-1.vpce.amazonaws.com "}', expect: 'vpce-0123.dkr.ecr.eu-west-1.vpce.amazonaws.com' },
  },
  {
    key: 'docker.registry',
    get: (l) => cfg(l).docker.registry,
    default: '',
    baseEnv: { ...ECR_ENV, TARGET_REGISTRY: '' },
    file: { yaml: 'docker: {registry: "reg.example.com:5000/"}', expect: 'reg.example.com:5000' },
    env: { name: 'TARGET_REGISTRY', value: 'harbor.example.com/mirror', expect: 'harbor.example.com/mirror' },
  },
  {
    key: 'docker.repoPrefix',
    get: (l) => cfg(l).docker.repoPrefix,
    default: '',
    file: { yaml: 'docker: {repoPrefix: "$registry/$namespace"}', expect: '$registry/$namespace' },
    env: { name: 'TARGET_REPO_PREFIX', value: 'env-prefix', expect: 'env-prefix' },
  },
  { key: 'repoPrefix', get: (l) => cfg(l).docker.repoPrefix, default: '', file: { yaml: 'repoPrefix: "$arch/$namespace"', expect: '$arch/$namespace' } },
  {
    key: 'docker.insecure',
    get: (l) => cfg(l).docker.insecure,
    default: false,
    file: { yaml: 'docker: {insecure: yes}', expect: true },
    env: { name: 'TARGET_INSECURE', value: 'false', expect: false },
  },
  { key: 'TARGET_USERNAME', get: (l) => cfg(l).docker.username, default: '', env: { name: 'TARGET_USERNAME', value: 'bob', expect: 'bob' } },
  { key: 'TARGET_PASSWORD', get: (l) => cfg(l).docker.password, default: '', env: { name: 'TARGET_PASSWORD', value: ' s3cret ', expect: ' s3cret ' } },
  {
    key: 'digestPull',
    get: (l) => cfg(l).digestPull,
    default: false,
    file: { yaml: 'digestPull: true', expect: true },
    env: { name: 'DIGEST_PULL', value: '0', expect: false },
  },
  {
    key: 'digestPullIgnoredTags',
    get: (l) => cfg(l).digestPullIgnoredTags,
    default: ['latest'],
    file: { yaml: 'digestPullIgnoredTags: [Stable, 1.10]', expect: ['stable', '1.10'] },
    env: { name: 'DIGEST_PULL_IGNORED_TAGS', value: 'edge, nightly', expect: ['edge', 'nightly'] },
  },
  {
    key: 'ignoreMissingPlatforms',
    get: (l) => cfg(l).ignoreMissingPlatforms.map((r) => r.source),
    default: [],
    file: { yaml: 'ignoreMissingPlatforms: ["^a{1,3}$", " x "]', expect: ['^a{1,3}$', 'x'] },
    env: { name: 'IGNORE_MISSING_PLATFORMS', value: 'y$, z', expect: ['y$', 'z'] },
  },
  {
    key: 'checkNodePlatform',
    get: (l) => cfg(l).checkNodePlatform,
    default: false,
    file: { yaml: 'checkNodePlatform: on', expect: true },
    env: { name: 'CHECK_NODE_PLATFORM', value: 'f', expect: false },
  },
  {
    key: 'mirrorPlatforms',
    get: (l) => cfg(l).mirrorPlatforms,
    default: [],
    file: { yaml: 'mirrorPlatforms: [amd64, linux/amd64, arm/v7, linux/ARM64]', expect: ['linux/amd64', 'linux/arm/v7', 'linux/arm64'] },
    env: { name: 'MIRROR_PLATFORMS', value: 'windows/amd64', expect: ['windows/amd64'] },
  },
  {
    key: 'allowDifferentDigestRepush',
    get: (l) => cfg(l).allowDifferentDigestRepush,
    default: true,
    file: { yaml: 'allowDifferentDigestRepush: false', expect: false },
    env: { name: 'ALLOW_DIFFERENT_DIGEST_REPUSH', value: 't', expect: true },
  },
  {
    key: 'includeNamespaces',
    get: (l) => cfg(l).includeNamespaces,
    default: ['*'],
    file: { yaml: 'includeNamespaces: [default, "team-*"]', expect: ['default', 'team-*'] },
    env: { name: 'INCLUDE_NAMESPACES', value: 'prod', expect: ['prod'] },
  },
  {
    key: 'skipNamespaces',
    get: (l) => cfg(l).skipNamespaces,
    default: [],
    file: { yaml: 'skipNamespaces: [kube-system]', expect: ['kube-system'] },
    env: { name: 'SKIP_NAMESPACES', value: 'a,b', expect: ['a', 'b'] },
  },
  skip('deployments', 'SKIP_DEPLOYMENTS'),
  skip('statefulSets', 'SKIP_STATEFULSETS'),
  skip('daemonSets', 'SKIP_DAEMONSETS'),
  skip('jobs', 'SKIP_JOBS'),
  skip('cronJobs', 'SKIP_CRONJOBS'),
  skip('pods', 'SKIP_PODS'),
  {
    key: 'excludeRegistries',
    get: (l) => cfg(l).excludeRegistries,
    default: [],
    file: { yaml: 'excludeRegistries: ["Index.Docker.io/", quay.io]', expect: ['docker.io', 'quay.io'] },
    env: { name: 'EXCLUDE_REGISTRIES', value: 'https://ghcr.io/', expect: ['ghcr.io'] },
  },
  {
    key: 'watchResources',
    get: (l) => cfg(l).watchResources,
    default: ['deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'pods'],
    file: { yaml: 'watchResources: [Pods]', expect: ['pods'] },
    env: { name: 'WATCH_RESOURCES', value: 'jobs,CronJobs', expect: ['jobs', 'cronjobs'] },
  },
  { key: 'dryRun', get: (l) => cfg(l).dryRun, default: false, file: { yaml: 'dryRun: true', expect: true }, env: { name: 'DRY_RUN', value: 'no', expect: false } },
  { key: 'dryPull', get: (l) => cfg(l).dryPull, default: false, file: { yaml: 'dryPull: yes', expect: true }, env: { name: 'DRY_PULL', value: 'false', expect: false } },
  {
    key: 'requestTimeout',
    get: (l) => cfg(l).requestTimeoutMs,
    default: 300_000,
    file: { yaml: 'requestTimeout: 60', expect: 60_000 },
    env: { name: 'REGISTRY_REQUEST_TIMEOUT', value: '2m', expect: 120_000 },
  },
  {
    key: 'registryRetryAttempts',
    get: (l) => cfg(l).registryRetryAttempts,
    default: 3,
    file: { yaml: 'registryRetryAttempts: 4', expect: 4 },
    env: { name: 'REGISTRY_RETRY_ATTEMPTS', value: ' 5 ', expect: 5 },
  },
  {
    key: 'registryRetryBackoff',
    get: (l) => cfg(l).registryRetryBackoffMs,
    default: 10_000,
    file: { yaml: 'registryRetryBackoff: 15', expect: 15_000 },
    env: { name: 'REGISTRY_RETRY_BACKOFF', value: '0', expect: 0 },
  },
  {
    key: 'failureCooldownMinutes',
    get: (l) => cfg(l).failureCooldownMs,
    default: 3_600_000,
    file: { yaml: 'failureCooldownMinutes: 5', expect: 300_000 },
    env: { name: 'FAILURE_COOLDOWN_MINUTES', value: '0', expect: 0 },
  },
  {
    key: 'forceReconcileMinutes',
    get: (l) => cfg(l).forceReconcileMs,
    default: 0,
    file: { yaml: 'forceReconcileMinutes: 30', expect: 1_800_000 },
    env: { name: 'FORCE_RECONCILE_MINUTES', value: '45', expect: 2_700_000 },
  },
  {
    key: 'maxConcurrentReconciles',
    get: (l) => cfg(l).maxConcurrentReconciles,
    default: 2,
    file: { yaml: 'maxConcurrentReconciles: 1', expect: 1 },
    env: { name: 'MAX_CONCURRENT_RECONCILES', value: '8', expect: 8 },
  },
  {
    key: 'registryCredentials',
    get: (l) => cfg(l).registryCredentials,
    default: [],
    file: {
      yaml: 'registryCredentials:\n  - registry: ghcr.io\n    token: t\n  - registry: quay.io\n    username: u\n    password: p',
      expect: [
        { hosts: ['ghcr.io'], auth: { kind: 'token', token: 't' } },
        { hosts: ['quay.io'], auth: { kind: 'basic', username: 'u', password: 'p' } },
      ],
    },
  },
  { key: 'registryCredentials[].registry', get: (l) => cred0(l)?.hosts, default: undefined, file: { yaml: 'registryCredentials: [{registry: " GHCR.io ", token: t}]', expect: ['ghcr.io'] } },
  {
    key: 'registryCredentials[].registryAliases',
    get: (l) => cred0(l)?.hosts,
    default: undefined,
    file: { yaml: 'registryCredentials: [{registry: a.io, registryAliases: ["*.A.io", b.io], token: t}]', expect: ['a.io', '*.a.io', 'b.io'] },
  },
  {
    key: 'registryCredentials[].username',
    get: (l) => cred0(l)?.auth,
    default: undefined,
    file: { yaml: 'registryCredentials: [{registry: a.io, username: " u "}]', expect: { kind: 'basic', username: 'u', password: '' } },
  },
  {
    key: 'registryCredentials[].usernameEnv',
    get: (l) => cred0(l)?.auth,
    default: undefined,
    file: { yaml: 'registryCredentials: [{registry: a.io, username: lit, usernameEnv: MY_USER}]', env: { MY_USER: 'env-user' }, expect: { kind: 'basic', username: 'env-user', password: '' } },
  },
  {
    key: 'registryCredentials[].password',
    get: (l) => cred0(l)?.auth,
    default: undefined,
    file: { yaml: 'registryCredentials: [{registry: a.io, password: " p "}]', expect: { kind: 'basic', username: '', password: ' p ' } },
  },
  {
    key: 'registryCredentials[].passwordEnv',
    get: (l) => cred0(l)?.auth,
    default: undefined,
    file: { yaml: 'registryCredentials: [{registry: a.io, username: u, passwordEnv: MY_PASS}]', env: { MY_PASS: 'env-pass' }, expect: { kind: 'basic', username: 'u', password: 'env-pass' } },
  },
  {
    key: 'registryCredentials[].token',
    get: (l) => cred0(l)?.auth,
    default: undefined,
    file: { yaml: 'registryCredentials: [{registry: a.io, username: u, token: " tk "}]', expect: { kind: 'token', token: 'tk' } },
  },
  {
    key: 'registryCredentials[].tokenEnv',
    get: (l) => cred0(l)?.auth,
    default: undefined,
    file: { yaml: 'registryCredentials: [{registry: a.io, tokenEnv: MY_TOKEN}]', env: { MY_TOKEN: 'env-token' }, expect: { kind: 'token', token: 'env-token' } },
  },
  {
    key: 'pathMap',
    get: (l) => cfg(l).pathMap.map((m) => ({ regex: m.regex, from: m.from, to: m.to })),
    default: [],
    file: { yaml: 'pathMap:\n  - {from: "old/", to: "new/"}\n  - {from: "^legacy/(.*)", to: "modern/$1", regex: true}', expect: [{ regex: false, from: 'old/', to: 'new/' }, { regex: true, from: '^legacy/(.*)', to: 'modern/$1' }] },
  },
  { key: 'pathMap[].from', get: (l) => cfg(l).pathMap[0]?.from, default: undefined, file: { yaml: 'pathMap: [{from: "group/project", to: x}]', expect: 'group/project' } },
  { key: 'pathMap[].to', get: (l) => cfg(l).pathMap[0]?.to, default: undefined, file: { yaml: 'pathMap: [{from: a/, to: "prod/"}]', expect: 'prod/' } },
  {
    key: 'pathMap[].regex',
    get: (l) => {
      const m = cfg(l).pathMap[0];
      return m?.regex ? m.pattern.test('legacy/x') : m?.regex;
    },
    default: undefined,
    file: { yaml: 'pathMap: [{from: "^legacy/", to: x, regex: true}]', expect: true },
  },
  {
    key: 'sparseIndexFallback',
    get: (l) => cfg(l).sparseIndexFallback,
    default: 'platforms',
    file: { yaml: 'sparseIndexFallback: Full', expect: 'full' },
    env: { name: 'SPARSE_INDEX_FALLBACK', value: ' fail ', expect: 'fail' },
  },
  {
    key: 'usePodPullSecrets',
    get: (l) => cfg(l).usePodPullSecrets,
    default: false,
    file: { yaml: 'usePodPullSecrets: yes', expect: true },
    env: { name: 'USE_POD_PULL_SECRETS', value: 'false', expect: false },
  },
  {
    key: 'METRICS_ADDR',
    get: (l) => cfg(l).metricsBindAddress,
    default: ':8080',
    env: { name: 'METRICS_ADDR', value: ' 127.0.0.1:9090 ', expect: '127.0.0.1:9090' },
  },
  { key: 'CONFIG_PATH', get: (l) => l.path, default: '/config/config.yaml', env: { name: 'CONFIG_PATH', value: '/etc/copycat/config.yaml', expect: '/etc/copycat/config.yaml' } },
];

describe('every key: default, file, env, env over file', () => {
  it('covers exactly the documented keys', () => {
    assert.deepEqual(
      CASES.map((c) => c.key).sort(),
      CONFIG_SCHEMA_DOC.map((r) => r.key).sort(),
    );
  });

  for (const c of CASES) {
    describe(c.key, () => {
      const doc = CONFIG_SCHEMA_DOC.find((r) => r.key === c.key);

      it('defaults when neither file nor env sets it', () => {
        assert.deepEqual(c.get(load(undefined, c.baseEnv)), c.default);
      });

      if (c.file) {
        const f = c.file;
        it('reads the file', () => {
          assert.ok(doc?.inFile, 'documented as a file key');
          const loaded = load(f.yaml, { ...c.baseEnv, ...f.env });
          assert.notDeepEqual(f.expect, c.default, 'the file value must differ from the default');
          assert.deepEqual(c.get(loaded), f.expect);
        });
      } else {
        it('is not a file key', () => assert.equal(doc?.inFile, false));
      }

      if (c.env) {
        const e = c.env;
        it(`reads ${e.name}`, () => {
          assert.equal(doc?.env, e.name, 'documented env var');
          // With a file case, "env over file" below is the test that can tell env from default.
          if (!c.file) assert.notDeepEqual(e.expect, c.default, 'the env value must differ from the default');
          assert.deepEqual(c.get(load(undefined, { ...c.baseEnv, [e.name]: e.value })), e.expect);
        });
        if (c.file) {
          const f = c.file;
          it(`lets ${e.name} override the file`, () => {
            assert.notDeepEqual(e.expect, f.expect, 'file and env values must differ');
            assert.deepEqual(c.get(load(f.yaml, { ...c.baseEnv, ...f.env, [e.name]: e.value })), e.expect);
          });
        }
        it(`treats a blank ${e.name} as unset`, () => {
          const blank = load(c.file?.yaml, { ...c.baseEnv, ...c.file?.env, [e.name]: '   ' });
          assert.deepEqual(c.get(blank), c.file ? c.file.expect : c.default);
        });
      } else {
        it('has no env var', () => assert.equal(doc?.env, undefined));
      }
    });
  }
});

describe('start-up errors name the key and the value', () => {
  const cases: ReadonlyArray<{ name: string; file?: string; env?: Record<string, string>; flags?: { logLevel?: string; metricsBindAddress?: string }; key: string; value: string | undefined; message: RegExp }> = [
    { name: 'log level in the file', file: 'logLevel: verbose', key: 'logLevel', value: 'verbose', message: /unknown log level; expected one of debug, info/ },
    { name: 'log level flag', flags: { logLevel: 'loud' }, key: 'log level flag', value: 'loud', message: /unknown log level/ },
    { name: 'WATCH_RESOURCES', env: { WATCH_RESOURCES: 'pods,replicasets, Foo' }, key: 'WATCH_RESOURCES', value: 'replicasets, Foo', message: /unsupported watch resource\(s\)/ },
    { name: 'watchResources in the file', file: 'watchResources: [deployment]', key: 'watchResources', value: 'deployment', message: /unsupported watch resource\(s\); expected deployments, statefulsets, daemonsets, jobs, cronjobs, pods$/ },
    { name: 'watchResources entry with a comma', file: 'watchResources: ["pods, jobs"]', key: 'watchResources', value: 'pods, jobs', message: /not split on commas/ },
    { name: 'TARGET_KIND', env: { TARGET_KIND: 'gcr' }, key: 'TARGET_KIND', value: 'gcr', message: /unknown target kind; expected ecr or docker/ },
    { name: 'targetKind in the file', file: 'targetKind: harbor', env: { TARGET_KIND: '' }, key: 'targetKind', value: 'harbor', message: /unknown target kind/ },
    { name: 'ECR_CREATE_REPO', env: { ...ECR_ENV, ECR_CREATE_REPO: 'maybe' }, key: 'ECR_CREATE_REPO', value: 'maybe', message: /expected a boolean/ },
    { name: 'ECR without account or region', env: { TARGET_KIND: 'ecr' }, key: 'ecr.accountID', value: '', message: /set ECR_ACCOUNT_ID \/ ecr.accountID and AWS_REGION \/ ecr.region/ },
    { name: 'ECR without region', env: { TARGET_KIND: 'ecr', ECR_ACCOUNT_ID: '123456789012' }, key: 'ecr.region', value: '', message: /set AWS_REGION \/ ecr.region \(via ConfigMap or env\)/ },
    { name: 'docker without registry', env: { TARGET_REGISTRY: '' }, key: 'docker.registry', value: '', message: /set TARGET_REGISTRY or docker.registry/ },
    { name: 'docker registry with a scheme', env: { TARGET_REGISTRY: 'https://reg.example.com' }, key: 'TARGET_REGISTRY', value: 'https://reg.example.com', message: /without a scheme/ },
    { name: 'docker registry with a bad host', file: 'docker: {registry: "reg_x.example.com:5000"}', env: { TARGET_REGISTRY: '' }, key: 'docker.registry', value: 'reg_x.example.com:5000', message: /expected host\[:port\]/ },
    { name: 'REGISTRY_REQUEST_TIMEOUT', env: { REGISTRY_REQUEST_TIMEOUT: 'abc' }, key: 'REGISTRY_REQUEST_TIMEOUT', value: 'abc', message: /expected whole seconds or a Go duration/ },
    { name: 'requestTimeout in the file', file: 'requestTimeout: five minutes', key: 'requestTimeout', value: 'five minutes', message: /expected whole seconds/ },
    { name: 'REGISTRY_RETRY_ATTEMPTS not a number', env: { REGISTRY_RETRY_ATTEMPTS: 'x' }, key: 'REGISTRY_RETRY_ATTEMPTS', value: 'x', message: /expected a whole number/ },
    { name: 'REGISTRY_RETRY_ATTEMPTS zero', env: { REGISTRY_RETRY_ATTEMPTS: '0' }, key: 'REGISTRY_RETRY_ATTEMPTS', value: '0', message: /must be greater than zero/ },
    { name: 'registryRetryAttempts zero in the file', file: 'registryRetryAttempts: 0', key: 'registryRetryAttempts', value: '0', message: /must be greater than zero/ },
    { name: 'REGISTRY_RETRY_BACKOFF negative', env: { REGISTRY_RETRY_BACKOFF: '-1' }, key: 'REGISTRY_RETRY_BACKOFF', value: '-1', message: /must not be negative/ },
    // Upstream's "registryRetryBackoff in config must not be negative" was unreachable ([BUG] §1.1); here it fires.
    { name: 'registryRetryBackoff negative in the file', file: 'registryRetryBackoff: -5', key: 'registryRetryBackoff', value: '-5', message: /must not be negative/ },
    { name: 'FAILURE_COOLDOWN_MINUTES', env: { FAILURE_COOLDOWN_MINUTES: 'soon' }, key: 'FAILURE_COOLDOWN_MINUTES', value: 'soon', message: /expected whole minutes/ },
    { name: 'DIGEST_PULL', env: { DIGEST_PULL: 'yes' }, key: 'DIGEST_PULL', value: 'yes', message: /expected a boolean/ },
    { name: 'CHECK_NODE_PLATFORM', env: { CHECK_NODE_PLATFORM: 'on' }, key: 'CHECK_NODE_PLATFORM', value: 'on', message: /expected a boolean/ },
    { name: 'ALLOW_DIFFERENT_DIGEST_REPUSH', env: { ALLOW_DIFFERENT_DIGEST_REPUSH: 'nope' }, key: 'ALLOW_DIFFERENT_DIGEST_REPUSH', value: 'nope', message: /expected a boolean/ },
    { name: 'MAX_CONCURRENT_RECONCILES zero', env: { MAX_CONCURRENT_RECONCILES: '0' }, key: 'MAX_CONCURRENT_RECONCILES', value: '0', message: /must be greater than zero/ },
    { name: 'maxConcurrentReconciles negative in the file', file: 'maxConcurrentReconciles: -1', key: 'maxConcurrentReconciles', value: '-1', message: /must be greater than zero/ },
    { name: 'FORCE_RECONCILE_MINUTES', env: { FORCE_RECONCILE_MINUTES: '1.5' }, key: 'FORCE_RECONCILE_MINUTES', value: '1.5', message: /expected whole minutes/ },
    { name: 'METRICS_ADDR without a port', env: { METRICS_ADDR: '8080' }, key: 'METRICS_ADDR', value: '8080', message: /expected host:port/ },
    { name: 'METRICS_ADDR with a bad port', env: { METRICS_ADDR: ':99999' }, key: 'METRICS_ADDR', value: ':99999', message: /expected host:port/ },
    { name: 'metrics address flag', flags: { metricsBindAddress: 'localhost' }, key: 'metrics bind address flag', value: 'localhost', message: /expected host:port/ },
    { name: 'a bool of the wrong shape', file: 'digestPull: [true]', key: 'digestPull', value: undefined, message: /expected true or false, got a list/ },
    // ECR repository settings (copycat only): refused at start-up, not on the first CreateRepository.
    { name: 'ecr.imageTagMutability unknown', file: 'ecr: {imageTagMutability: frozen}', env: ECR_ENV, key: 'ecr.imageTagMutability', value: 'frozen', message: /expected MUTABLE or IMMUTABLE$/ },
    { name: 'ecr.imageTagMutability with the key as written', file: 'ECR: {ImageTagMutability: "IMMUTABLE_WITH_EXCLUSION"}', key: 'ECR.ImageTagMutability', value: 'IMMUTABLE_WITH_EXCLUSION', message: /expected MUTABLE or IMMUTABLE/ },
    { name: 'ecr.scanOnPush not a boolean', file: 'ecr: {scanOnPush: sometimes}', env: ECR_ENV, key: 'ecr.scanOnPush', value: 'sometimes', message: /expected true or false/ },
    { name: 'ecr.encryption.type unknown', file: 'ecr: {encryption: {type: RSA}}', env: ECR_ENV, key: 'ecr.encryption.type', value: 'RSA', message: /expected AES256, KMS, KMS_DSSE$/ },
    { name: 'ecr.encryption as text', file: 'ecr: {encryption: KMS}', env: ECR_ENV, key: 'ecr.encryption', value: 'KMS', message: /expected a mapping, got text/ },
    { name: 'ecr.encryption.kmsKey without a type', file: 'ecr: {encryption: {kmsKey: alias/copycat}}', env: ECR_ENV, key: 'ecr.encryption.kmsKey', value: 'alias/copycat', message: /needs ecr.encryption.type KMS or KMS_DSSE, not the default AES256$/ },
    { name: 'ecr.encryption.kmsKey with AES256', file: 'ecr: {encryption: {type: aes256, kmsKey: alias/copycat}}', env: ECR_ENV, key: 'ecr.encryption.kmsKey', value: 'alias/copycat', message: /needs ecr.encryption.type KMS or KMS_DSSE, not "aes256"$/ },
    { name: 'ecr.encryption.kmsKey with blanks', file: 'ecr: {encryption: {type: KMS, kmsKey: "alias/my key"}}', env: ECR_ENV, key: 'ecr.encryption.kmsKey', value: 'alias/my key', message: /without blanks/ },
    { name: 'ecr.tags not a mapping', file: 'ecr: {tags: [team=platform]}', env: ECR_ENV, key: 'ecr.tags', value: undefined, message: /expected a mapping .*, got a list/ },
    { name: 'ecr.tags value not text', file: 'ecr: {tags: {team: [a, b]}}', env: ECR_ENV, key: 'ecr.tags.team', value: undefined, message: /expected text, got a list/ },
    { name: 'ecr.tags reserved prefix', file: 'ecr: {tags: {"AWS:owner": me}}', env: ECR_ENV, key: 'ecr.tags', value: 'AWS:owner', message: /reserved aws: prefix/ },
    { name: 'ecr.tags key too long', file: `ecr: {tags: {${'k'.repeat(129)}: v}}`, env: ECR_ENV, key: 'ecr.tags', value: 'k'.repeat(129), message: /tag keys must be 1 to 128 characters/ },
    { name: 'ecr.tags too many', file: `ecr:\n  tags:\n${Array.from({ length: 51 }, (_, i) => `    k${i}: v`).join('\n')}`, env: ECR_ENV, key: 'ecr.tags', value: undefined, message: /has 51 tags; ECR allows at most 50$/ },
    { name: 'ecr.registry with a scheme', file: 'ecr: {registry: "https://vpce.example.com"}', env: ECR_ENV, key: 'ecr.registry', value: 'https://vpce.example.com', message: /without a scheme/ },
    { name: 'ecr.registry with a path', file: 'ecr: {registry: "vpce.example.com/mirror"}', env: ECR_ENV, key: 'ecr.registry', value: 'vpce.example.com/mirror', message: /without a path/ },
    { name: 'ecr.registry without a dot or port', file: 'ecr: {registry: mirror}', env: ECR_ENV, key: 'ecr.registry', value: 'mirror', message: /expected a registry host\[:port\]: a DNS name with a dot/ },
    { name: 'ecr.registry not a host', file: 'ecr: {registry: "vpce_1.example.com"}', env: ECR_ENV, key: 'ecr.registry', value: 'vpce_1.example.com', message: /expected a registry host\[:port\]/ },
  ];

  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => load(c.file, c.env, c.flags),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError, String(err));
          assert.equal(err.code, 'CONFIG_INVALID');
          assert.equal(err.key, c.key);
          assert.equal(err.value, c.value);
          assert.ok(err.message.includes(c.key), `message names the key: ${err.message}`);
          if (c.value) assert.ok(err.message.includes(JSON.stringify(c.value)), `message quotes the value: ${err.message}`);
          assert.match(err.message, c.message);
          return true;
        },
      );
    });
  }

  it('reports the first problem in upstream order (log level, watch resources, target, numbers)', () => {
    const file = 'logLevel: loud\nwatchResources: [nope]\nregistryRetryAttempts: 0\n';
    assert.throws(() => load(file, { TARGET_KIND: 'gcr' }), { key: 'logLevel' });
    assert.throws(() => load('watchResources: [nope]\nregistryRetryAttempts: 0\n', { TARGET_KIND: 'gcr' }), { key: 'watchResources' });
    assert.throws(() => load('registryRetryAttempts: 0\n', { TARGET_KIND: 'gcr' }), { key: 'TARGET_KIND' });
  });

  it('fails with no file and no env at all: the default ecr target needs an account and region (§1.4)', () => {
    const missing = (): never => {
      throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    };
    assert.throws(() => loadConfig({ env: {}, readFile: missing }), { key: 'ecr.accountID' });
  });

  it('is CONFIG_UNREADABLE, naming CONFIG_PATH and the path, when the file cannot be read', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/config/config.yaml'"), { code: 'EACCES' });
    assert.throws(
      () =>
        loadConfig({
          env: BASE_ENV,
          readFile: () => {
            throw denied;
          },
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.code === 'CONFIG_UNREADABLE' &&
        err.key === 'CONFIG_PATH' &&
        err.value === '/config/config.yaml' &&
        err.cause === denied &&
        err.message === 'cannot read CONFIG_PATH "/config/config.yaml": EACCES: permission denied, open \'/config/config.yaml\'',
    );
  });
});

describe('reading the real file system', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copycat-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file named by CONFIG_PATH', () => {
    const path = join(dir, 'config.yaml');
    writeFileSync(path, 'targetKind: docker\ndocker: {registry: "reg.example.com"}\ndryRun: true\n');
    const loaded = loadConfigWithWarnings({ env: { CONFIG_PATH: path } });
    assert.equal(loaded.path, path);
    assert.equal(loaded.found, true);
    assert.equal(loaded.config.docker.registry, 'reg.example.com');
    assert.equal(loaded.config.dryRun, true);
  });

  it('prefers the path option over CONFIG_PATH', () => {
    const path = join(dir, 'other.yaml');
    writeFileSync(path, 'maxConcurrentReconciles: 7\n');
    assert.equal(loadConfig({ path, env: { ...BASE_ENV, CONFIG_PATH: join(dir, 'nope.yaml') } }).maxConcurrentReconciles, 7);
  });

  it('treats a directory as unreadable, not as missing', () => {
    assert.throws(() => loadConfig({ env: { ...BASE_ENV, CONFIG_PATH: dir } }), { code: 'CONFIG_UNREADABLE', key: 'CONFIG_PATH', value: dir });
  });
});
