import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlatform } from '../oci/index.ts';
import { indexArchitectures } from './arch.ts';

const index = (platforms: Array<{ os: string; architecture: string; variant?: string } | undefined>, annotations: Array<Record<string, string> | undefined> = []) => {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: platforms.map((platform, i) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${String(i).repeat(64)}`,
        size: 10,
        ...(platform ? { platform } : {}),
        ...(annotations[i] ? { annotations: annotations[i] } : {}),
      })),
    }),
  );
  return { bytes, mediaType: 'application/vnd.oci.image.index.v1+json', digest: 'sha256:x', size: bytes.length };
};

describe('indexArchitectures ($arch of an index, §3.9)', () => {
  it('the whole alpine-like index: sorted, unique, variants ignored, unknown skipped', () => {
    const m = index([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: '386' },
      { os: 'linux', architecture: 'ppc64le' },
      { os: 'linux', architecture: 'riscv64' },
      { os: 'linux', architecture: 's390x' },
      { os: 'unknown', architecture: 'unknown' },
    ]);
    assert.equal(indexArchitectures(m, []), '386-amd64-arm-arm64-ppc64le-riscv64-s390x');
  });

  it('only the selected platforms when filtering; all when none match; empty without platforms', () => {
    const m = index([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]);
    assert.equal(indexArchitectures(m, [parsePlatform('linux/arm64')]), 'arm64');
    assert.equal(indexArchitectures(m, [parsePlatform('linux/s390x')]), 'amd64-arm64');
    assert.equal(indexArchitectures(index([undefined]), []), '');
  });
});
