import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { DockerTarget } from './docker-target.ts';

describe('DockerTarget', () => {
  it('hands out basic credentials for its own registry only', async () => {
    const t = new DockerTarget({ registry: 'Harbor.Example.com:5000', username: 'robot', password: 'p:w' });
    assert.equal(t.kind, 'docker');
    assert.equal(t.registry, 'harbor.example.com:5000');
    assert.equal(t.insecure, false);
    assert.deepEqual(await t.credentials.resolve('harbor.example.com:5000'), { kind: 'basic', username: 'robot', password: 'p:w' });
    assert.equal(await t.credentials.resolve('docker.io'), undefined);
  });

  it('sends a token as bearer', async () => {
    const t = new DockerTarget({ registry: 'registry.local:5000', token: 'tok-123' });
    assert.deepEqual(await t.credentials.resolve('registry.local:5000'), { kind: 'bearer', token: 'tok-123' });
  });

  it('is anonymous without credentials and keeps a user with an empty password (k8s-copycat §4.3)', async () => {
    assert.equal(await new DockerTarget({ registry: 'localhost:5000', username: '', password: '' }).credentials.resolve('localhost:5000'), undefined);
    assert.deepEqual(await new DockerTarget({ registry: 'localhost:5000', username: 'u' }).credentials.resolve('localhost:5000'), { kind: 'basic', username: 'u', password: '' });
  });

  it('carries the insecure flag', () => {
    assert.equal(new DockerTarget({ registry: 'registry.local:5000', insecure: true }).insecure, true);
  });

  it('ensureRepository makes no request and answers exists, also in dry runs', async () => {
    const t = new DockerTarget({ registry: 'registry.local' });
    assert.equal(await t.ensureRepository('any/repo'), 'exists');
    assert.equal(await t.ensureRepository('any/repo', { dryRun: true }), 'exists');
    const reason = new Error('stop');
    await assert.rejects(t.ensureRepository('any/repo', { signal: AbortSignal.abort(reason) }), (err) => err === reason);
  });

  it('refuses registry values that are not host[:port], quoting them', () => {
    for (const registry of ['', 'https://harbor.example.com', 'harbor.example.com/Team', 'harbor.example.com//team', 'registry', 'bad_host.com', 'host:port']) {
      assert.throws(() => new DockerTarget({ registry }), (err) => hasCode(err, 'TARGET_CONFIG_INVALID') && err.message.includes(JSON.stringify(registry)), registry);
    }
  });

  it('accepts localhost, IPv4 and IPv6 hosts with ports', () => {
    for (const registry of ['localhost', 'localhost:5000', '127.0.0.1:5000', '[::1]:5000', 'docker.io']) {
      const t = new DockerTarget({ registry });
      assert.equal(t.registry, registry);
      assert.equal(t.repositoryPrefix, '');
    }
  });

  it('keeps a path after the host as a fixed repository prefix, as k8s-copycat did by joining strings', async () => {
    const t = new DockerTarget({ registry: 'Harbor.Example.com:8443/team/mirrors/', username: 'u', password: 'p' });
    assert.equal(t.registry, 'harbor.example.com:8443');
    assert.equal(t.repositoryPrefix, 'team/mirrors');
    assert.deepEqual(await t.credentials.resolve('harbor.example.com:8443'), { kind: 'basic', username: 'u', password: 'p' });
  });

  it('refuses a token together with a password, and a password without a user, without echoing secrets', () => {
    assert.throws(() => new DockerTarget({ registry: 'r.io', token: 't0ken-secret', password: 'pw-secret' }), (err) => hasCode(err, 'TARGET_CONFIG_INVALID') && !/secret/.test(err.message));
    assert.throws(() => new DockerTarget({ registry: 'r.io', password: 'pw-secret' }), (err) => hasCode(err, 'TARGET_CONFIG_INVALID') && !/secret/.test(err.message));
  });
});
