import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { parseManifest, parsePlatform, type Descriptor, type Platform } from '../oci/index.ts';
import { byDigestPrefix, bytesOf, loadRealManifests } from '../oci/real-manifests.fixture.ts';
import { CopyError } from './errors.ts';
import { selectChildren } from './select.ts';

const OCI = 'application/vnd.oci.image.manifest.v1+json';
const hex = (c: string): string => `sha256:${c.repeat(64)}`;

function image(c: string, platform: Platform): Descriptor {
  return { mediaType: OCI, digest: hex(c), size: 500, platform };
}

function attestation(c: string, forDigest: string): Descriptor {
  return {
    mediaType: OCI,
    digest: hex(c),
    size: 800,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': forDigest },
  };
}

const amd64 = image('1', { os: 'linux', architecture: 'amd64' });
const arm64 = image('2', { os: 'linux', architecture: 'arm64', variant: 'v8' });
const armv7 = image('3', { os: 'linux', architecture: 'arm', variant: 'v7' });
const attAmd64 = attestation('a', amd64.digest);
const attArm64 = attestation('b', arm64.digest);
const attArmv7 = attestation('c', armv7.digest);
const index = [amd64, arm64, armv7, attAmd64, attArm64, attArmv7];

const P = (...specs: string[]): Platform[] => specs.map(parsePlatform);

/** Runs `fn` and returns what it threw, failing the test when it returns. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected an exception');
}

describe('selectChildren', () => {
  it('keeps the matching image and the attestation that points at it, in index order', () => {
    const { chosen, missing } = selectChildren(index, P('linux/amd64'), 'r/app:1');
    assert.deepEqual(chosen, [amd64, attAmd64]);
    assert.deepEqual(missing, []);
  });

  it('treats arm64 and arm64/v8 as the same platform, both ways', () => {
    assert.deepEqual(selectChildren(index, P('linux/arm64'), 'x').chosen, [arm64, attArm64]);
    assert.deepEqual(selectChildren(index, P('linux/arm64/v8'), 'x').chosen, [arm64, attArm64]);
    const plainArm64 = image('4', { os: 'linux', architecture: 'arm64' });
    assert.deepEqual(selectChildren([plainArm64], P('linux/arm64/v8'), 'x').chosen, [plainArm64]);
  });

  it('selects several platforms and reports the ones no child offers', () => {
    const { chosen, missing } = selectChildren(index, P('linux/arm/v7', 'linux/amd64', 'linux/s390x'), 'x');
    assert.deepEqual(chosen, [amd64, armv7, attAmd64, attArmv7]);
    assert.deepEqual(missing, P('linux/s390x'));
  });

  it('never selects an attestation for its own unknown/unknown platform, nor one pointing elsewhere', () => {
    const stray = attestation('d', hex('9'));
    const { chosen } = selectChildren([...index, stray], P('linux/amd64'), 'x');
    assert.ok(!chosen.includes(stray));
    assert.ok(!chosen.includes(attArm64));
  });

  it('throws PLATFORM_NOT_FOUND naming the request and every runnable platform offered', () => {
    const err = thrown(() => selectChildren(index, P('linux/ppc64le', 'windows/amd64'), 'docker.io/library/app:1'));
    assert.ok(err instanceof CopyError);
    assert.ok(hasCode(err, 'PLATFORM_NOT_FOUND'));
    assert.match(err.message, /docker\.io\/library\/app:1/);
    assert.match(err.message, /linux\/ppc64le, windows\/amd64/);
    assert.match(err.message, /it has: linux\/amd64, linux\/arm64\/v8, linux\/arm\/v7\)/);
    // Attestation placeholders are not platforms anyone can run.
    assert.doesNotMatch(err.message, /unknown/);
  });

  it('says "none" when an index offers no runnable platform', () => {
    const err = thrown(() => selectChildren([attAmd64], P('linux/amd64'), 'x'));
    assert.ok(hasCode(err, 'PLATFORM_NOT_FOUND'));
    assert.match(err.message, /it has: none/);
  });

  it('follows vnd.docker.reference.digest in a real BuildKit index (spegel test data)', () => {
    const parsed = parseManifest(bytesOf(byDigestPrefix(loadRealManifests(), 'd8df0436')));
    assert.equal(parsed.kind, 'index');
    if (parsed.kind !== 'index') return;
    const all = parsed.index.manifests;
    const { chosen } = selectChildren(all, P('linux/arm64'), 'spegel');
    assert.deepEqual(
      chosen.map((d) => d.digest.slice(0, 19)),
      ['sha256:dce623533c59', 'sha256:42d1c43f2285'],
    );
    assert.equal(chosen[1]?.annotations?.['vnd.docker.reference.digest'], chosen[0]?.digest);
  });
});
