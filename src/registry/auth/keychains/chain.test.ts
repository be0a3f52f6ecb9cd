import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StaticCredentials, type Credential, type CredentialProvider } from '../credentials.ts';
import { CredentialChain, defaultChain } from './chain.ts';
import { ConfigCredentials } from './config-keychain.ts';
import { PullSecretCredentials } from './pull-secrets.ts';

const basic = (username: string): Credential => ({ kind: 'basic', username, password: 'pw' });

/** A provider that records what it was asked and answers from a table. */
function recording(name: string, table: Record<string, Credential>, log: string[]): CredentialProvider {
  return {
    resolve: (registry, repository) => {
      log.push(`${name}:${registry}:${repository ?? ''}`);
      return Promise.resolve(table[registry]);
    },
  };
}

describe('CredentialChain', () => {
  it('returns the first credential and stops asking', async () => {
    const log: string[] = [];
    const chain = new CredentialChain([recording('a', {}, log), undefined, recording('b', { 'r.io': basic('b') }, log), recording('c', { 'r.io': basic('c') }, log)]);
    assert.equal(chain.length, 3);
    assert.deepEqual(await chain.resolve('r.io', 'team/app'), basic('b'));
    assert.deepEqual(log, ['a:r.io:team/app', 'b:r.io:team/app']);
    assert.equal(await chain.resolve('other.io'), undefined, 'nobody has one: anonymous');
  });

  it('stops at a provider that fails instead of falling through to a weaker credential', async () => {
    const failing: CredentialProvider = { resolve: () => Promise.reject(new Error('helper broke')) };
    const chain = new CredentialChain([failing, new StaticCredentials([['r.io', basic('later')]])]);
    await assert.rejects(chain.resolve('r.io'), /helper broke/);
  });

  it('defaultChain asks explicit, config, pull secrets, docker config in that order', async () => {
    const everywhere = (name: string): CredentialProvider => new StaticCredentials([['r.io', basic(name)]]);
    assert.deepEqual(
      await defaultChain({ dockerConfig: everywhere('docker'), pullSecrets: everywhere('secret'), config: everywhere('config'), explicit: everywhere('explicit') }).resolve('r.io'),
      basic('explicit'),
    );
    assert.deepEqual(await defaultChain({ dockerConfig: everywhere('docker'), pullSecrets: everywhere('secret'), config: everywhere('config') }).resolve('r.io'), basic('config'));
    assert.deepEqual(await defaultChain({ dockerConfig: everywhere('docker'), pullSecrets: everywhere('secret') }).resolve('r.io'), basic('secret'));
    assert.deepEqual(await defaultChain({ dockerConfig: everywhere('docker') }).resolve('r.io'), basic('docker'));
    assert.equal(await defaultChain().resolve('r.io'), undefined);
  });

  it('passes the repository through to path-scoped pull secrets', async () => {
    const auth = Buffer.from('team:pw').toString('base64');
    const { credentials } = PullSecretCredentials.fromSecrets([
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { 'r.io/team': { auth } } })).toString('base64') } },
    ]);
    const chain = defaultChain({ config: ConfigCredentials.fromEntries([{ registry: 'other.io', username: 'x', password: 'y' }], {}), pullSecrets: credentials });
    assert.deepEqual(await chain.resolve('r.io', 'team/app'), basic('team'));
    assert.equal(await chain.resolve('r.io', 'elsewhere/app'), undefined);
  });
});
