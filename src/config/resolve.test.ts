/** Precedence details, lenient values with warnings, and the shape of the result. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DURATION_MS } from './resolve.ts';
import { load } from './test-support.fixture.ts';

function warned(warnings: readonly string[], pattern: RegExp): boolean {
  return warnings.some((w) => pattern.test(w));
}

describe('DRY_RUN / DRY_PULL (upstream rules, inventory §1.3)', () => {
  it('lets a non-blank env var decide alone', () => {
    assert.equal(load('dryRun: false', { DRY_RUN: 'YES' }, { dryRun: false }).config.dryRun, true);
    assert.equal(load('dryRun: true', { DRY_RUN: 'false' }, { dryRun: true }).config.dryRun, false);
    assert.equal(load(undefined, { DRY_PULL: '1' }).config.dryPull, true);
  });

  it('reads any other value as false, with a warning', () => {
    const { config, warnings } = load('dryRun: true', { DRY_RUN: 'on' });
    assert.equal(config.dryRun, false);
    assert.ok(warned(warnings, /DRY_RUN "on" is read as false/));
    assert.deepEqual(load(undefined, { DRY_RUN: 'no' }).warnings, []);
  });

  it('ORs the flag with the file when the env var is blank', () => {
    assert.equal(load('dryRun: false', {}, { dryRun: true }).config.dryRun, true);
    assert.equal(load('dryRun: true', { DRY_RUN: ' ' }, { dryRun: false }).config.dryRun, true);
    assert.equal(load(undefined, {}, { dryPull: false }).config.dryPull, false);
    assert.equal(load(undefined, {}, { dryPull: true }).origins.dryPull, 'flag');
  });
});

describe('lenient values that upstream ignored now warn', () => {
  it('keeps the file value when TARGET_INSECURE is not a Go boolean', () => {
    const { config, warnings } = load('docker: {insecure: true}', { TARGET_INSECURE: 'yes' });
    assert.equal(config.docker.insecure, true);
    assert.ok(warned(warnings, /TARGET_INSECURE "yes" is not a boolean/));
  });

  it('only warns about ECR_CREATE_REPO when the target is docker', () => {
    const { config, warnings } = load(undefined, { ECR_CREATE_REPO: 'maybe' });
    assert.equal(config.ecr.createRepo, true);
    assert.ok(warned(warnings, /ECR_CREATE_REPO "maybe" is not a boolean/));
  });

  it('drops invalid regexes and platforms with warnings', () => {
    const { config, warnings } = load('ignoreMissingPlatforms: ["(", ok]\nmirrorPlatforms: [linux, amd64, "linux/"]');
    assert.deepEqual(config.ignoreMissingPlatforms.map((r) => r.source), ['ok']);
    assert.deepEqual(config.mirrorPlatforms, ['linux/amd64']);
    assert.ok(warned(warnings, /ignoreMissingPlatforms pattern "\(" is not a valid regular expression/));
    assert.ok(warned(warnings, /mirrorPlatforms entry "linux" is not a platform/));
    assert.ok(warned(warnings, /mirrorPlatforms entry "linux\/" is not a platform \(missing architecture\)/));
  });

  it('keeps commas inside regex entries without a warning, but flags them in name lists', () => {
    const { config, warnings } = load('ignoreMissingPlatforms: ["^a{1,3}$"]\nincludeNamespaces: ["default, prod"]');
    assert.equal(config.ignoreMissingPlatforms[0]?.test('aa'), true);
    assert.deepEqual(config.includeNamespaces, ['default, prod']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /includeNamespaces entry "default, prod" contains a comma/);
  });

  it('warns about skip entries that cannot match', () => {
    const { warnings } = load('skipNames: {pods: ["ns/", "web-*", "*", "ns/web"]}\nskipNamespaces: ["kube-*"]');
    assert.equal(warnings.length, 3);
    assert.ok(warned(warnings, /skipNames.pods entry "ns\/" has an empty namespace or name/));
    assert.ok(warned(warnings, /skipNames.pods entry "web-\*" is an exact name/));
    assert.ok(warned(warnings, /skipNamespaces entry "kube-\*" is an exact name/));
  });

  it('warns about ECR values that will not work', () => {
    const { warnings } = load('ecr: {accountID: "12345", region: eu-west-1, lifecyclePolicy: "{rules"}', { TARGET_KIND: 'ecr' });
    assert.ok(warned(warnings, /ecr.accountID "12345" is not a 12-digit AWS account ID/));
    assert.ok(warned(warnings, /ecr.lifecyclePolicy is not valid JSON/));
  });

  it('warns when the docker registry names a Docker Hub path', () => {
    assert.ok(warned(load(undefined, { TARGET_REGISTRY: 'myregistry' }).warnings, /TARGET_REGISTRY "myregistry" has no "\." or ":"/));
    assert.deepEqual(load(undefined, { TARGET_REGISTRY: 'localhost:5000/mirror' }).warnings, []);
  });
});

describe('durations and counts', () => {
  it('turns zero or negative timeouts, cooldowns and rescans into "off"', () => {
    const { config } = load('requestTimeout: -1\nfailureCooldownMinutes: -5\nforceReconcileMinutes: 0');
    assert.equal(config.requestTimeoutMs, 0);
    assert.equal(config.failureCooldownMs, 0);
    assert.equal(config.forceReconcileMs, 0);
  });

  it('accepts Go durations', () => {
    const { config } = load('failureCooldownMinutes: 90s\nregistryRetryBackoff: 1m30s', { FORCE_RECONCILE_MINUTES: '2h' });
    assert.equal(config.failureCooldownMs, 90_000);
    assert.equal(config.registryRetryBackoffMs, 90_000);
    assert.equal(config.forceReconcileMs, 7_200_000);
  });

  it('shortens durations a Node timer cannot wait, with a warning', () => {
    const { config, warnings } = load('forceReconcileMinutes: 100000');
    assert.equal(config.forceReconcileMs, MAX_DURATION_MS);
    assert.ok(warned(warnings, /forceReconcileMinutes "100000" is longer than a timer can wait/));
  });
});

describe('targets', () => {
  it('honours the documented top-level repoPrefix, with a warning, unless the target has its own', () => {
    const top = load('repoPrefix: mirror');
    assert.equal(top.config.docker.repoPrefix, 'mirror');
    assert.ok(warned(top.warnings, /top-level repoPrefix "mirror" is used as docker.repoPrefix/));
    const own = load('repoPrefix: mirror\ndocker: {repoPrefix: own}');
    assert.equal(own.config.docker.repoPrefix, 'own');
    assert.deepEqual(own.warnings, []);
    assert.equal(load('repoPrefix: mirror', { TARGET_REPO_PREFIX: 'env' }).config.docker.repoPrefix, 'env');
  });

  it('accepts TARGET_KIND in any case (upstream rejected "ECR")', () => {
    assert.equal(load('ecr: {accountID: "123456789012", region: eu-west-1}', { TARGET_KIND: 'ECR' }).config.targetKind, 'ecr');
  });
});

describe('flags and origins', () => {
  it('lets the log level and metrics address flags win', () => {
    const { config, origins } = load('logLevel: debug', { METRICS_ADDR: ':9000' }, { logLevel: 'WARN', metricsBindAddress: '[::1]:9100' });
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.metricsBindAddress, '[::1]:9100');
    assert.equal(origins.logLevel, 'flag');
    assert.equal(origins.metricsBindAddress, 'flag');
    assert.equal(load(undefined, { METRICS_ADDR: '0' }).config.metricsBindAddress, '0');
  });

  it('records where each value came from', () => {
    const { origins } = load('digestPull: true\nregistryRetryAttempts: 4', { MAX_CONCURRENT_RECONCILES: '3' });
    assert.equal(origins.digestPull, 'file');
    assert.equal(origins.registryRetryAttempts, 'file');
    assert.equal(origins.maxConcurrentReconciles, 'env');
    assert.equal(origins['docker.registry'], 'env');
    assert.equal(origins.requestTimeoutMs, 'default');
  });
});

describe('the result', () => {
  it('is deeply frozen', () => {
    const { config } = load('includeNamespaces: [a]\nregistryCredentials: [{registry: a.io, token: t}]');
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.includeNamespaces));
    assert.ok(Object.isFrozen(config.registryCredentials[0]?.auth));
    assert.throws(() => (config.includeNamespaces as string[]).push('b'), TypeError);
  });

  it('never puts a secret in a warning', () => {
    const yaml = [
      'registryCredentials:',
      '  - registry: ""',
      '    password: hunter2',
      '    token: tok-123',
      '  - registry: "[bad"',
      '    registryAliases: ["[x"]',
      '    password: hunter2',
      '  - registry: a.io',
      '    passwrd: hunter2',
    ].join('\n');
    const { warnings } = load(yaml, { TARGET_PASSWORD: 'env-secret' });
    assert.ok(warnings.length >= 3);
    for (const secret of ['hunter2', 'tok-123', 'env-secret']) assert.ok(!warnings.join('\n').includes(secret), secret);
  });
});

describe('ECR repository settings (copycat only, docs/ecr.md)', () => {
  const ECR = { TARGET_KIND: 'ecr', ECR_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-west-1' };
  const FULL = [
    'ecr:',
    '  imageTagMutability: IMMUTABLE',
    '  scanOnPush: true',
    '  encryption: {type: KMS, kmsKey: alias/copycat}',
    '  tags: {team: platform}',
    '  registry: vpce-1.dkr.ecr.eu-west-1.vpce.amazonaws.com',
  ].join('\n');

  it('loads a full block without warnings, records file origins, and freezes the tags', () => {
    const { config, warnings, origins } = load(FULL, ECR);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      { m: config.ecr.imageTagMutability, s: config.ecr.scanOnPush, e: config.ecr.encryption, t: config.ecr.tags, r: config.ecr.registry },
      { m: 'IMMUTABLE', s: true, e: { type: 'KMS', kmsKey: 'alias/copycat' }, t: { team: 'platform' }, r: 'vpce-1.dkr.ecr.eu-west-1.vpce.amazonaws.com' },
    );
    for (const p of ['ecr.imageTagMutability', 'ecr.scanOnPush', 'ecr.encryption.type', 'ecr.encryption.kmsKey', 'ecr.tags', 'ecr.registry']) assert.equal(origins[p], 'file', p);
    assert.equal(load(undefined, ECR).origins['ecr.tags'], 'default');
    assert.ok(Object.isFrozen(config.ecr.tags) && Object.isFrozen(config.ecr.encryption));
  });

  it('checks them after upstream target checks, and whatever the target kind', () => {
    assert.throws(() => load('ecr: {imageTagMutability: frozen}', { TARGET_KIND: 'ecr' }), { key: 'ecr.accountID' });
    assert.throws(() => load('ecr: {imageTagMutability: frozen}', ECR), { key: 'ecr.imageTagMutability' });
    assert.throws(() => load('ecr: {imageTagMutability: frozen}'), { key: 'ecr.imageTagMutability' }, 'docker target');
  });

  it('warns about a misspelt key under ecr.encryption', () => {
    const { config, warnings } = load('ecr: {encryption: {type: KMS, kmsKeys: alias/x}}', ECR);
    assert.deepEqual(config.ecr.encryption, { type: 'KMS', kmsKey: '' });
    assert.ok(warned(warnings, /unknown key ecr\.encryption\.kmsKeys ignored \(did you mean ecr\.encryption\.kmsKey\?\)/), warnings.join('\n'));
  });
});
