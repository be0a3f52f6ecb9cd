import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveCredentials } from './credentials.ts';
import type { CredentialEntry } from './file.ts';

function entry(fields: Omit<CredentialEntry, 'key'>, index = 0): CredentialEntry {
  return { key: `registryCredentials[${index}]`, ...fields };
}

describe('resolveCredentials (inventory §4.1)', () => {
  // Upstream TestBuildKeychainFromConfigRegistryAliases: the registry and every alias get the basic credential.
  it('gives the registry and its aliases the same basic credential', () => {
    const warnings: string[] = [];
    const creds = resolveCredentials(
      [entry({ registry: 'registry-1.docker.io', registryAliases: ['index.docker.io', 'docker.io', 'mirror.docker.internal'], username: 'user', password: 'pass' })],
      {},
      warnings,
    );
    assert.deepEqual(creds, [
      {
        hosts: ['registry-1.docker.io', 'index.docker.io', 'docker.io', 'mirror.docker.internal'],
        auth: { kind: 'basic', username: 'user', password: 'pass' },
      },
    ]);
    assert.deepEqual(warnings, []);
  });

  // Upstream TestBuildKeychainFromConfigCustomAliasesAndWildcard: a token, with a wildcard alias
  // (matching ghcr.example.com or not is the keychain's job; here the glob must survive as a host).
  it('keeps wildcard aliases and prefers a token', () => {
    const creds = resolveCredentials([entry({ registry: 'ghcr.io', registryAliases: ['*.ghcr.io', 'docker.pkg.github.com'], token: 'ghcr-token' })], {}, []);
    assert.deepEqual(creds, [{ hosts: ['ghcr.io', '*.ghcr.io', 'docker.pkg.github.com'], auth: { kind: 'token', token: 'ghcr-token' } }]);
  });

  it('lowercases, trims and deduplicates hosts', () => {
    const creds = resolveCredentials([entry({ registry: ' GHCR.io ', registryAliases: ['ghcr.IO', '', ' Quay.io '], username: 'u' })], {}, []);
    assert.deepEqual(creds[0]?.hosts, ['ghcr.io', 'quay.io']);
  });

  it('lets non-empty *Env values override literals; empty ones do not', () => {
    const env = { DH_USER: 'env-user', DH_PASS: ' env pass ', EMPTY: '' };
    const creds = resolveCredentials(
      [entry({ registry: 'docker.io', username: ' lit ', password: ' lit-pass ', usernameEnv: 'DH_USER', passwordEnv: 'DH_PASS' }), entry({ registry: 'quay.io', username: 'lit', usernameEnv: 'EMPTY' }, 1)],
      env,
      [],
    );
    assert.deepEqual(creds[0]?.auth, { kind: 'basic', username: 'env-user', password: ' env pass ' });
    assert.deepEqual(creds[1]?.auth, { kind: 'basic', username: 'lit', password: '' });
  });

  it('prefers a token from tokenEnv over username and password', () => {
    const creds = resolveCredentials([entry({ registry: 'ghcr.io', username: 'u', password: 'p', tokenEnv: 'GHCR_TOKEN' })], { GHCR_TOKEN: 't0k' }, []);
    assert.deepEqual(creds[0]?.auth, { kind: 'token', token: 't0k' });
  });

  it('ignores entries without a registry or without any credential, warning without secrets', () => {
    const warnings: string[] = [];
    const creds = resolveCredentials(
      [entry({ registry: ' ', registryAliases: ['x.io'], password: 'hunter2' }), entry({ registry: 'ghcr.io', tokenEnv: 'GHCR_TOKEN', passwordEnv: 'PW' }, 1)],
      { PW: '' },
      warnings,
    );
    assert.deepEqual(creds, []);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /registryCredentials\[0\] has no registry/);
    assert.match(warnings[1] ?? '', /registryCredentials\[1\] \(ghcr.io\) has no username, password or token \(env PW, GHCR_TOKEN unset or empty\)/);
    assert.ok(!warnings.join(' ').includes('hunter2'));
  });

  it('drops malformed alias patterns and warns about URL-like hosts', () => {
    const warnings: string[] = [];
    const creds = resolveCredentials([entry({ registry: 'https://ghcr.io', registryAliases: ['[bad'], token: 't' })], {}, warnings);
    assert.deepEqual(creds[0]?.hosts, ['https://ghcr.io']);
    assert.equal(warnings.length, 2);
    assert.match(warnings.join('\n'), /has a "\/"/);
    assert.match(warnings.join('\n'), /alias "\[bad" is not a valid pattern/);
  });

  it('keeps entry order so a later entry can win for the same host', () => {
    const creds = resolveCredentials([entry({ registry: 'a.io', username: 'first' }), entry({ registry: 'a.io', username: 'second' }, 1)], {}, []);
    assert.deepEqual(
      creds.map((c) => (c.auth.kind === 'basic' ? c.auth.username : '')),
      ['first', 'second'],
    );
  });
});
