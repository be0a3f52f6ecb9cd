/**
 * `describeImage` and `groupTags` (the library behind `copycat inspect` and `copycat tags`) against a
 * token-auth registry, checked against skopeo: every digest and config digest they report is the one
 * skopeo reads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CopycatError, describeImage, groupTags, parsePlatform, type RegistryClient } from '../src/index.ts';
import { pushDockerManifestList, pushNestedIndex, pushSchema1, pushSchema2Image, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { pushManifest } from './support/push-client.ts';
import { sha256, skopeoInspectConfigRaw, skopeoInspectRaw } from './support/skopeo.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { makeClient, ref } from './lib/engine.ts';

describe('inspect and tags, as a library', () => {
  let reg: RunningRegistry;
  let legacy: RunningRegistry;
  let client: RegistryClient;
  let list: IndexFixture;
  let single: ImageFixture;
  let nested: IndexFixture;
  let schema1Digest: string;

  before(async () => {
    [reg, legacy] = await Promise.all([startRegistry({ auth: 'token' }), startRegistry({ extraConfig: { compatibility: { schema1: { enabled: true } } } })]);
    [list, single, nested] = await Promise.all([
      pushDockerManifestList(reg, 'lib/app', { tag: 'list', platforms: ['linux/amd64', 'linux/arm/v7', 'windows/amd64'] }),
      pushSchema2Image(reg, 'lib/app', { tag: 'single', platform: 'linux/arm/v7' }),
      pushNestedIndex(reg, 'lib/nested', { tag: 'v1' }),
    ]);
    await pushManifest(reg, 'lib/app', 'list-again', list.raw, list.mediaType);
    schema1Digest = (await pushSchema1(legacy, 'legacy/app', { tag: 'v1' })).digest;
    client = makeClient(reg);
  });
  after(async () => {
    await client?.close();
    await Promise.all([reg?.stop(), legacy?.stop()]);
  });

  const creds = (): { username?: string; password?: string } => ({ username: reg.username!, password: reg.password! });

  it('a Docker manifest list: each platform digest and config digest is what skopeo reads', async () => {
    const d = await describeImage(client, ref(reg, 'lib/app:list'));
    assert.equal(d.kind, 'index');
    assert.equal(d.digest, sha256(await skopeoInspectRaw(`${reg.host}/lib/app:list`, { creds: creds() })));
    assert.ok(d.raw.equals(list.raw));
    assert.deepEqual(d.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm/v7', 'windows/amd64']);
    for (const p of d.platforms) {
      assert.equal(sha256(await skopeoInspectRaw(`${reg.host}/lib/app@${p.digest}`, { creds: creds() })), p.digest);
      assert.equal(p.configDigest, sha256(await skopeoInspectConfigRaw(`${reg.host}/lib/app@${p.digest}`, { creds: creds() })));
    }
    assert.deepEqual(d.attestations, []);
  });

  it('--platform with a variant picks linux/arm/v7, and a platform the list lacks is PLATFORM_NOT_FOUND', async () => {
    const arm = await describeImage(client, ref(reg, 'lib/app:list'), { platform: parsePlatform('linux/arm/v7') });
    assert.equal(arm.digest, list.manifests[1]!.digest);
    assert.equal(arm.platform, 'linux/arm/v7');
    await assert.rejects(
      describeImage(client, ref(reg, 'lib/app:list'), { platform: parsePlatform('linux/ppc64le') }),
      (err: unknown) => err instanceof CopycatError && err.code === 'PLATFORM_NOT_FOUND' && err.message.includes('windows/amd64'),
    );
  });

  it('a single image, by tag and by digest: its config digest (image ID) and the platform from its config', async () => {
    for (const r of ['lib/app:single', `lib/app@${single.digest}`]) {
      const d = await describeImage(client, ref(reg, r));
      assert.equal(d.kind, 'image');
      assert.equal(d.digest, single.digest);
      assert.equal(d.configDigest, sha256(await skopeoInspectConfigRaw(`${reg.host}/lib/app:single`, { creds: creds() })));
      assert.equal(d.platform, 'linux/arm/v7');
      assert.deepEqual(d.platforms, []);
    }
  });

  it('a nested index lists its inner index as an entry without a config', async () => {
    const d = await describeImage(client, ref(reg, 'lib/nested:v1'));
    assert.equal(d.digest, nested.digest);
    const inner = nested.indexes[0]!;
    const entry = d.platforms.find((p) => p.digest === inner.digest);
    assert.ok(entry, 'the inner index is listed');
    assert.equal(entry.mediaType, inner.mediaType);
    assert.equal(entry.configDigest, undefined);
    const outer = d.platforms.find((p) => p.digest === nested.manifests[0]!.digest);
    assert.equal(outer?.configDigest, nested.manifests[0]!.config.digest);
  });

  it('a schema1 image is described as such, with the payload digest registries use', async () => {
    const legacyClient = makeClient(legacy);
    try {
      const d = await describeImage(legacyClient, ref(legacy, 'legacy/app:v1'));
      assert.equal(d.kind, 'schema1');
      assert.equal(d.digest, schema1Digest);
    } finally {
      await legacyClient.close();
    }
  });

  it('groupTags groups tags by digest with platforms', async () => {
    const groups = await groupTags(client, { registry: reg.host, repository: 'lib/app' });
    assert.deepEqual(groups, [
      { digest: list.digest, mediaType: list.mediaType, tags: ['list', 'list-again'], platforms: ['linux/amd64', 'linux/arm/v7', 'windows/amd64'] },
      { digest: single.digest, mediaType: single.mediaType, tags: ['single'], platforms: ['linux/arm/v7'] },
    ]);
  });
});
