import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { readConfigText } from './file.ts';

const SRC = '/config/config.yaml';

function read(text: string) {
  return readConfigText(text, SRC);
}

function invalid(key: string, check?: (err: ConfigError) => boolean) {
  return (err: unknown): boolean => err instanceof ConfigError && err.code === 'CONFIG_INVALID' && err.key === key && (check ? check(err) : true);
}

describe('readConfigText: keys', () => {
  it('matches keys case-insensitively, as Go encoding/json does', () => {
    const { settings, warnings } = read('TargetKind: docker\nECR:\n  AccountId: "1"\nskipnames: {statefulsets: [db]}\n');
    assert.deepEqual(settings.text('targetKind'), { key: 'TargetKind', value: 'docker' });
    assert.deepEqual(settings.text('ecr.accountID'), { key: 'ECR.AccountId', value: '1' });
    assert.deepEqual(settings.list('skipNames.statefulSets'), { key: 'skipnames.statefulsets', value: ['db'] });
    assert.deepEqual(warnings, []);
  });

  it('warns about unknown keys with a suggestion, wherever they are', () => {
    const { warnings } = read(
      'includeNamespace: [a]\naccountID: "1"\necr: {acountID: "1"}\nTARGET_REGISTRY: x\nfrobnicate: 1\nregistryCredentials: [{registry: a, pasword: x}]\n',
    );
    assert.deepEqual(warnings, [
      'unknown key includeNamespace ignored (did you mean includeNamespaces?)',
      'unknown key accountID ignored (did you mean ecr.accountID?)',
      'unknown key ecr.acountID ignored (did you mean ecr.accountID?)',
      'unknown key TARGET_REGISTRY ignored (did you mean docker.registry?)',
      'unknown key frobnicate ignored',
      'unknown key registryCredentials[0].pasword ignored (did you mean password?)',
    ]);
  });

  it('lets the later of two case variants win, with a warning', () => {
    const { settings, warnings } = read('targetKind: ecr\nTargetKind: docker\n');
    assert.equal(settings.text('targetKind')?.value, 'docker');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /targetKind and TargetKind both set targetKind; the later one \(TargetKind\) is used/);
  });

  it('takes the last of two identical keys, with a warning naming the lines', () => {
    const { settings, warnings } = read('dryRun: true\ndigestPull: true\ndryRun: false\n');
    assert.equal(settings.bool('dryRun')?.value, false);
    assert.deepEqual(warnings, ['key "dryRun" appears twice in one mapping (lines 1 and 3); the last one is used']);
  });

  // [BUG] §1.1: requestTimeoutSeconds is the name that worked upstream; it wins over the documented one.
  it('prefers the …Seconds alias over the documented key, in either order', () => {
    for (const text of ['requestTimeout: 60\nrequestTimeoutSeconds: 30\n', 'requestTimeoutSeconds: 30\nrequestTimeout: 60\n']) {
      const { settings, warnings } = read(text);
      assert.deepEqual(settings.text('requestTimeout'), { key: 'requestTimeoutSeconds', value: '30' }, text);
      assert.equal(warnings.length, 1, text);
      assert.match(warnings[0] ?? '', /requestTimeout is ignored because requestTimeoutSeconds is also set/);
    }
  });
});

