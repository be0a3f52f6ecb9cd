import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { computeDigest } from '../../oci/index.ts';
import { errorBody, startCannedServer, type CannedServer } from '../transport/canned-server.fixture.ts';
import { RegistryError } from '../transport/errors.ts';
import { RegistryClient } from './client.ts';

const blob = randomBytes(250);
const digest = computeDigest(blob);
const desc = { digest, size: blob.length };

/** A stream factory over `blob` that counts how often it was opened. */
function opener(): { open: () => Promise<Readable>; opened: () => number } {
  let n = 0;
  return {
    open: async () => {
      n++;
      return Readable.from([blob.subarray(0, 100), blob.subarray(100)]);
    },
    opened: () => n,
  };
}

/** Canned entries every upload needs: the ping and the upload start (Location with a query, like distribution's `_state`). */
function startEntries(repository: string) {
  let session = 0;
  return [
    { method: 'GET', path: '/v2/', reply: { status: 200, body: '{}' } },
    {
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/`,
      reply: (_req: unknown, res: import('node:http').ServerResponse) => {
        session++;
        res.writeHead(202, { location: `/v2/${repository}/blobs/uploads/s${session}?_state=opaque${session}`, 'docker-upload-uuid': `s${session}` }).end();
      },
    },
  ];
}

describe('RegistryClient.uploadBlob', () => {
  let server: CannedServer;
  let client: RegistryClient | undefined;
  const repo = (repository: string) => ({ registry: server.host, repository });

  before(async () => {
    server = await startCannedServer();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
  after(async () => {
    await server.close();
  });

  const newClient = (): RegistryClient => new RegistryClient({ transportOptions: { attempts: 1 } });

  it('sends a monolithic PUT with the whole body, its length, octet-stream type and the digest', async () => {
    server.add(...startEntries('mono'), { method: 'PUT', path: /^\/v2\/mono\/blobs\/uploads\/s\d+$/, reply: { status: 201, headers: { 'docker-content-digest': digest, location: `/v2/mono/blobs/${digest}` } } });
    client = newClient();
    const { open, opened } = opener();
    await client.uploadBlob(repo('mono'), desc, open);
    const [put] = server.seen('PUT', /^\/v2\/mono\//);
    assert.ok(put);
    assert.equal(put.headers['content-type'], 'application/octet-stream');
    assert.equal(put.headers['content-length'], String(blob.length));
    assert.equal(put.query.get('digest'), digest);
    assert.equal(put.query.get('_state'), 'opaque1', 'the Location query is kept');
    assert.ok(put.body.equals(blob));
    assert.equal(opened(), 1);
    assert.equal(server.seen('PATCH', /^\/v2\/mono\//).length, 0);
  });

  it('falls back to one streamed PATCH + empty PUT when the registry refuses a PUT with a body (405)', async () => {
    server.add(
      ...startEntries('stream'),
      { method: 'PUT', path: /^\/v2\/stream\/blobs\/uploads\//, when: (r) => r.body.length > 0, reply: { status: 405, body: errorBody('UNSUPPORTED') } },
      { method: 'PATCH', path: /^\/v2\/stream\/blobs\/uploads\//, reply: (req, res) => res.writeHead(202, { location: `${req.path}?_state=patched`, range: `0-${req.body.length - 1}` }).end() },
      { method: 'PUT', path: /^\/v2\/stream\/blobs\/uploads\//, when: (r) => r.body.length === 0, reply: { status: 201, headers: { 'docker-content-digest': digest } } },
    );
    client = newClient();
    const { open, opened } = opener();
    await client.uploadBlob(repo('stream'), desc, open);
    const calls = server.requests.filter((r) => r.path.startsWith('/v2/stream/')).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(calls, ['POST /v2/stream/blobs/uploads/', 'PUT /v2/stream/blobs/uploads/s1', 'POST /v2/stream/blobs/uploads/', 'PATCH /v2/stream/blobs/uploads/s2', 'PUT /v2/stream/blobs/uploads/s2']);
    const [patch] = server.seen('PATCH', /^\/v2\/stream\//);
    assert.ok(patch?.body.equals(blob));
    assert.equal(patch?.headers['content-type'], 'application/octet-stream');
    assert.equal(patch?.headers['content-range'], undefined, 'a streamed PATCH carries no Content-Range');
    const finalPut = server.seen('PUT', /^\/v2\/stream\//)[1];
    assert.equal(finalPut?.query.get('digest'), digest);
    assert.equal(finalPut?.query.get('_state'), 'patched', 'the PATCH answer’s Location is followed');
    assert.equal(finalPut?.body.length, 0);
    assert.equal(opened(), 2, 'each attempt re-opens the source');
  });

  it('sends Content-Range chunks in chunked mode and accepts ECR-style 201 answers to PATCH', async () => {
    server.add(
      ...startEntries('chunks'),
      { method: 'PATCH', path: /^\/v2\/chunks\/blobs\/uploads\//, reply: (req, res) => res.writeHead(201, { location: `${req.path}?after=${req.headers['content-range']}` }).end() },
      { method: 'PUT', path: /^\/v2\/chunks\/blobs\/uploads\//, reply: { status: 201, headers: { 'docker-content-digest': digest } } },
    );
    client = newClient();
    await client.uploadBlob(repo('chunks'), desc, opener().open, { mode: 'chunked', chunkSize: 100 });
    const patches = server.seen('PATCH', /^\/v2\/chunks\//);
    assert.deepEqual(patches.map((p) => p.headers['content-range']), ['0-99', '100-199', '200-249']);
    assert.deepEqual(patches.map((p) => p.headers['content-length']), ['100', '100', '50']);
    assert.ok(Buffer.concat(patches.map((p) => p.body)).equals(blob));
    // Each chunk goes to the Location the previous answer gave.
    assert.deepEqual(patches.map((p) => p.query.get('after')), [null, '0-99', '100-199']);
    const [put] = server.seen('PUT', /^\/v2\/chunks\//);
    assert.equal(put?.query.get('after'), '200-249');
    assert.equal(put?.query.get('digest'), digest);
  });

  it('does not try another mode when the registry says the digest is wrong (400 DIGEST_INVALID)', async () => {
    server.add(...startEntries('baddigest'), { method: 'PUT', path: /^\/v2\/baddigest\//, reply: { status: 400, body: errorBody('DIGEST_INVALID', 'provided digest did not match uploaded content') } });
    client = newClient();
    const { open, opened } = opener();
    await assert.rejects(client.uploadBlob(repo('baddigest'), desc, open), (err: unknown) => err instanceof RegistryError && err.code === 'DIGEST_INVALID' && err.status === 400);
    assert.equal(server.seen('POST', '/v2/baddigest/blobs/uploads/').length, 1);
    assert.equal(server.seen('PATCH', /^\/v2\/baddigest\//).length, 0);
    assert.equal(opened(), 1);
  });

  it('rejects a registry that commits the blob under another digest', async () => {
    server.add(...startEntries('otherdigest'), { method: 'PUT', path: /^\/v2\/otherdigest\//, reply: { status: 201, headers: { 'docker-content-digest': `sha256:${'0'.repeat(64)}` } } });
    client = newClient();
    await assert.rejects(client.uploadBlob(repo('otherdigest'), desc, opener().open), (err: unknown) => err instanceof RegistryError && err.code === 'DIGEST_INVALID');
  });

  it('fails with BLOB_UPLOAD_INVALID when the upload starts without a Location', async () => {
    server.add({ method: 'POST', path: '/v2/noloc/blobs/uploads/', reply: { status: 202 } });
    client = newClient();
    await assert.rejects(client.uploadBlob(repo('noloc'), desc, opener().open, { mode: 'monolithic' }), (err: unknown) => err instanceof RegistryError && err.code === 'BLOB_UPLOAD_INVALID');
  });

  it('answered every request from the table', () => {
    assert.deepEqual(server.unmatched.map((r) => `${r.method} ${r.path}`), []);
  });
});
