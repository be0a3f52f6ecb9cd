// The authentication flow end to end: RegistryClient + Authenticator + Transport against a canned
// registry and token server (the Authenticator alone is tested in ../auth/authenticator.test.ts).
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, afterEach, before, describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { computeDigest } from '../../oci/index.ts';
import { StaticCredentials, type Credential } from '../auth/credentials.ts';
import { basicHeader } from '../auth/token.ts';
import { errorBody, startCannedServer, type CannedServer, type SeenRequest, rejection } from '../transport/canned-server.fixture.ts';
import { RegistryClient } from './client.ts';

const SERVICE = 'reg.test';
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 2 },
    layers: [],
  }),
);
const MANIFEST_DIGEST = computeDigest(MANIFEST);
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** A `WWW-Authenticate` bearer challenge pointing at `token`. */
function bearer(token: CannedServer, scope: string, error?: string): string {
  return `Bearer realm="${token.url}/token",service="${SERVICE}",scope="${scope}"${error ? `,error="${error}"` : ''}`;
}

/** Token requests as the token server saw them. */
function tokenCalls(token: CannedServer): SeenRequest[] {
  return token.seen('GET', '/token').concat(token.seen('POST', '/token')).sort((a, b) => token.requests.indexOf(a) - token.requests.indexOf(b));
}

/** Answers token GETs with `tok-1`, `tok-2`, … */
function issueTokens(token: CannedServer): void {
  let n = 0;
  token.add({ method: 'GET', path: '/token', reply: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `tok-${++n}`, expires_in: 300 })) });
}

