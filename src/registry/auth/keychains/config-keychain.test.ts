import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Credential } from '../credentials.ts';
import { ConfigCredentials, type RegistryCredentialEntry } from './config-keychain.ts';

const basic = (username: string, password: string): Credential => ({ kind: 'basic', username, password });
const bearer = (token: string): Credential => ({ kind: 'bearer', token });

describe('ConfigCredentials (registryCredentials, k8s-copycat §4.1)', () => {
  it('applies one entry to its registry and every alias (upstream TestBuildKeychainFromConfigRegistryAliases)', async () => {
    const kc = ConfigCredentials.fromEntries(
      [{ registry: 'registry-1.docker.io', registryAliases: ['index.docker.io', 'docker.io', 'mirror.docker.internal'], username: 'user', password: 'pass' }],
      {},
    );
    for (const registry of ['registry-1.docker.io', 'index.docker.io', 'docker.io', 'mirror.docker.internal']) {
      assert.deepEqual(await kc.resolve(registry), basic('user', 'pass'), registry);
    }
    assert.equal(await kc.resolve('ghcr.io'), undefined);
  });

  it('matches wildcard aliases with a token (upstream TestBuildKeychainFromConfigCustomAliasesAndWildcard)', async () => {
    const kc = ConfigCredentials.fromEntries([{ registry: 'ghcr.io', registryAliases: ['*.ghcr.io', 'docker.pkg.github.com'], token: 'ghcr-token' }], {});
    for (const registry of ['ghcr.io', 'packages.ghcr.io', 'docker.pkg.github.com']) assert.deepEqual(await kc.resolve(registry), bearer('ghcr-token'), registry);
    assert.equal(await kc.resolve('ghcr.example.com'), undefined);
  });

  it('tries exact names before wildcards (upstream TestStaticKeychainWildcardMatch)', async () => {
    const kc = ConfigCredentials.fromEntries(
      [
        { registry: 'example.com', username: 'u', password: 'p' },
        { registry: 'unused.invalid', registryAliases: ['*.mirror.local'], token: 'token' },
        { registry: 'mirror-wide.invalid', registryAliases: ['*'], token: 'catch-all' },
        { registry: 'cache.mirror.local', username: 'exact', password: 'wins' },
      ],
      {},
    );
    assert.deepEqual(await kc.resolve('example.com'), basic('u', 'p'));
    assert.deepEqual(await kc.resolve('other.mirror.local'), bearer('token'));
    assert.deepEqual(await kc.resolve('cache.mirror.local'), basic('exact', 'wins'));
    assert.deepEqual(await kc.resolve('no-match.local'), bearer('catch-all'));
  });

  it('matches Docker Hub whichever Hub name the user keyed (fixes §7.2 "Docker Hub keys must include index.docker.io")', async () => {
    for (const keyed of ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'DOCKER.IO']) {
      const kc = ConfigCredentials.fromEntries([{ registry: keyed, username: 'hub', password: 'pw' }], {});
      for (const asked of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) {
        assert.deepEqual(await kc.resolve(asked), basic('hub', 'pw'), `${keyed} → ${asked}`);
      }
    }
    const wildcard = ConfigCredentials.fromEntries([{ registry: 'x.invalid', registryAliases: ['*.docker.io'], token: 't' }], {});
    assert.deepEqual(await wildcard.resolve('docker.io'), bearer('t'), 'upstream resolved Hub as index.docker.io, which *.docker.io matches');
  });

  it('picks the most specific wildcard whatever the entry order (fixes §7.2 non-deterministic precedence)', async () => {
    const entries: RegistryCredentialEntry[] = [
      { registry: 'a.invalid', registryAliases: ['*.mirror.local'], username: 'wide', password: '1' },
      { registry: 'b.invalid', registryAliases: ['*.eu.mirror.local'], username: 'narrow', password: '2' },
      { registry: 'c.invalid', registryAliases: ['cache-*.eu.mirror.local'], username: 'narrowest', password: '3' },
      { registry: 'd.invalid', registryAliases: ['*.*.mirror.local'], username: 'two-stars', password: '4' },
    ];
    for (const order of [entries, [...entries].reverse(), [entries[2], entries[0], entries[3], entries[1]] as RegistryCredentialEntry[]]) {
      const kc = ConfigCredentials.fromEntries(order, {});
      assert.deepEqual(await kc.resolve('cache-1.eu.mirror.local'), basic('narrowest', '3'));
      assert.deepEqual(await kc.resolve('x.eu.mirror.local'), basic('narrow', '2'));
      assert.deepEqual(await kc.resolve('x.us.mirror.local'), basic('two-stars', '4'), 'more literal characters first');
      assert.deepEqual(await kc.resolve('us.mirror.local'), basic('wide', '1'));
    }
    const tie: RegistryCredentialEntry[] = [
      { registry: 'e.invalid', registryAliases: ['*ab*.io'], username: 'more-stars', password: '5' },
      { registry: 'f.invalid', registryAliases: ['*ab.io'], username: 'fewer-stars', password: '6' },
    ];
    for (const order of [tie, [...tie].reverse()]) {
      assert.deepEqual(await ConfigCredentials.fromEntries(order, {}).resolve('xab.io'), basic('fewer-stars', '6'), 'same literal count: fewer stars first');
    }
  });

  it('reads *Env variables: a non-empty value wins, used verbatim; literals are the fallback', async () => {
    const env = { REG_USER: ' env-user ', REG_PASS: ' env pass ', EMPTY: '', REG_TOKEN: ' tok ' };
    const kc = ConfigCredentials.fromEntries(
      [
        { registry: 'a.io', username: 'lit', usernameEnv: ' REG_USER ', password: 'lit-pass', passwordEnv: 'REG_PASS' },
        { registry: 'b.io', username: '  lit-user  ', usernameEnv: 'EMPTY', password: '  lit pass  ', passwordEnv: 'UNSET_VAR' },
        { registry: 'c.io', token: 'lit-token', tokenEnv: 'REG_TOKEN', username: 'u', password: 'p' },
        { registry: 'd.io', token: '  padded-token  ' },
      ],
      env,
    );
    assert.deepEqual(await kc.resolve('a.io'), basic(' env-user ', ' env pass '));
    assert.deepEqual(await kc.resolve('b.io'), basic('lit-user', '  lit pass  '), 'username trimmed, password not');
    assert.deepEqual(await kc.resolve('c.io'), bearer(' tok '), 'a token beats username/password');
    assert.deepEqual(await kc.resolve('d.io'), bearer('padded-token'));
  });

  it('ignores blank registries (aliases included) and skips entries without credentials, with a warning', async () => {
    const kc = ConfigCredentials.fromEntries(
      [
        { registry: '   ', registryAliases: ['orphan.io'], username: 'u', password: 'p' },
        { registry: 'empty.io', usernameEnv: 'NOPE', passwordEnv: 'NOPE' },
        { registry: 'password-only.io', password: 'secret-only' },
      ],
      {},
    );
    assert.equal(await kc.resolve('orphan.io'), undefined);
    assert.equal(await kc.resolve('empty.io'), undefined);
    assert.deepEqual(await kc.resolve('password-only.io'), basic('', 'secret-only'));
    assert.equal(kc.warnings.length, 1);
    assert.match(kc.warnings[0] ?? '', /registryCredentials\[1\] \(empty\.io\)/);
  });

  it('lets the last entry win for the same name, exact or wildcard, and is case-insensitive', async () => {
    const kc = ConfigCredentials.fromEntries(
      [
        { registry: 'GHCR.io', registryAliases: ['*.Example.com'], username: 'first', password: '1' },
        { registry: ' ghcr.io ', registryAliases: ['*.example.com'], username: 'second', password: '2' },
      ],
      {},
    );
    assert.deepEqual(await kc.resolve('ghcr.io'), basic('second', '2'));
    assert.deepEqual(await kc.resolve('a.example.com'), basic('second', '2'));
  });

  it('reports malformed wildcard aliases and keeps the rest of the entry', async () => {
    const kc = ConfigCredentials.fromEntries([{ registry: 'ok.io', registryAliases: ['bad[.io'], username: 'u', password: 'p' }], {});
    assert.deepEqual(await kc.resolve('ok.io'), basic('u', 'p'));
    assert.equal(await kc.resolve('badx.io'), undefined);
    assert.match(kc.warnings.join('\n'), /"bad\[\.io" is not a valid wildcard pattern/);
  });
});
