/**
 * Proves the test-support parts work against the real registry: every fixture kind pushed in
 * every auth mode reads back through skopeo with the digest we pushed, auth is really enforced,
 * and the fault proxy fires exactly the faults it was told to.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type RegistryAuthMode, type RunningRegistry } from './registry.ts';
import { startFaultProxy, type FaultProxy } from './proxy.ts';
import {
  buildImage,
  buildIndex,
  buildSchema1,
  cannedManifest,
  descriptorOf,
  makeLayer,
  MEDIA_TYPES,
  oversizeManifest,
  pushDockerManifestList,
  pushImage,
  pushMultiArchIndex,
  pushNestedIndex,
  pushSchema1,
  pushSchema2Image,
  pushSharedBaseImages,
  type ImageFixture,
  type IndexFixture,
} from './fixtures.ts';
import { blobExists, fetchManifest, pushBlob, pushManifest, registryFetch, RegistryHttpError } from './push-client.ts';
import { sha256, skopeoCopy, skopeoInspectConfigRaw, skopeoInspectRaw, skopeoListTags, skopeoSync } from './skopeo.ts';

/** Registry digest of a signed schema1 document, computed independently from its protected header. */
function schema1PayloadDigest(raw: Buffer): string {
  const doc = JSON.parse(raw.toString('utf8')) as { signatures: Array<{ protected: string }> };
  const header = JSON.parse(Buffer.from(doc.signatures[0]!.protected, 'base64url').toString('utf8')) as {
    formatLength: number;
    formatTail: string;
  };
  return sha256(Buffer.concat([raw.subarray(0, header.formatLength), Buffer.from(header.formatTail, 'base64url')]));
}

async function assertSkopeoSees(reg: RunningRegistry, ref: string, digest: string): Promise<void> {
  const raw = await skopeoInspectRaw(`${reg.host}/${ref}`, { creds: reg });
  assert.equal(sha256(raw), digest, `skopeo read ${ref}`);
}

/** Checks every child of an index by digest with the fetch client, and the first one with skopeo. */
async function assertChildrenPresent(reg: RunningRegistry, index: IndexFixture): Promise<void> {
  const children: Array<ImageFixture | IndexFixture> = [...index.manifests, ...index.attestations, ...index.indexes];
  for (const child of children) {
    const served = await fetchManifest(reg, index.repo!, child.digest);
    assert.equal(sha256(served.raw), child.digest);
    assert.equal(served.mediaType, child.mediaType);
  }
  const first = children[0]!;
  await assertSkopeoSees(reg, `${index.repo}@${first.digest}`, first.digest);
}

const MODES: readonly RegistryAuthMode[] = ['none', 'basic', 'token'];

