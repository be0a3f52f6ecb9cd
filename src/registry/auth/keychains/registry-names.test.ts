import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeAuthField, decodeBase64Strict } from './auth-field.ts';
import { canonicalRegistry, helperServerUrl, namesOf, registryOfServerKey } from './registry-names.ts';

describe('registry names of config keys', () => {
  it('drops scheme and path and folds every Docker Hub alias into docker.io', () => {
    const cases: Array<[string, string]> = [
      ['https://index.docker.io/v1/', 'docker.io'],
      ['index.docker.io', 'docker.io'],
      ['registry-1.docker.io', 'docker.io'],
      ['https://registry-1.docker.io/v2/', 'docker.io'],
      ['Docker.IO', 'docker.io'],
      ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
      ['https://GHCR.io', 'ghcr.io'],
      ['quay.io/org/team', 'quay.io'],
      ['  registry.example.com  ', 'registry.example.com'],
    ];
    for (const [key, want] of cases) assert.equal(registryOfServerKey(key), want, key);
    assert.equal(canonicalRegistry('INDEX.docker.io'), 'docker.io');
  });

  it('asks helpers for Docker Hub by its v1 URL and for other registries by host', () => {
    assert.equal(helperServerUrl('docker.io'), 'https://index.docker.io/v1/');
    assert.equal(helperServerUrl('ghcr.io'), 'ghcr.io');
    assert.deepEqual(namesOf('index.docker.io'), ['docker.io', 'index.docker.io', 'registry-1.docker.io']);
    assert.deepEqual(namesOf('ghcr.io'), ['ghcr.io']);
  });
});

describe('auth field decoding', () => {
  it('splits at the first colon only', () => {
    assert.deepEqual(decodeAuthField(Buffer.from('user:pa:ss').toString('base64')), { username: 'user', password: 'pa:ss' });
    assert.deepEqual(decodeAuthField(Buffer.from('user:').toString('base64')), { username: 'user', password: '' });
  });

  it('accepts missing padding and refuses non-base64 or a value without a colon', () => {
    assert.deepEqual(decodeAuthField(Buffer.from('ab:c').toString('base64').replace(/=+$/, '')), { username: 'ab', password: 'c' });
    assert.equal(decodeAuthField('not base64!'), undefined);
    assert.equal(decodeAuthField(Buffer.from('nocolon').toString('base64')), undefined);
    assert.equal(decodeBase64Strict('abcde'), undefined, 'a length of 1 mod 4 is never base64');
    assert.equal(decodeBase64Strict('ab=c'), undefined);
    assert.equal(decodeBase64Strict('')?.length, 0);
  });
});
