import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { errorBody, startCannedServer, type CannedServer, rejection } from '../transport/canned-server.fixture.ts';
import { Transport } from '../transport/transport.ts';
import { Authenticator, primaryRepository } from './authenticator.ts';
import { StaticCredentials, type Credential } from './credentials.ts';
import { basicHeader, fetchToken, isPrivateHost } from './token.ts';

const SERVICE = 'reg.test';
const REGISTRY = 'registry.example.com';

describe('Authenticator against a canned token server', () => {
  let token: CannedServer;
  const transport = new Transport({ attempts: 1 });
  // The token server is on loopback over plain HTTP: the registry must count as insecure for that.
  const authFor = (credential?: Credential): Authenticator =>
    new Authenticator(transport, new StaticCredentials(credential ? [[REGISTRY, credential]] : []), () => true);
  const challenge = (scope: string, error?: string): string =>
    `Bearer realm="${token.url}/token",service="${SERVICE}",scope="${scope}"${error ? `,error="${error}"` : ''}`;

  before(async () => {
    token = await startCannedServer();
    let n = 0;
    token.add(
      { method: 'POST', path: '/token', when: (r) => r.query.get('oauth') === 'yes', reply: (_r, res) => res.writeHead(200).end(JSON.stringify({ access_token: 'tok-post', expires_in: 300 })) },
      { method: 'POST', path: '/token', reply: { status: 404, body: 'no oauth here' } },
      { method: 'GET', path: '/token', when: (r) => r.headers.authorization === basicHeader('bob', 'wrong-pass'), reply: { status: 401, body: errorBody('UNAUTHORIZED', 'bad credentials') } },
      { method: 'GET', path: '/token', reply: (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `tok-${++n}`, expires_in: 300 })) },
    );
  });
  after(async () => {
    await transport.close();
    await token.close();
  });

  it('fetches a token with service and scopes, then serves it from the cache', async () => {
    token.requests.length = 0;
    const auth = authFor({ kind: 'basic', username: 'alice', password: 'pw' });
    const next = auth.onDenied(REGISTRY, 401, [challenge('repository:app:pull')], ['repository:app:pull'], false);
    assert.deepEqual(next, ['repository:app:pull']);
    const first = await auth.header(REGISTRY, ['repository:app:pull']);
    assert.match(first ?? '', /^Bearer tok-\d+$/);
    // Same scopes, duplicated: the cached token, no second request.
    assert.equal(await auth.header(REGISTRY, ['repository:app:pull', 'repository:app:pull']), first);
    assert.equal(token.requests.length, 1);
    const [req] = token.requests;
    assert.equal(req?.query.get('service'), SERVICE);
    assert.deepEqual(req?.query.getAll('scope'), ['repository:app:pull']);
    assert.equal(req?.headers.authorization, basicHeader('alice', 'pw'));
    // Another scope set is another token.
    assert.notEqual(await auth.header(REGISTRY, ['repository:other:pull']), first);
    assert.equal(token.requests.length, 2);
  });

  it('shares one token request between concurrent callers', async () => {
    token.requests.length = 0;
    const auth = authFor();
    auth.learn(REGISTRY, [challenge('')]);
    const all = await Promise.all([1, 2, 3].map(() => auth.header(REGISTRY, ['repository:app:pull'])));
    assert.equal(new Set(all).size, 1);
    assert.equal(token.requests.length, 1);
  });

  it('on insufficient_scope asks for the new scope first, keeping that order in the token request', async () => {
    token.requests.length = 0;
    const auth = authFor();
    auth.learn(REGISTRY, [challenge('repository:a/app:pull,push')]);
    const pushScopes = ['repository:a/app:pull,push'];
    await auth.header(REGISTRY, pushScopes);
    const next = auth.onDenied(REGISTRY, 401, [challenge('repository:z/base:pull', 'insufficient_scope')], pushScopes, true);
    assert.deepEqual(next, ['repository:z/base:pull', 'repository:a/app:pull,push']);
    await auth.header(REGISTRY, next ?? []);
    assert.deepEqual(token.requests.map((r) => r.query.getAll('scope')), [['repository:a/app:pull,push'], ['repository:z/base:pull', 'repository:a/app:pull,push']]);
  });

  it('forgets a refused token that had every scope and fetches a fresh one', async () => {
    token.requests.length = 0;
    const auth = authFor();
    auth.learn(REGISTRY, [challenge('repository:app:pull')]);
    const first = await auth.header(REGISTRY, ['repository:app:pull']);
    assert.deepEqual(auth.onDenied(REGISTRY, 401, [challenge('repository:app:pull')], ['repository:app:pull'], true), ['repository:app:pull']);
    const second = await auth.header(REGISTRY, ['repository:app:pull']);
    assert.notEqual(second, first);
    assert.equal(token.requests.length, 2);
  });

  it('uses the OAuth2 POST form for an identity token', async () => {
    token.requests.length = 0;
    const auth = authFor({ kind: 'identity-token', token: 'refresh-xyz' });
    auth.learn(REGISTRY, [`Bearer realm="${token.url}/token?oauth=yes",service="${SERVICE}"`]);
    assert.equal(await auth.header(REGISTRY, ['repository:app:pull', 'repository:lib:pull']), 'Bearer tok-post');
    assert.equal(token.requests.length, 1);
    const [post] = token.requests;
    assert.equal(post?.method, 'POST');
    assert.equal(post?.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(post?.body.toString('utf8'));
    assert.equal(form.get('grant_type'), 'refresh_token');
    assert.equal(form.get('refresh_token'), 'refresh-xyz');
    assert.equal(form.get('service'), SERVICE);
    assert.equal(form.get('scope'), 'repository:app:pull repository:lib:pull');
  });

  it('falls back to GET when the OAuth2 POST endpoint answers 404', async () => {
    token.requests.length = 0;
    const auth = authFor({ kind: 'identity-token', token: 'refresh-xyz' });
    auth.learn(REGISTRY, [challenge('repository:app:pull')]);
    assert.match((await auth.header(REGISTRY, ['repository:app:pull'])) ?? '', /^Bearer tok-\d+$/);
    assert.deepEqual(token.requests.map((r) => r.method), ['POST', 'GET']);
    assert.deepEqual(token.requests[1]?.query.getAll('scope'), ['repository:app:pull']);
  });

  it('turns a token-server 401 into UNAUTHORIZED naming the registry and never the password', async () => {
    const auth = authFor({ kind: 'basic', username: 'bob', password: 'wrong-pass' });
    auth.learn(REGISTRY, [challenge('repository:app:pull')]);
    const err = await rejection(() => auth.header(REGISTRY, ['repository:app:pull']));
    assert.ok(hasCode(err, 'UNAUTHORIZED'), String(err));
    assert.ok(err.message.includes(REGISTRY), err.message);
    const everything = `${err.message}\n${inspect(err, { depth: 10 })}`;
    assert.ok(!everything.includes('wrong-pass'), 'password leaked');
    assert.ok(!everything.includes(Buffer.from('bob:wrong-pass').toString('base64')), 'basic header leaked');
  });
});

