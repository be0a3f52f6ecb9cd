import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Credential } from '../credentials.ts';
import { kubeletKeyMatches, parseKubeletKey } from './kubelet-match.ts';
import { PullSecretCredentials, type PullSecret } from './pull-secrets.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const basic = (username: string, password: string): Credential => ({ kind: 'basic', username, password });
const entry = (username: string, password: string) => ({ auth: b64(`${username}:${password}`) });

function dockerConfigJson(auths: Record<string, unknown>, name?: string): PullSecret {
  return { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) }, metadata: name ? { name, namespace: 'apps' } : undefined };
}

function dockercfg(registries: Record<string, unknown>): PullSecret {
  return { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify(registries)) } };
}

function keychain(secrets: PullSecret[]): PullSecretCredentials {
  const { credentials, warnings } = PullSecretCredentials.fromSecrets(secrets);
  assert.deepEqual(warnings, []);
  return credentials;
}

describe('kubelet key matching', () => {
  const matches = (key: string, registry: string, repository = ''): boolean => {
    const parsed = parseKubeletKey(key);
    assert.ok(parsed, key);
    return kubeletKeyMatches(parsed, registry, repository);
  };

  it('drops the scheme and a /v1/ or /v2/ path prefix', () => {
    assert.equal(parseKubeletKey('https://index.docker.io/v1/')?.key, 'index.docker.io');
    assert.equal(parseKubeletKey('http://registry.local:5000/v2/')?.key, 'registry.local:5000');
    assert.equal(parseKubeletKey('https://quay.io/v2/org')?.key, 'quay.io/org');
    assert.equal(parseKubeletKey('quay.io/org/team')?.key, 'quay.io/org/team');
    assert.equal(parseKubeletKey('Quay.IO/Org')?.key, 'quay.io/Org', 'host case-folded, path kept');
    assert.equal(parseKubeletKey(''), undefined);
    assert.equal(parseKubeletKey('bad[.io'), undefined);
  });

  it('matches * within one host part only', () => {
    assert.equal(matches('*.gcr.io', 'eu.gcr.io'), true);
    assert.equal(matches('*.gcr.io', 'gcr.io'), false);
    assert.equal(matches('*.gcr.io', 'a.b.gcr.io'), false);
    assert.equal(matches('*.*.registry.io', 'a.b.registry.io'), true);
    assert.equal(matches('k8s.*.io', 'k8s.gcr.io'), true);
    assert.equal(matches('app*.k8s.io', 'apps.k8s.io'), true);
    assert.equal(matches('*.azurecr.io', 'myregistry.azurecr.io', 'team/app'), true);
  });

  it('requires equal ports and a path prefix', () => {
    assert.equal(matches('registry.io:8080', 'registry.io:8080'), true);
    assert.equal(matches('registry.io:8080', 'registry.io'), false);
    assert.equal(matches('registry.io', 'registry.io:8080'), false);
    assert.equal(matches('registry.io:8080/path', 'registry.io:8080', 'path/app'), true);
    assert.equal(matches('registry.io/team', 'registry.io', 'other/app'), false);
    assert.equal(matches('registry.io/team', 'registry.io'), false, 'without a repository only registry-wide keys apply');
    assert.equal(matches('registry.io/team', 'registry.io', 'teammates/app'), true, 'the kubelet compares paths as strings');
    assert.equal(matches('127.0.0.1:5000', '127.0.0.1:5000', 'x'), true);
  });
});