describe('Authenticator with a canned registry and token server', () => {
  let registry: CannedServer;
  let token: CannedServer;
  let client: RegistryClient | undefined;

  const newClient = (credential?: Credential): RegistryClient =>
    new RegistryClient({ credentials: new StaticCredentials(credential ? [[registry.host, credential]] : []), transportOptions: { attempts: 2, backoff: { initialMs: 1, maxMs: 2 } } });

  before(async () => {
    [registry, token] = await Promise.all([startCannedServer(), startCannedServer()]);
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
  after(async () => {
    await Promise.all([registry.close(), token.close()]);
  });

  it('goes anonymous first, fetches a token for the challenged scope on 401, retries with it and caches it', async () => {
    issueTokens(token);
    registry.add({
      method: 'GET',
      path: '/v2/app/manifests/v1',
      reply: (req, res) => {
        if (req.headers.authorization === 'Bearer tok-1') res.writeHead(200, { 'content-type': MANIFEST_TYPE, 'docker-content-digest': MANIFEST_DIGEST }).end(MANIFEST);
        else res.writeHead(401, { 'www-authenticate': bearer(token, 'repository:app:pull') }).end(errorBody('UNAUTHORIZED'));
      },
    });
    client = newClient();
    const repo = { registry: registry.host, repository: 'app' };
    const first = await client.getManifest(repo, 'v1');
    assert.equal(first.digest, MANIFEST_DIGEST);
    const second = await client.getManifest(repo, 'v1');
    assert.equal(second.digest, MANIFEST_DIGEST);

    assert.deepEqual(registry.seen('GET', '/v2/app/manifests/v1').map((r) => r.headers.authorization), [undefined, 'Bearer tok-1', 'Bearer tok-1']);
    const calls = tokenCalls(token);
    assert.equal(calls.length, 1, 'the second manifest GET reuses the cached token');
    assert.equal(calls[0]?.query.get('service'), SERVICE);
    assert.deepEqual(calls[0]?.query.getAll('scope'), ['repository:app:pull']);
    assert.equal(calls[0]?.headers.authorization, undefined, 'anonymous token request');
    assert.deepEqual(registry.unmatched, []);
  });

  it('asks for the scope an insufficient_scope answer names, new scope first, and retries the push', async () => {
    token.requests.length = 0;
    registry.add({
      method: 'PUT',
      path: '/v2/a/app/manifests/v1',
      reply: (req, res) => {
        switch (req.headers.authorization) {
          case undefined:
            res.writeHead(401, { 'www-authenticate': bearer(token, 'repository:a/app:pull,push') }).end();
            return;
          case 'Bearer tok-2':
            // Sorted, this scope would come last: the registry reads only the first scope parameter.
            res.writeHead(401, { 'www-authenticate': bearer(token, 'repository:z/base:pull', 'insufficient_scope') }).end();
            return;
          case 'Bearer tok-3':
            res.writeHead(201, { 'docker-content-digest': MANIFEST_DIGEST }).end();
            return;
          default:
            res.writeHead(403).end(errorBody('DENIED'));
        }
      },
    });
    client = newClient();
    const digest = await client.putManifest({ registry: registry.host, repository: 'a/app' }, 'v1', MANIFEST, MANIFEST_TYPE);
    assert.equal(digest, MANIFEST_DIGEST);
    const calls = tokenCalls(token);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[0]?.query.getAll('scope'), ['repository:a/app:pull,push']);
    assert.deepEqual(calls[1]?.query.getAll('scope'), ['repository:z/base:pull', 'repository:a/app:pull,push']);
    assert.deepEqual(registry.seen('PUT', '/v2/a/app/manifests/v1').map((r) => r.headers.authorization), [undefined, 'Bearer tok-2', 'Bearer tok-3']);
  });

  it('refetches once when the registry refuses a token that had the scopes (expired early)', async () => {
    token.requests.length = 0;
    registry.add({
      method: 'GET',
      path: '/v2/exp/manifests/v1',
      reply: (req, res) => {
        if (req.headers.authorization === 'Bearer tok-5') res.writeHead(200, { 'content-type': MANIFEST_TYPE }).end(MANIFEST);
        else res.writeHead(401, { 'www-authenticate': bearer(token, 'repository:exp:pull') }).end();
      },
    });
    client = newClient();
    const m = await client.getManifest({ registry: registry.host, repository: 'exp' }, 'v1');
    assert.equal(m.digest, MANIFEST_DIGEST);
    assert.deepEqual(registry.seen('GET', '/v2/exp/manifests/v1').map((r) => r.headers.authorization), [undefined, 'Bearer tok-4', 'Bearer tok-5']);
    assert.equal(tokenCalls(token).length, 2);
  });

  it('answers a basic challenge with Basic credentials and never calls a token server', async () => {
    token.requests.length = 0;
    const credential: Credential = { kind: 'basic', username: 'alice', password: 'p@ss:word' };
    const expected = `Basic ${Buffer.from('alice:p@ss:word').toString('base64')}`;
    registry.add({
      method: 'GET',
      path: '/v2/basic/manifests/v1',
      reply: (req, res) => {
        if (req.headers.authorization === expected) res.writeHead(200, { 'content-type': MANIFEST_TYPE }).end(MANIFEST);
        else res.writeHead(401, { 'www-authenticate': 'Negotiate, Basic realm="Registry Realm"' }).end();
      },
    });
    client = newClient(credential);
    await client.getManifest({ registry: registry.host, repository: 'basic' }, 'v1');
    assert.deepEqual(registry.seen('GET', '/v2/basic/manifests/v1').map((r) => r.headers.authorization), [undefined, expected]);
    assert.equal(token.requests.length, 0);
    assert.equal(basicHeader('alice', 'p@ss:word'), expected);
  });

  it('exchanges an identity token with the OAuth2 POST form', async () => {
    const t = await startCannedServer([
      { method: 'POST', path: '/token', reply: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: 'tok-post', expires_in: 60 }) } },
    ]);
    try {
      registry.add({
        method: 'GET',
        path: '/v2/idt/manifests/v1',
        reply: (req, res) => {
          if (req.headers.authorization === 'Bearer tok-post') res.writeHead(200, { 'content-type': MANIFEST_TYPE }).end(MANIFEST);
          else res.writeHead(401, { 'www-authenticate': bearer(t, 'repository:idt:pull') }).end();
        },
      });
      client = newClient({ kind: 'identity-token', token: 'refresh-xyz' });
      await client.getManifest({ registry: registry.host, repository: 'idt' }, 'v1');
      const [post] = t.seen('POST', '/token');
      assert.ok(post);
      assert.equal(post.headers['content-type'], 'application/x-www-form-urlencoded');
      const form = new URLSearchParams(post.body.toString('utf8'));
      assert.equal(form.get('grant_type'), 'refresh_token');
      assert.equal(form.get('refresh_token'), 'refresh-xyz');
      assert.equal(form.get('service'), SERVICE);
      assert.equal(form.get('scope'), 'repository:idt:pull');
      assert.ok(form.get('client_id'));
      assert.equal(t.seen('GET', '/token').length, 0);
      assert.equal(registry.seen('GET', '/v2/idt/manifests/v1').at(-1)?.headers.authorization, 'Bearer tok-post');
    } finally {
      await t.close();
    }
  });

  it('falls back to the GET token flow when the OAuth2 POST endpoint is missing (404)', async () => {
    const t = await startCannedServer([
      { method: 'POST', path: '/token', reply: { status: 404, body: 'not found' } },
      { method: 'GET', path: '/token', reply: { status: 200, body: JSON.stringify({ token: 'tok-get' }) } },
    ]);
    try {
      registry.add({
        method: 'GET',
        path: '/v2/fallback/manifests/v1',
        reply: (req, res) => {
          if (req.headers.authorization === 'Bearer tok-get') res.writeHead(200, { 'content-type': MANIFEST_TYPE }).end(MANIFEST);
          else res.writeHead(401, { 'www-authenticate': bearer(t, 'repository:fallback:pull') }).end();
        },
      });
      client = newClient({ kind: 'identity-token', token: 'refresh-xyz' });
      await client.getManifest({ registry: registry.host, repository: 'fallback' }, 'v1');
      assert.deepEqual(t.requests.map((r) => r.method), ['POST', 'GET']);
      assert.deepEqual(t.requests[1]?.query.getAll('scope'), ['repository:fallback:pull']);
      assert.equal(registry.seen('GET', '/v2/fallback/manifests/v1').at(-1)?.headers.authorization, 'Bearer tok-get');
    } finally {
      await t.close();
    }
  });

  it('reports a refused token request as UNAUTHORIZED naming the registry, never the password', async () => {
    const password = 'Sup3r-S3cret-pw';
    const t = await startCannedServer([
      { method: 'GET', path: '/token', reply: { status: 401, headers: { 'www-authenticate': 'Basic realm="auth"' }, body: errorBody('UNAUTHORIZED', 'bad credentials') } },
    ]);
    try {
      registry.add({ method: 'GET', path: '/v2/denied/manifests/v1', reply: { status: 401, headers: { 'www-authenticate': bearer(t, 'repository:denied:pull') } } });
      const c = (client = newClient({ kind: 'basic', username: 'bob', password }));
      const err = await rejection(() => c.getManifest({ registry: registry.host, repository: 'denied' }, 'v1'));
      assert.ok(hasCode(err, 'UNAUTHORIZED'), String(err));
      assert.ok(err.message.includes(registry.host), err.message);
      const everything = `${err.message}\n${inspect(err, { depth: 10 })}`;
      assert.ok(!everything.includes(password), 'password leaked');
      assert.ok(!everything.includes(Buffer.from(`bob:${password}`).toString('base64')), 'basic header leaked');
      // The token server did get the credentials, as Basic, once (401 is not retried).
      assert.equal(t.requests.length, 1);
      assert.equal(t.requests[0]?.headers.authorization, basicHeader('bob', password));
    } finally {
      await t.close();
    }
  });
});
