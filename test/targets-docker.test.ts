/**
 * The docker target (any OCI registry) wired the way the controller wires it: the target's credentials and
 * insecure flag feed copycat's registry client, and a real copy into a real distribution registry works with
 * basic auth, with a ready bearer token, and over plain HTTP only when `insecure` says so. skopeo checks digests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Copier, hasCode, parseReference, RegistryClient, Transport } from '../src/index.ts';
import { DockerTarget, targetRepository, type Target } from '../src/targets/index.ts';
import { pushSchema2Image, type ImageFixture } from './support/fixtures.ts';
import { startRegistry, TOKEN_SERVICE, type RunningRegistry } from './support/registry.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';

/** Source and destination clients over one transport; the destination gets only the target's credentials. */
function engineFor(target: Target): { copier: Copier; close(): Promise<void> } {
  const transport = new Transport({ backoff: { initialMs: 10, maxMs: 50 }, attempts: 2 });
  const source = new RegistryClient({ transport });
  const dest = new RegistryClient({ transport, credentials: target.credentials, insecureRegistries: target.insecure ? [target.registry] : [] });
  return { copier: new Copier({ source, target: dest }), close: () => transport.close() };
}

describe('docker target: copies into real registries through DockerTarget.credentials', () => {
  let source: RunningRegistry;
  let basic: RunningRegistry;
  let token: RunningRegistry;
  let open: RunningRegistry;
  let image: ImageFixture;

  before(async () => {
    [source, basic, token, open] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' }), startRegistry({ auth: 'token' }), startRegistry()]);
    image = await pushSchema2Image(source, 'org/app', { tag: '1.0', layers: [800, 200] });
  });
  after(async () => {
    await Promise.all([source?.stop(), basic?.stop(), token?.stop(), open?.stop()]);
  });

  it('basic auth (TARGET_USERNAME/TARGET_PASSWORD): a mirror named by the controller rules lands digest-exact', async () => {
    // TARGET_REGISTRY=host/vault: the path is a fixed prefix in front of the templated one.
    const target = new DockerTarget({ registry: `${basic.host}/vault`, username: basic.username!, password: basic.password! });
    assert.equal(await target.ensureRepository('anything'), 'exists');
    const src = parseReference(`${source.host}/org/app:1.0`);
    const repo = `${target.repositoryPrefix}/${targetRepository(src.repository, { namespace: 'prod', registry: src.registry }, { repoPrefix: 'mirror/$namespace' })}`;
    assert.equal(repo, 'vault/mirror/prod/org/app');
    const engine = engineFor(target);
    try {
      const result = await engine.copier.copy(src, parseReference(`${target.registry}/${repo}:1.0`));
      assert.equal(result.digest, image.digest);
    } finally {
      await engine.close();
    }
    const served = await skopeoInspectRaw(`${basic.host}/${repo}:1.0`, { creds: basic });
    assert.equal(sha256(served), image.digest);
  });

  it('a wrong password is refused by the registry (UNAUTHORIZED), and the password is not in the error', async () => {
    const target = new DockerTarget({ registry: basic.host, username: basic.username!, password: 'wrong-Pa55word-xyz' });
    const engine = engineFor(target);
    try {
      await assert.rejects(
        engine.copier.copy(parseReference(`${source.host}/org/app:1.0`), parseReference(`${target.registry}/denied/app:1.0`)),
        (err) => hasCode(err, 'UNAUTHORIZED', 'DENIED') && !err.message.includes('wrong-Pa55word-xyz'),
      );
    } finally {
      await engine.close();
    }
  });

  it('a token is sent as Bearer: copycat asks the token server for nothing itself', async () => {
    // Get a push token for the repository the way a CI system would hand one to copycat.
    const scope = 'repository:bearer/app:pull,push';
    const res = await fetch(`${token.tokenRealm}?service=${encodeURIComponent(TOKEN_SERVICE)}&scope=${encodeURIComponent(scope)}`, {
      headers: { authorization: `Basic ${Buffer.from(`${token.username}:${token.password}`).toString('base64')}` },
    });
    assert.equal(res.status, 200);
    const bearer = ((await res.json()) as { token: string }).token;
    const requestsBefore = token.tokenRequests.length;
    const target = new DockerTarget({ registry: token.host, token: bearer });
    const engine = engineFor(target);
    try {
      const result = await engine.copier.copy(parseReference(`${source.host}/org/app:1.0`), parseReference(`${target.registry}/bearer/app:1.0`));
      assert.equal(result.digest, image.digest);
    } finally {
      await engine.close();
    }
    assert.equal(token.tokenRequests.length, requestsBefore, 'the given token was used as is');
    assert.equal(sha256(await skopeoInspectRaw(`${token.host}/bearer/app:1.0`, { creds: token })), image.digest);
  });

  it('insecure decides plain HTTP for a host the client would otherwise reach over TLS', async () => {
    // 0.0.0.0 reaches the loopback listener on Linux but is not one of the names the client treats as local.
    const host = open.host.replace('127.0.0.1', '0.0.0.0');
    const src = parseReference(`${source.host}/org/app:1.0`);
    const secure = engineFor(new DockerTarget({ registry: host }));
    try {
      // Without the flag the client speaks TLS to the plain-HTTP registry and fails the handshake.
      await assert.rejects(secure.copier.copy(src, parseReference(`${host}/tls/app:1.0`)), (err) => hasCode(err, 'NETWORK') && err.message.includes('https://0.0.0.0:'));
    } finally {
      await secure.close();
    }
    const plain = engineFor(new DockerTarget({ registry: host, insecure: true }));
    try {
      const result = await plain.copier.copy(src, parseReference(`${host}/plain/app:1.0`));
      assert.equal(result.digest, image.digest);
    } finally {
      await plain.close();
    }
    assert.equal(sha256(await skopeoInspectRaw(`${open.host}/plain/app:1.0`)), image.digest);
  });
});