describe('PullSecretCredentials', () => {
  it('reads kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg secrets', async () => {
    const kc = keychain([dockerConfigJson({ 'https://ghcr.io': entry('json-user', 'json-pass') }), dockercfg({ 'quay.io': entry('cfg-user', 'cfg-pass') })]);
    assert.deepEqual(await kc.resolve('ghcr.io'), basic('json-user', 'json-pass'));
    assert.deepEqual(await kc.resolve('quay.io', 'org/app'), basic('cfg-user', 'cfg-pass'));
    assert.equal(await kc.resolve('docker.io', 'library/nginx'), undefined);
    assert.equal(kc.size, 2);
  });

  it('takes auth over username/password and accepts username/password alone', async () => {
    const kc = keychain([dockerConfigJson({ 'a.io': { ...entry('from-auth', '1'), username: 'field', password: '2' }, 'b.io': { username: 'plain', password: '3', email: 'x@y' } })]);
    assert.deepEqual(await kc.resolve('a.io'), basic('from-auth', '1'));
    assert.deepEqual(await kc.resolve('b.io'), basic('plain', '3'));
  });

  it('picks the most specific key: longer paths first, literal hosts before wildcards', async () => {
    const kc = keychain([
      dockerConfigJson({ 'quay.io': entry('registry-wide', '1'), '*.quay.io': entry('wild', '2') }),
      dockerConfigJson({ 'quay.io/org': entry('org', '3'), 'quay.io/org/team': entry('team', '4'), 'eu.quay.io': entry('eu', '5') }),
    ]);
    assert.deepEqual(await kc.resolve('quay.io', 'org/team/app'), basic('team', '4'));
    assert.deepEqual(await kc.resolve('quay.io', 'org/app'), basic('org', '3'));
    assert.deepEqual(await kc.resolve('quay.io', 'other/app'), basic('registry-wide', '1'));
    assert.deepEqual(await kc.resolve('quay.io'), basic('registry-wide', '1'));
    assert.deepEqual(await kc.resolve('eu.quay.io', 'x'), basic('eu', '5'));
    assert.deepEqual(await kc.resolve('us.quay.io', 'x'), basic('wild', '2'));
    assert.deepEqual(
      kc.lookup('quay.io', 'org/team/app').map((c) => (c.kind === 'basic' ? c.username : c.kind)),
      ['team', 'org', 'registry-wide'],
      'every matching credential, in the order the kubelet would try them',
    );
  });

  it('keeps secrets in order for the same key', async () => {
    const kc = keychain([dockerConfigJson({ 'r.io': entry('first', '1') }), dockercfg({ 'https://r.io/v1/': entry('second', '2') })]);
    assert.deepEqual(kc.lookup('r.io').map((c) => (c.kind === 'basic' ? c.username : '')), ['first', 'second']);
  });

  it('gives Docker Hub images the index.docker.io credentials when no key matched', async () => {
    const kc = keychain([dockerConfigJson({ 'https://index.docker.io/v1/': entry('hub', 'pw') })]);
    assert.deepEqual(await kc.resolve('docker.io', 'library/nginx'), basic('hub', 'pw'));
    assert.deepEqual(await kc.resolve('docker.io'), basic('hub', 'pw'));
    assert.equal(await kc.resolve('quay.io', 'library/nginx'), undefined);
    const keyedShort = keychain([dockerConfigJson({ 'docker.io': entry('short', 'pw') })]);
    assert.deepEqual(await keyedShort.resolve('docker.io', 'library/nginx'), basic('short', 'pw'));
  });

  it('skips malformed secrets with a warning that names them but never their contents', async () => {
    const password = 'sup3r-s3cret';
    const secrets: PullSecret[] = [
      { type: 'Opaque', data: { password: b64(password) }, metadata: { name: 'opaque', namespace: 'apps' } },
      { type: 'kubernetes.io/dockerconfigjson', data: {} },
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': `${password}!` } },
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(`{"auths":{"r.io":{"password":"${password}"}`) } },
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ 'r.io': entry('u', password) })) } },
      dockerConfigJson({ 'r.io': { auth: b64(password) }, 'fine.io': entry('u', 'p') }, 'half-broken'),
      dockerConfigJson({ 'r.io': { password: 42 } }),
      dockerConfigJson({ 'r.io': 'nope' }),
      dockercfg({ 'bad[.io': entry('u', password) }),
      { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('[1]') } },
      dockerConfigJson({ 'good.io': entry('good', 'pw') }, 'good'),
    ];
    const { credentials, warnings } = PullSecretCredentials.fromSecrets(secrets);
    assert.deepEqual(await credentials.resolve('good.io'), basic('good', 'pw'));
    assert.equal(await credentials.resolve('fine.io'), undefined, 'a secret with one bad entry is skipped whole, as the kubelet refuses it');
    assert.equal(await credentials.resolve('r.io'), undefined);
    assert.deepEqual(warnings, [
      'pull secret apps/opaque: type "Opaque" is not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg, skipped',
      'pull secret #1: has no .dockerconfigjson data, skipped',
      'pull secret #2: .dockerconfigjson is not base64, skipped',
      'pull secret #3: .dockerconfigjson is not JSON, skipped',
      'pull secret #4: .dockerconfigjson has no "auths" object, skipped',
      'pull secret apps/half-broken: entry "r.io" has an auth that is not base64 of "username:password", secret skipped',
      'pull secret #6: entry "r.io" has a password that is not a string, secret skipped',
      'pull secret #7: entry "r.io" is not an object, secret skipped',
      'pull secret #8: entry "bad[.io" is not a usable registry key, secret skipped',
      'pull secret #9: .dockercfg has no registry map, skipped',
    ]);
    for (const w of warnings) assert.ok(!w.includes(password) && !w.includes(b64(password)), w);
  });

  it('accepts base64 data wrapped over several lines', async () => {
    const encoded = b64(JSON.stringify({ auths: { 'r.io': entry('u', 'p') } })).replace(/(.{20})/g, '$1\n');
    const kc = keychain([{ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': encoded } }]);
    assert.deepEqual(await kc.resolve('r.io'), basic('u', 'p'));
  });
});