describe('readConfigText: values', () => {
  it('keeps scalars as written', () => {
    const { settings } = read('ecr: {accountID: 012345678901}\ndigestPullIgnoredTags: [1.10, 010, yes]\nmaxConcurrentReconciles: 0x10\n');
    assert.equal(settings.text('ecr.accountID')?.value, '012345678901');
    assert.deepEqual(settings.list('digestPullIgnoredTags')?.value, ['1.10', '010', 'yes']);
    assert.equal(settings.text('maxConcurrentReconciles')?.value, '0x10');
  });

  it('reads YAML 1.1 booleans', () => {
    const { settings } = read('dryRun: yes\ndryPull: Off\ndigestPull: "true"\ncheckNodePlatform: n\n');
    assert.equal(settings.bool('dryRun')?.value, true);
    assert.equal(settings.bool('dryPull')?.value, false);
    assert.equal(settings.bool('digestPull')?.value, true);
    assert.equal(settings.bool('checkNodePlatform')?.value, false);
  });

  it('treats null values as unset and null list items as blanks', () => {
    const { settings } = read('targetKind:\necr: ~\ndryRun: null\nincludeNamespaces: [a, ~, "", b]\nregistryCredentials:\n');
    assert.equal(settings.text('targetKind'), undefined);
    assert.equal(settings.text('ecr.accountID'), undefined);
    assert.equal(settings.bool('dryRun'), undefined);
    assert.deepEqual(settings.list('includeNamespaces')?.value, ['a', '', '', 'b']);
    assert.equal(settings.credentials(), undefined);
  });

  it('reads block scalars, anchors, aliases and << merges', () => {
    const text = [
      'common: &c',
      '  - default',
      'includeNamespaces: *c',
      'base: &b {registry: reg.example.com:5000}',
      'docker:',
      '  <<: *b',
      '  insecure: true',
      'ecr:',
      '  lifecyclePolicy: |',
      '    {"rules": []}',
    ].join('\n');
    const { settings, warnings } = read(text);
    assert.deepEqual(settings.list('includeNamespaces')?.value, ['default']);
    assert.equal(settings.text('docker.registry')?.value, 'reg.example.com:5000');
    assert.equal(settings.bool('docker.insecure')?.value, true);
    assert.equal(settings.text('ecr.lifecyclePolicy')?.value, '{"rules": []}\n');
    assert.deepEqual(warnings, ['unknown key common ignored', 'unknown key base ignored']);
  });

  it('reads registryCredentials and pathMap entries with case-insensitive fields', () => {
    const { settings } = read(
      'registryCredentials:\n  - Registry: ghcr.io\n    RegistryAliases: ["*.ghcr.io"]\n    TokenEnv: GHCR\n  - ~\npathMap:\n  - {FROM: "a/", to: "b/", Regex: no}\n',
    );
    assert.deepEqual(settings.credentials()?.value, [{ key: 'registryCredentials[0]', registry: 'ghcr.io', registryAliases: ['*.ghcr.io'], tokenEnv: 'GHCR' }]);
    assert.deepEqual(settings.pathMap()?.value, [{ key: 'pathMap[0]', from: 'a/', to: 'b/', regex: false }]);
  });

  it('reads a map setting (ecr.tags): keys and values as written, null values empty, an empty map unset', () => {
    const { settings } = read('ECR:\n  Tags:\n    Team: " platform "\n    owner: ~\n    "1.10": x\n');
    assert.deepEqual(settings.map('ecr.tags'), { key: 'ECR.Tags', value: { Team: ' platform ', owner: '', '1.10': 'x' } });
    assert.equal(read('ecr:\n  tags:\n').settings.map('ecr.tags'), undefined);
    assert.deepEqual(read('ecr: {tags: {}}').settings.map('ecr.tags')?.value, {});
    assert.throws(() => read('ecr: {tags: team=platform}'), invalid('ecr.tags', (e) => e.value === 'team=platform' && /expected a mapping/.test(e.message)));
    assert.throws(() => read('ecr: {tags: {team: {a: b}}}'), invalid('ecr.tags.team', (e) => /expected text, got a mapping/.test(e.message)));
  });

  it('returns no settings for an empty or comment-only file', () => {
    for (const text of ['', '# nothing\n', '---\n']) {
      const { settings, warnings } = read(text);
      assert.equal(settings.text('targetKind'), undefined);
      assert.deepEqual(warnings, []);
    }
  });

  it('reads only the first of several YAML documents, with a warning', () => {
    const { settings, warnings } = read('targetKind: docker\n---\ntargetKind: ecr\n');
    assert.equal(settings.text('targetKind')?.value, 'docker');
    assert.match(warnings[0] ?? '', /holds 2 YAML documents; only the first is read/);
  });
});

describe('readConfigText: start-up errors', () => {
  it('refuses values of the wrong shape, naming the key as written', () => {
    assert.throws(() => read('dryRun: [1]\n'), invalid('dryRun', (e) => e.message === 'invalid dryRun: expected true or false, got a list'));
    assert.throws(() => read('dryRun: maybe\n'), invalid('dryRun', (e) => e.value === 'maybe' && e.message === 'invalid dryRun "maybe": expected true or false'));
    assert.throws(() => read('IncludeNamespaces: default, prod\n'), invalid('IncludeNamespaces', (e) => e.value === 'default, prod' && /expected a list/.test(e.message)));
    assert.throws(() => read('includeNamespaces: [[a]]\n'), invalid('includeNamespaces[0]', (e) => /expected text, got a list/.test(e.message)));
    assert.throws(() => read('targetKind: {a: 1}\n'), invalid('targetKind', (e) => /expected text, got a mapping/.test(e.message)));
    assert.throws(() => read('ecr: eu-west-1\n'), invalid('ecr', (e) => /expected a mapping/.test(e.message)));
    assert.throws(() => read('registryCredentials: [ghcr.io]\n'), invalid('registryCredentials[0]', (e) => /expected a mapping/.test(e.message)));
    assert.throws(() => read('pathMap: {from: a}\n'), invalid('pathMap', (e) => /expected a list of entries/.test(e.message)));
    assert.throws(() => read('requestTimeout: [5]\n'), invalid('requestTimeout', (e) => /expected a number/.test(e.message)));
  });

  it('never shows a secret in a shape error', () => {
    assert.throws(
      () => read('registryCredentials:\n  - registry: a\n    password: {nested: hunter2}\n'),
      invalid('registryCredentials[0].password', (e) => e.value === undefined && e.message.includes('(value not shown)') && !e.message.includes('hunter2')),
    );
  });

  it('reports YAML syntax errors with line and column but without the line', () => {
    const text = 'registryCredentials:\n  - registry: a\n    password: "hunter2\n';
    assert.throws(
      () => read(text),
      invalid(SRC, (e) => /not valid YAML at line \d+, column \d+/.test(e.message) && !e.message.includes('hunter2') && !e.message.includes('\n')),
    );
    assert.throws(() => read('a: b: c\n'), invalid(SRC));
  });

  it('refuses a top level that is not a mapping', () => {
    assert.throws(() => read('- targetKind\n'), invalid(SRC, (e) => /top level must be a mapping of settings, got a list/.test(e.message)));
    assert.throws(() => read('hello\n'), invalid(SRC, (e) => /got text/.test(e.message)));
  });

  it('refuses alias bombs', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    assert.throws(() => read(`${lines.join('\n')}\n`), invalid(SRC));
  });
});