for (const mode of MODES) {
  describe(`fixtures against distribution with auth=${mode}`, () => {
    let reg: RunningRegistry;
    before(async () => {
      reg = await startRegistry({ auth: mode, anonymousPull: /^public\// });
    });
    after(() => reg?.stop());

    it('pushes an OCI image byte-exactly (manifest, config and layers)', async () => {
      const image = await pushImage(reg, 'fx/oci', { tag: 'v1', layers: [2048, 300] });
      assert.equal(image.mediaType, MEDIA_TYPES.ociManifest);
      await assertSkopeoSees(reg, 'fx/oci:v1', image.digest);
      await assertSkopeoSees(reg, `fx/oci@${image.digest}`, image.digest);
      const config = await skopeoInspectConfigRaw(`${reg.host}/fx/oci:v1`, { creds: reg });
      assert.equal(sha256(config), image.config.digest);
      for (const layer of image.layers) assert.equal(await blobExists(reg, 'fx/oci', layer.digest), true);
      assert.equal(await blobExists(reg, 'fx/oci', sha256('never pushed')), false);
    });

    it('pushes a Docker schema2 image', async () => {
      const image = await pushSchema2Image(reg, 'fx/schema2', { tag: 'v1' });
      assert.equal(image.mediaType, MEDIA_TYPES.dockerManifest);
      assert.equal(image.config.mediaType, MEDIA_TYPES.dockerConfig);
      await assertSkopeoSees(reg, 'fx/schema2:v1', image.digest);
    });

    it('pushes a 4-platform OCI index with 2 BuildKit attestation manifests', async () => {
      const index = await pushMultiArchIndex(reg, 'fx/multi', { tag: 'v1' });
      assert.equal(index.manifests.length, 4);
      assert.equal(index.attestations.length, 2);
      await assertSkopeoSees(reg, 'fx/multi:v1', index.digest);
      const parsed = JSON.parse(index.raw.toString('utf8')) as { manifests: Array<{ annotations?: Record<string, string>; platform: { os: string } }> };
      const attestationEntries = parsed.manifests.filter((m) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest');
      assert.deepEqual(
        attestationEntries.map((m) => m.annotations?.['vnd.docker.reference.digest']),
        index.manifests.slice(0, 2).map((m) => m.digest),
      );
      assert.ok(attestationEntries.every((m) => m.platform.os === 'unknown'));
      assert.ok(index.attestations.every((a) => a.layers.every((l) => l.mediaType === MEDIA_TYPES.inToto)));
      await assertChildrenPresent(reg, index);
    });

    it('pushes a Docker manifest list', async () => {
      const list = await pushDockerManifestList(reg, 'fx/list', { tag: 'v1', platforms: ['linux/amd64', 'linux/arm/v7'] });
      assert.equal(list.mediaType, MEDIA_TYPES.dockerList);
      await assertSkopeoSees(reg, 'fx/list:v1', list.digest);
      await assertChildrenPresent(reg, list);
    });

    it('pushes an index whose child is an index (distribution 2.8 accepts it)', async () => {
      const nested = await pushNestedIndex(reg, 'fx/nested', { tag: 'v1' });
      assert.equal(nested.indexes.length, 1);
      assert.equal(nested.indexes[0]!.mediaType, MEDIA_TYPES.ociIndex);
      await assertSkopeoSees(reg, 'fx/nested:v1', nested.digest);
      await assertChildrenPresent(reg, nested);
    });
  });
}

describe('auth is enforced', () => {
  let basic: RunningRegistry;
  let token: RunningRegistry;
  before(async () => {
    [basic, token] = await Promise.all([startRegistry({ auth: 'basic' }), startRegistry({ auth: 'token', anonymousPull: /^public\// })]);
  });
  after(async () => {
    await Promise.all([basic?.stop(), token?.stop()]);
  });

  it('basic: refuses anonymous and wrong-password requests', async () => {
    const anonymous = await fetch(`${basic.url}/v2/`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    await assert.rejects(pushBlob({ url: basic.url, username: basic.username!, password: 'wrong' }, 'x/y', Buffer.from('a')), (err: unknown) => {
      return err instanceof RegistryHttpError && err.status === 401;
    });
  });

  it('token: anonymous push is refused, anonymous pull works only where allowed', async () => {
    await assert.rejects(pushBlob({ url: token.url }, 'private/app', Buffer.from('anon')), (err: unknown) => {
      return err instanceof RegistryHttpError && err.status === 401;
    });
    const anonymousRequest = token.tokenRequests.find((r) => r.user === undefined && r.scope === 'repository:private/app:pull,push');
    assert.ok(anonymousRequest, 'the anonymous token request was recorded');
    assert.deepEqual(anonymousRequest.granted, []);

    const pub = await pushImage(token, 'public/app', { tag: 'v1' });
    const priv = await pushImage(token, 'private/app', { tag: 'v1' });
    const served = await fetchManifest({ url: token.url }, 'public/app', 'v1');
    assert.equal(sha256(served.raw), pub.digest);
    await assert.rejects(fetchManifest({ url: token.url }, 'private/app', 'v1'), (err: unknown) => err instanceof RegistryHttpError && err.status === 401);
    assert.equal(sha256(await skopeoInspectRaw(`${token.host}/public/app:v1`)), pub.digest);
    assert.equal(sha256(await skopeoInspectRaw(`${token.host}/private/app:v1`, { creds: token })), priv.digest);

    const userPush = token.tokenRequests.find((r) => r.user === token.username && r.scope === 'repository:private/app:pull,push');
    assert.deepEqual(userPush?.granted, [{ type: 'repository', name: 'private/app', actions: ['pull', 'push'] }]);
    assert.equal(userPush?.service, token.service);
  });

  it('token: OAuth2 password and refresh_token grants work, bad passwords do not', async () => {
    const post = (form: Record<string, string>): Promise<Response> =>
      fetch(token.tokenRealm!, { method: 'POST', body: new URLSearchParams(form) });
    const scope = 'repository:oauth/app:pull';
    const first = await post({ grant_type: 'password', username: token.username!, password: token.password!, service: token.service!, scope, client_id: 'test' });
    assert.equal(first.status, 200);
    const body = (await first.json()) as { access_token: string; refresh_token: string; expires_in: number; issued_at: string };
    assert.ok(body.refresh_token.length > 10);
    assert.equal(typeof body.expires_in, 'number');
    const ping = await fetch(`${token.url}/v2/`, { headers: { authorization: `Bearer ${body.access_token}` } });
    assert.equal(ping.status, 200);

    const refreshed = await post({ grant_type: 'refresh_token', refresh_token: body.refresh_token, service: token.service!, scope });
    assert.equal(refreshed.status, 200);
    const bad = await post({ grant_type: 'password', username: token.username!, password: 'nope', service: token.service!, scope });
    assert.equal(bad.status, 400);

    const posts = token.tokenRequests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => [r.grantType, r.status, r.user]),
      [['password', 200, token.username], ['refresh_token', 200, token.username], ['password', 400, undefined]],
    );
  });
});

describe('more fixtures (no auth)', () => {
  let reg: RunningRegistry;
  let schema1Reg: RunningRegistry;
  before(async () => {
    [reg, schema1Reg] = await Promise.all([
      startRegistry(),
      startRegistry({ extraConfig: { compatibility: { schema1: { enabled: true } } } }),
    ]);
  });
  after(async () => {
    await Promise.all([reg?.stop(), schema1Reg?.stop()]);
  });

  it('pushes 50 images in 50 repositories sharing one base layer', async () => {
    const { base, images } = await pushSharedBaseImages(reg, 50, { baseLayerSize: 8192 });
    assert.equal(images.length, 50);
    assert.equal(new Set(images.map((i) => i.repo)).size, 50);
    assert.ok(images.every((i) => i.layers[0]!.digest === base.digest && i.layers.length === 2));
    assert.equal(new Set(images.map((i) => i.layers[1]!.digest)).size, 50);
    await assertSkopeoSees(reg, `${images[0]!.repo}:v1`, images[0]!.digest);
    await assertSkopeoSees(reg, `${images[49]!.repo}:v1`, images[49]!.digest);
  });

  it('pushes a signed schema1 manifest when the registry enables schema1, and reports its payload digest', async () => {
    const manifest = await pushSchema1(schema1Reg, 'legacy/app', { tag: 'v1', layers: [128, 64] });
    assert.notEqual(sha256(manifest.raw), manifest.digest, 'a signed schema1 digest is not the hash of its bytes');
    assert.equal(sha256(manifest.payload), manifest.digest);
    const served = await skopeoInspectRaw(`${schema1Reg.host}/legacy/app:v1`);
    // distribution re-signs with its own key, so the bytes differ but the payload digest holds.
    assert.equal(schema1PayloadDigest(served), manifest.digest);
    assert.equal(schema1PayloadDigest(manifest.raw), manifest.digest);
  });

  it('a registry without schema1 enabled refuses the schema1 push', async () => {
    await assert.rejects(pushSchema1(reg, 'legacy/app'), (err: unknown) => err instanceof RegistryHttpError && err.status >= 400);
  });

  it('an index without its top-level mediaType field is accepted and served byte-exactly', async () => {
    const index = await pushMultiArchIndex(reg, 'fx/no-media-type', { tag: 'v1', omitMediaTypeField: true, attestations: false });
    assert.equal((JSON.parse(index.raw.toString('utf8')) as Record<string, unknown>)['mediaType'], undefined);
    await assertSkopeoSees(reg, 'fx/no-media-type:v1', index.digest);
  });

  it('an index whose child manifest is missing is refused with MANIFEST_BLOB_UNKNOWN', async () => {
    const present = await pushImage(reg, 'fx/sparse', { platform: 'linux/amd64' });
    const absent = buildImage({ platform: 'linux/arm64' }, 'fx/sparse');
    const index = buildIndex([descriptorOf(present, { platform: present.platform }), descriptorOf(absent, { platform: absent.platform })]);
    await assert.rejects(pushManifest(reg, 'fx/sparse', 'v1', index.raw, index.mediaType), (err: unknown) => {
      return err instanceof RegistryHttpError && err.status === 400 && err.body.includes('MANIFEST_BLOB_UNKNOWN');
    });
  });

  it('skopeo copy --all --preserve-digests and skopeo sync keep the index digest', async () => {
    const index = await pushMultiArchIndex(reg, 'fx/copy-src', { tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'] });
    await skopeoCopy(`${reg.host}/fx/copy-src:v1`, `${reg.host}/fx/copy-dst:v1`);
    await assertSkopeoSees(reg, 'fx/copy-dst:v1', index.digest);
    await skopeoSync(`${reg.host}/fx/copy-src`, `${reg.host}/synced`);
    assert.deepEqual(await skopeoListTags(`${reg.host}/synced/copy-src`), ['v1']);
    await assertSkopeoSees(reg, 'synced/copy-src:v1', index.digest);
  });
});

describe('fault proxy', () => {
  let reg: RunningRegistry;
  let proxy: FaultProxy;
  let image: ImageFixture;
  const repo = 'proxied/app';
  const viaProxy = (): { url: string } => ({ url: proxy.url });

  before(async () => {
    reg = await startRegistry();
    proxy = await startFaultProxy(reg.url, []);
    image = await pushImage(reg, repo, { tag: 'v1', layers: [256 * 1024] });
  });
  after(async () => {
    await proxy?.stop();
    await reg?.stop();
  });

  it('forwards transparently and rewrites upload Locations so pushes stay on the proxy', async () => {
    proxy.setPlan([]);
    const before = proxy.requests.length;
    const pushed = await pushImage(viaProxy(), 'proxied/pushed', { tag: 'v1' });
    const seen = proxy.requests.slice(before);
    assert.ok(seen.some((r) => r.method === 'PUT' && r.path.startsWith('/v2/proxied/pushed/blobs/uploads/') && r.status === 201));
    assert.ok(seen.some((r) => r.method === 'PUT' && r.path === '/v2/proxied/pushed/manifests/v1' && r.status === 201));
    assert.equal(sha256(await skopeoInspectRaw(`${proxy.host}/proxied/pushed:v1`)), pushed.digest);
  });

  it('serves 503 with Retry-After the planned number of times, then forwards', async () => {
    proxy.setPlan([{ match: { method: 'GET', path: /\/manifests\/v1$/ }, times: 2, fault: { status: 503, retryAfter: '1' } }]);
    const path = `${proxy.url}/v2/${repo}/manifests/v1`;
    const accept = { accept: MEDIA_TYPES.ociManifest };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(path, { headers: accept });
      statuses.push(response.status);
      if (response.status === 503) {
        assert.equal(response.headers.get('retry-after'), '1');
        assert.match(await response.text(), /UNAVAILABLE/);
      } else {
        assert.equal(sha256(Buffer.from(await response.arrayBuffer())), image.digest);
      }
    }
    assert.deepEqual(statuses, [503, 503, 200]);
    assert.deepEqual(proxy.fired(), [2]);
    assert.deepEqual(proxy.requests.slice(-3).map((r) => r.fault), ['503', '503', undefined]);
  });

  it('skip lets the first matches through; 429 carries TOOMANYREQUESTS', async () => {
    proxy.setPlan([{ match: { path: /\/manifests\/v1$/ }, times: 1, skip: 1, fault: { status: 429, headers: { 'x-extra': 'yes' } } }]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${proxy.url}/v2/${repo}/manifests/v1`, { method: 'HEAD', headers: { accept: MEDIA_TYPES.ociManifest } });
      statuses.push(response.status);
      if (response.status === 429) assert.equal(response.headers.get('x-extra'), 'yes');
    }
    assert.deepEqual(statuses, [200, 429, 200]);
  });

  it('reset destroys the connection before anything is forwarded', async () => {
    proxy.setPlan([{ match: { path: /\/manifests\/v1$/ }, times: 1, fault: 'reset' }]);
    await assert.rejects(fetch(`${proxy.url}/v2/${repo}/manifests/v1`));
    assert.deepEqual(proxy.requests.at(-1), { method: 'GET', path: `/v2/${repo}/manifests/v1`, url: `/v2/${repo}/manifests/v1`, status: 0, fault: 'reset' });
    const after = await fetch(`${proxy.url}/v2/${repo}/manifests/v1`, { headers: { accept: MEDIA_TYPES.ociManifest } });
    assert.equal(after.status, 200);
    await after.arrayBuffer();
  });

  it('reset-after-upstream applies the change but the client never hears back', async () => {
    const other = await pushImage(reg, 'proxied/other', { seed: 'reset-after-upstream' });
    proxy.setPlan([{ match: { method: 'PUT', path: /\/manifests\/v2$/ }, times: 1, fault: 'reset-after-upstream' }]);
    await assert.rejects(pushManifest(viaProxy(), 'proxied/other', 'v2', other.raw, other.mediaType));
    const stored = await fetchManifest(reg, 'proxied/other', 'v2');
    assert.equal(sha256(stored.raw), other.digest);
  });

  it('drop-mid-body sends headers and part of the blob, then drops the connection', async () => {
    const layer = image.layers[0]!;
    proxy.setPlan([{ match: { method: 'GET', path: /\/blobs\/sha256:/ }, times: 1, fault: 'drop-mid-body' }]);
    const response = await fetch(`${proxy.url}/v2/${repo}/blobs/${layer.digest}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), String(layer.size));
    let received = 0;
    await assert.rejects(async () => {
      for await (const chunk of response.body!) received += (chunk as Uint8Array).length;
    });
    assert.ok(received < layer.size, `received ${received} of ${layer.size}`);
  });

  it('corrupt-body flips exactly one byte and keeps the length', async () => {
    const layer = image.layers[0]!;
    proxy.setPlan([{ match: { method: 'GET', path: /\/blobs\/sha256:/ }, times: 1, fault: 'corrupt-body' }]);
    const body = Buffer.from(await (await fetch(`${proxy.url}/v2/${repo}/blobs/${layer.digest}`)).arrayBuffer());
    assert.equal(body.length, layer.size);
    assert.notEqual(sha256(body), layer.digest);
    let differing = 0;
    for (let i = 0; i < body.length; i++) if (body[i] !== layer.bytes[i]) differing++;
    assert.equal(differing, 1);
    const clean = Buffer.from(await (await fetch(`${proxy.url}/v2/${repo}/blobs/${layer.digest}`)).arrayBuffer());
    assert.equal(sha256(clean), layer.digest);
  });

  it('stall holds the body, then delivers it intact; a client that gives up is not stuck', async () => {
    const layer = image.layers[0]!;
    proxy.setPlan([{ match: { method: 'GET', path: /\/blobs\/sha256:/ }, times: 2, fault: 'stall', stallMs: 300 }]);
    const started = Date.now();
    const response = await fetch(`${proxy.url}/v2/${repo}/blobs/${layer.digest}`);
    assert.equal(response.status, 200);
    const body = Buffer.from(await response.arrayBuffer());
    assert.ok(Date.now() - started >= 280, 'the body was held back');
    assert.equal(sha256(body), layer.digest);
    await assert.rejects(async () => {
      const stalled = await fetch(`${proxy.url}/v2/${repo}/blobs/${layer.digest}`, { signal: AbortSignal.timeout(100) });
      await stalled.arrayBuffer();
    });
    assert.deepEqual(proxy.fired(), [2]);
  });

  it('respond serves canned bytes: a 5 MiB manifest and a schema1 document skopeo reads', async () => {
    const big = oversizeManifest();
    const legacy = buildSchema1('proxied/legacy', { tag: 'old' });
    proxy.setPlan([
      { match: { path: /^\/v2\/proxied\/big\/manifests\/v1$/ }, times: Infinity, fault: { respond: cannedManifest(big) } },
      { match: { path: /^\/v2\/proxied\/legacy\/manifests\/old$/ }, times: Infinity, fault: { respond: cannedManifest(legacy) } },
    ]);
    const served = await fetchManifest(viaProxy(), 'proxied/big', 'v1');
    assert.equal(served.raw.length, 5 * 1024 * 1024);
    assert.equal(sha256(served.raw), big.digest);
    assert.equal(served.digest, big.digest);
    const legacyRaw = await skopeoInspectRaw(`${proxy.host}/proxied/legacy:old`);
    assert.ok(legacyRaw.equals(legacy.raw));
    assert.equal(schema1PayloadDigest(legacyRaw), legacy.digest);
  });

  it('streams a large blob through without damage', async () => {
    proxy.setPlan([]);
    const layer = makeLayer(24 * 1024 * 1024, 'big-stream', 'random');
    await pushBlob(viaProxy(), 'proxied/big-blob', layer.bytes);
    const response = await registryFetch(viaProxy(), `/v2/proxied/big-blob/blobs/${layer.digest}`);
    const body = Buffer.from(await response.arrayBuffer());
    assert.equal(sha256(body), layer.digest);
  });
});

describe('fault proxy in front of a token-auth registry', () => {
  it('rewrites the token realm so token requests also go through the proxy', async () => {
    await using reg = await startRegistry({ auth: 'token' });
    await using proxy = await startFaultProxy(reg.url);
    const target = { url: proxy.url, username: reg.username!, password: reg.password! };
    const image = await pushImage(target, 'tok/app', { tag: 'v1' });
    assert.ok(proxy.requests.some((r) => r.path === '/token' && r.status === 200));
    assert.ok(reg.tokenRequests.some((r) => r.scope === 'repository:tok/app:pull,push' && r.user === reg.username));

    const challenge = await fetch(`${proxy.url}/v2/`);
    assert.equal(challenge.status, 401);
    assert.match(challenge.headers.get('www-authenticate') ?? '', new RegExp(`realm="${proxy.url}/token"`));

    proxy.setPlan([{ match: { path: /^\/token/ }, times: 1, fault: { status: 503 } }]);
    await assert.rejects(skopeoInspectRaw(`${proxy.host}/tok/app:v1`, { creds: reg }), /503|unavailable/i);
    assert.equal(sha256(await skopeoInspectRaw(`${proxy.host}/tok/app:v1`, { creds: reg })), image.digest);
  });
});