describe('realm validation', () => {
  let token: CannedServer;
  const transport = new Transport({ attempts: 1 });

  before(async () => {
    token = await startCannedServer([{ method: 'GET', path: '/token', reply: { status: 200, body: JSON.stringify({ token: 'tok' }) } }]);
  });
  after(async () => {
    await transport.close();
    await token.close();
  });

  const request = (realm: string, registryInsecure: boolean) => ({
    registry: 'registry.example.com',
    challenge: { scheme: 'bearer', params: { realm, service: SERVICE } },
    scopes: ['repository:a:pull'],
    credential: { kind: 'basic', username: 'u', password: 'p' } as Credential,
    registryInsecure,
  });

  it('refuses a plain-http realm for a registry that is not insecure, without contacting it', async () => {
    const err = await rejection(() => fetchToken(transport, request(`${token.url}/token`, false)));
    assert.ok(hasCode(err, 'AUTH_FAILED'), String(err));
    assert.match(err.message, /registry\.example\.com/);
    assert.match(err.message, /not https/);
    assert.equal(token.requests.length, 0);
  });

  it('refuses an https realm on a private address for a public registry', async () => {
    for (const realm of ['https://127.0.0.1:1/token', 'https://10.0.0.8/token', 'https://169.254.169.254/latest', 'https://[::1]/t', 'https://localhost/t']) {
      const err = await rejection(() => fetchToken(transport, request(realm, false)));
      assert.ok(hasCode(err, 'AUTH_FAILED'), realm);
      assert.match(err.message, /private address/, realm);
    }
    assert.equal(token.requests.length, 0);
  });

  it('refuses a missing or malformed realm', async () => {
    assert.ok(hasCode(await rejection(() => fetchToken(transport, request('', false))), 'AUTH_FAILED'));
    assert.ok(hasCode(await rejection(() => fetchToken(transport, request('::not a url', false))), 'AUTH_FAILED'));
  });

  it('accepts a plain-http loopback realm when the registry itself is insecure', async () => {
    const got = await fetchToken(transport, request(`${token.url}/token`, true));
    assert.equal(got.token, 'tok');
    // No expires_in: the spec's 60 s default, refreshed early.
    assert.ok(got.expiresAt > Date.now() + 25_000 && got.expiresAt <= Date.now() + 60_000, String(got.expiresAt - Date.now()));
    assert.equal(token.requests.length, 1);
  });

  it('applies the check in the Authenticator too', async () => {
    token.requests.length = 0;
    const auth = new Authenticator(transport, new StaticCredentials(), () => false);
    auth.learn('registry.example.com', [`Bearer realm="${token.url}/token",service="${SERVICE}"`]);
    assert.ok(auth.knows('registry.example.com'));
    const err = await rejection(() => auth.header('registry.example.com', ['repository:a:pull']));
    assert.ok(hasCode(err, 'AUTH_FAILED'));
    assert.equal(token.requests.length, 0);
  });
});

