import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChallenges, pickChallenge } from './challenge.ts';

describe('parseChallenges', () => {
  it('reads the distribution bearer challenge', () => {
    assert.deepEqual(parseChallenges(['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"']), [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
  });

  it('splits several challenges in one header, keeping commas inside quoted values', () => {
    const got = parseChallenges(['Negotiate, Bearer realm="https://auth.example/token",service="reg.example",scope="repository:a/b:pull,push"']);
    assert.deepEqual(got, [
      { scheme: 'negotiate', params: {} },
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'reg.example', scope: 'repository:a/b:pull,push' } },
    ]);
  });

  it('unescapes quoted-pairs inside quoted strings', () => {
    const [c] = parseChallenges(['Basic realm="say \\"hi\\", then \\\\ leave"']);
    assert.equal(c?.params.realm, 'say "hi", then \\ leave');
  });

  it('lower-cases scheme and parameter names, not values, and accepts tokens and spaces around "="', () => {
    assert.deepEqual(parseChallenges(['BEARER Realm = "https://A.example/T", Service=Reg.Example, error=insufficient_scope']), [
      { scheme: 'bearer', params: { realm: 'https://A.example/T', service: 'Reg.Example', error: 'insufficient_scope' } },
    ]);
  });

  it('reads challenges from several header values and a basic challenge after a bearer one', () => {
    const got = parseChallenges(['Bearer realm="https://a/t",scope="repository:x:pull repository:y:pull"', 'Basic realm="Registry Realm", charset="UTF-8"']);
    assert.equal(got.length, 2);
    assert.equal(got[0]?.params.scope, 'repository:x:pull repository:y:pull');
    assert.deepEqual(got[1], { scheme: 'basic', params: { realm: 'Registry Realm', charset: 'UTF-8' } });
  });

  it('returns nothing for an empty header and survives an unterminated quote', () => {
    assert.deepEqual(parseChallenges(['']), []);
    assert.deepEqual(parseChallenges(['Bearer realm="https://a/t']), [{ scheme: 'bearer', params: { realm: 'https://a/t' } }]);
  });
});

describe('pickChallenge', () => {
  it('prefers the first bearer or basic challenge over Negotiate and others', () => {
    const all = parseChallenges(['Negotiate, NTLM', 'Bearer realm="https://a/t"', 'Basic realm="r"']);
    assert.equal(pickChallenge(all)?.scheme, 'bearer');
    assert.equal(pickChallenge(parseChallenges(['Negotiate, Basic realm="r"']))?.scheme, 'basic');
  });

  it('returns undefined when no challenge can be answered', () => {
    assert.equal(pickChallenge(parseChallenges(['Negotiate, NTLM'])), undefined);
    assert.equal(pickChallenge([]), undefined);
  });
});
