import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { computeDigest, MANIFEST_ACCEPT } from '../../oci/index.ts';
import { errorBody, startCannedServer, type CannedServer, rejection } from '../transport/canned-server.fixture.ts';
import { RegistryError } from '../transport/errors.ts';
import { RegistryClient } from './client.ts';
import type { RateLimitInfo } from './rate-limit.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A small valid OCI image manifest; `extra` changes its bytes (and digest). */
function manifest(extra = ''): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 },
      layers: [],
      ...(extra ? { annotations: { note: extra } } : {}),
    }),
  );
}

describe('RegistryClient against a canned registry', () => {
  let server: CannedServer;
  let client: RegistryClient;
  const limits: Array<[string, RateLimitInfo]> = [];
  const good = manifest();
  const goodDigest = computeDigest(good);
  const tampered = manifest('tampered');
  const repo = (repository: string) => ({ registry: server.host, repository });

  before(async () => {
    server = await startCannedServer([
      { method: 'GET', path: '/v2/app/manifests/v1', reply: { status: 200, headers: { 'content-type': `${OCI_MANIFEST}; charset=utf-8`, 'docker-content-digest': goodDigest, 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' }, body: good } },
      { method: 'GET', path: `/v2/app/manifests/${goodDigest}`, reply: { status: 200, headers: { 'content-type': OCI_MANIFEST }, body: tampered } },
      { method: 'GET', path: '/v2/app/manifests/lying', reply: { status: 200, headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': goodDigest }, body: tampered } },
      {
        method: 'GET',
        path: '/v2/big/manifests/declared',
        reply: (_req, res) => {
          res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': '5000' });
          res.end(Buffer.alloc(5000, 0x20));
        },
      },
      {
        method: 'GET',
        path: '/v2/big/manifests/streamed',
        reply: (_req, res) => {
          // No Content-Length: chunked transfer, so only counting the bytes can catch it.
          res.writeHead(200, { 'content-type': OCI_MANIFEST });
          for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1000, 0x20));
          res.end();
        },
      },
      { method: 'HEAD', path: '/v2/app/manifests/missing', reply: { status: 404 } },
      { method: 'HEAD', path: '/v2/app/manifests/v1', reply: { status: 200, headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': goodDigest, 'content-length': String(good.length) } } },
      { method: 'HEAD', path: '/v2/app/manifests/nodigest', reply: { status: 200, headers: { 'content-type': OCI_MANIFEST, 'content-length': String(good.length) } } },
      { method: 'GET', path: '/v2/app/manifests/nodigest', reply: { status: 200, headers: { 'content-type': OCI_MANIFEST }, body: good } },
      { method: 'HEAD', path: '/v2/app/manifests/private', reply: { status: 403, headers: { 'content-type': 'application/json' } } },
      // Tags: three pages, a relative and an absolute Link, then a page that links to itself.
      { method: 'GET', path: '/v2/app/tags/list', when: (r) => !r.query.has('last'), reply: { status: 200, headers: { link: '</v2/app/tags/list?n=1000&last=b>; rel="next"' }, body: JSON.stringify({ name: 'app', tags: ['a', 'b'] }) } },
      { method: 'GET', path: '/v2/app/tags/list', when: (r) => r.query.get('last') === 'b', reply: (_r, res) => res.writeHead(200, { link: `<${server.url}/v2/app/tags/list?n=1000&last=d>; rel="next"` }).end(JSON.stringify({ tags: ['c', 'd'] })) },
      { method: 'GET', path: '/v2/app/tags/list', when: (r) => r.query.get('last') === 'd', reply: { status: 200, body: JSON.stringify({ tags: ['e'] }) } },
      { method: 'GET', path: '/v2/loop/tags/list', when: (r) => !r.query.has('last'), reply: { status: 200, headers: { link: '</v2/loop/tags/list?n=1000&last=x>; rel="next"' }, body: JSON.stringify({ tags: ['x'] }) } },
      { method: 'GET', path: '/v2/loop/tags/list', reply: { status: 200, headers: { link: '</v2/loop/tags/list?n=1000&last=x>; rel="next"' }, body: JSON.stringify({ tags: ['y'] }) } },
      { method: 'GET', path: '/v2/gone/tags/list', reply: { status: 404, body: errorBody('NAME_UNKNOWN') } },
      { method: 'PUT', path: '/v2/app/manifests/v1', reply: { status: 201, headers: { 'docker-content-digest': goodDigest, location: `/v2/app/manifests/${goodDigest}` } } },
      { method: 'PUT', path: '/v2/rewriter/manifests/v1', reply: { status: 201, headers: { 'docker-content-digest': computeDigest(tampered) } } },
      { method: 'PUT', path: '/v2/refuses/manifests/v1', reply: { status: 400, body: errorBody('MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry') } },
      { method: 'HEAD', path: `/v2/app/blobs/sha256:${'1'.repeat(64)}`, reply: { status: 200, headers: { 'content-length': '1234' } } },
      { method: 'HEAD', path: `/v2/app/blobs/sha256:${'2'.repeat(64)}`, reply: { status: 404 } },
      { method: 'POST', path: '/v2/app/blobs/uploads/', when: (r) => r.query.get('from') === 'mounted', reply: { status: 201 } },
      { method: 'POST', path: '/v2/app/blobs/uploads/', when: (r) => r.query.get('from') === 'other', reply: { status: 202, headers: { location: '/v2/app/blobs/uploads/session-1' } } },
      { method: 'DELETE', path: '/v2/app/blobs/uploads/session-1', reply: { status: 204 } },
    ]);
    client = new RegistryClient({ transportOptions: { attempts: 2, backoff: { initialMs: 1, maxMs: 2 } }, maxManifestBytes: 4096, onRateLimit: (r, info) => limits.push([r, info]) });
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('sends the full Accept list on a manifest GET and returns the exact bytes', async () => {
    const m = await client.getManifest(repo('app'), 'v1');
    assert.ok(m.bytes.equals(good));
    assert.equal(m.digest, goodDigest);
    assert.equal(m.mediaType, OCI_MANIFEST);
    assert.equal(m.size, good.length);
    const accept = server.seen('GET', '/v2/app/manifests/v1')[0]?.headers.accept;
    assert.equal(accept, MANIFEST_ACCEPT.join(', '));
    for (const mt of ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', OCI_MANIFEST, 'application/vnd.docker.distribution.manifest.v2+json']) {
      assert.ok(accept?.split(', ').includes(mt), mt);
    }
  });

  it('reports the rate-limit headers it saw', () => {
    assert.deepEqual(limits.find(([r]) => r === server.host)?.[1], { limit: 100, remaining: 76, windowSeconds: 21600 });
  });

  it('fails with DIGEST_MISMATCH when bytes fetched by digest hash to something else', async () => {
    const err = await rejection(() => client.getManifest(repo('app'), goodDigest));
    assert.ok(hasCode(err, 'DIGEST_MISMATCH'), String(err));
    assert.ok(err.message.includes(goodDigest));
    // The digest goes into the path raw, as the spec writes it (not `sha256%3A…`).
    assert.equal(server.seen('GET', `/v2/app/manifests/${goodDigest}`).length, 1);
  });

  it('fails with DIGEST_MISMATCH when Docker-Content-Digest disagrees with the bytes of a tag', async () => {
    const err = await rejection(() => client.getManifest(repo('app'), 'lying'));
    assert.ok(hasCode(err, 'DIGEST_MISMATCH'), String(err));
  });

  it('refuses a manifest over maxManifestBytes by its Content-Length', async () => {
    const err = await rejection(() => client.getManifest(repo('big'), 'declared'));
    assert.ok(hasCode(err, 'MANIFEST_TOO_LARGE'), String(err));
    assert.match(err.message, /5000 bytes/);
  });

  it('refuses a manifest over maxManifestBytes while streaming when no length is declared', async () => {
    const err = await rejection(() => client.getManifest(repo('big'), 'streamed'));
    assert.ok(hasCode(err, 'MANIFEST_TOO_LARGE'), String(err));
    assert.match(err.message, /4096-byte limit/);
  });

  it('HEAD: undefined for a missing manifest, the descriptor for a present one', async () => {
    assert.equal(await client.headManifest(repo('app'), 'missing'), undefined);
    assert.deepEqual(await client.headManifest(repo('app'), 'v1'), { mediaType: OCI_MANIFEST, digest: goodDigest, size: good.length });
    assert.equal(server.seen('HEAD', '/v2/app/manifests/v1')[0]?.headers.accept, MANIFEST_ACCEPT.join(', '));
  });

  it('HEAD: learns the digest from a GET when the registry omits Docker-Content-Digest', async () => {
    assert.deepEqual(await client.headManifest(repo('app'), 'nodigest'), { mediaType: OCI_MANIFEST, digest: goodDigest, size: good.length });
    assert.equal(server.seen('GET', '/v2/app/manifests/nodigest').length, 1);
  });

  it('HEAD: other failures throw a RegistryError with the status code', async () => {
    const err = await rejection(() => client.headManifest(repo('app'), 'private'));
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'DENIED');
    assert.equal(err.status, 403);
  });

  it('lists tags across three Link-paginated pages', async () => {
    assert.deepEqual(await client.listTags(repo('app')), ['a', 'b', 'c', 'd', 'e']);
    const pages = server.seen('GET', '/v2/app/tags/list');
    assert.equal(pages.length, 3);
    assert.deepEqual(pages.map((p) => p.query.get('last')), [null, 'b', 'd']);
    assert.equal(pages[0]?.query.get('n'), '1000');
  });

  it('stops when a page links to itself', async () => {
    assert.deepEqual(await client.listTags(repo('loop')), ['x', 'y']);
    assert.equal(server.seen('GET', '/v2/loop/tags/list').length, 2);
  });

  it('surfaces a missing repository as NAME_UNKNOWN when listing tags', async () => {
    const err = await rejection(() => client.listTags(repo('gone')));
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'NAME_UNKNOWN');
    assert.equal(err.notFound, true);
  });

  it('PUTs manifest bytes unchanged with their media type and returns their digest', async () => {
    assert.equal(await client.putManifest(repo('app'), 'v1', good, OCI_MANIFEST), goodDigest);
    const [put] = server.seen('PUT', '/v2/app/manifests/v1');
    assert.ok(put?.body.equals(good));
    assert.equal(put?.headers['content-type'], OCI_MANIFEST);
  });

  it('rejects a registry that stores the manifest under another digest', async () => {
    const err = await rejection(() => client.putManifest(repo('rewriter'), 'v1', good, OCI_MANIFEST));
    assert.ok(hasCode(err, 'DIGEST_MISMATCH'), String(err));
    assert.ok(err.message.includes(goodDigest));
  });

  it('passes the registry error code of a refused PUT through', async () => {
    const err = await rejection(() => client.putManifest(repo('refuses'), 'v1', good, OCI_MANIFEST));
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'MANIFEST_BLOB_UNKNOWN');
    assert.equal(err.status, 400);
  });

  it('HEADs blobs: size when present, undefined when not', async () => {
    assert.equal(await client.headBlob(repo('app'), `sha256:${'1'.repeat(64)}`), 1234);
    assert.equal(await client.headBlob(repo('app'), `sha256:${'2'.repeat(64)}`), undefined);
  });

  it('mounts a blob (201) and cancels the session a registry opens instead (202)', async () => {
    const digest = `sha256:${'3'.repeat(64)}`;
    assert.equal(await client.mountBlob(repo('app'), digest, repo('mounted')), true);
    const [mount] = server.seen('POST', '/v2/app/blobs/uploads/');
    assert.equal(mount?.query.get('mount'), digest);
    assert.equal(await client.mountBlob(repo('app'), digest, repo('other')), false);
    assert.equal(server.seen('DELETE', '/v2/app/blobs/uploads/session-1').length, 1);
    // A mount from the same repository or another registry is pointless and sends nothing.
    const before = server.requests.length;
    assert.equal(await client.mountBlob(repo('app'), digest, repo('app')), false);
    assert.equal(await client.mountBlob(repo('app'), digest, { registry: 'elsewhere.example', repository: 'x' }), false);
    assert.equal(server.requests.length, before);
  });

  it('answered every request from the table', () => {
    assert.deepEqual(server.unmatched.map((r) => `${r.method} ${r.path}`), []);
  });
});