describe('token bodies', () => {
  it('rejects a token server answer without a token or not in JSON', async () => {
    const t = await startCannedServer([
      { method: 'GET', path: '/empty', reply: { status: 200, body: '{"token":""}' } },
      { method: 'GET', path: '/html', reply: { status: 200, body: '<html>' } },
    ]);
    const transport = new Transport({ attempts: 1 });
    try {
      for (const path of ['/empty', '/html']) {
        const err = await rejection(() =>
          fetchToken(transport, { registry: 'r.example', challenge: { scheme: 'bearer', params: { realm: `${t.url}${path}` } }, scopes: [], credential: undefined, registryInsecure: true }),
        );
        assert.ok(hasCode(err, 'AUTH_FAILED'), path);
      }
    } finally {
      await transport.close();
      await t.close();
    }
  });
});

describe('Authenticator without a known challenge', () => {
  it('sends nothing before it learns, and nothing for a registry that needs no auth', async () => {
    const transport = new Transport();
    try {
      const auth = new Authenticator(transport, new StaticCredentials([['r.example', { kind: 'basic', username: 'u', password: 'p' }]]), () => false);
      assert.equal(await auth.header('r.example', ['repository:a:pull']), undefined);
      auth.learn('r.example', null);
      assert.ok(auth.knows('r.example'));
      assert.equal(await auth.header('r.example', ['repository:a:pull']), undefined);
      auth.learn('r.example', ['Basic realm="x"']);
      assert.equal(await auth.header('r.example', []), basicHeader('u', 'p'));
    } finally {
      await transport.close();
    }
  });

  it('sends a ready bearer credential as is', async () => {
    const transport = new Transport();
    try {
      const auth = new Authenticator(transport, new StaticCredentials([['r.example', { kind: 'bearer', token: 'ready' }]]), () => false);
      auth.learn('r.example', ['Bearer realm="https://auth.example/token"']);
      assert.equal(await auth.header('r.example', ['repository:a:pull']), 'Bearer ready');
    } finally {
      await transport.close();
    }
  });

  it('gives up on a 401 it cannot answer differently', async (t) => {
    const transport = new Transport();
    t.after(() => transport.close());
    const auth = new Authenticator(transport, new StaticCredentials(), () => false);
    assert.equal(auth.onDenied('r.example', 401, ['Negotiate'], ['repository:a:pull'], false), undefined);
    auth.learn('r.example', ['Basic realm="x"']);
    // Basic credentials were sent and refused: retrying with the same cannot help.
    assert.equal(auth.onDenied('r.example', 401, ['Basic realm="x"'], [], true), undefined);
  });
});

describe('isPrivateHost', () => {
  it('flags loopback, private, link-local and localhost names only', () => {
    for (const h of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '[::1]', 'fe80::1', 'fd00::1', 'localhost', 'a.localhost']) {
      assert.equal(isPrivateHost(h), true, h);
    }
    for (const h of ['8.8.8.8', '172.32.0.1', '172.15.0.1', 'registry.example.com', '2001:db8::1', 'fdexample.com']) {
      assert.equal(isPrivateHost(h), false, h);
    }
  });
});

describe('primaryRepository', () => {
  it('prefers the repository pushed to, else the first one read', () => {
    assert.equal(primaryRepository(['repository:src/app:pull', 'repository:dst/app:pull,push']), 'dst/app');
    assert.equal(primaryRepository(['repository:a/b:pull']), 'a/b');
    assert.equal(primaryRepository(['registry:catalog:*']), undefined);
    assert.equal(primaryRepository([]), undefined);
  });
});
