import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planImages } from './image-plan.ts';
import type { SeededImage } from './seed.ts';
import { expectationsFor } from './verify.ts';

const [index, single] = planImages({ count: 2, indexes: 1 });
const images: SeededImage[] = [
  { spec: index!, digest: 'sha256:index', mediaType: 'application/vnd.oci.image.index.v1+json', platformDigests: { 'linux/amd64': 'sha256:amd', 'linux/arm64': 'sha256:arm' } },
  { spec: single!, digest: 'sha256:single', mediaType: 'application/vnd.oci.image.manifest.v1+json', platformDigests: { 'linux/amd64': 'sha256:single' } },
];

test('tag mode: every tag resolves to the pushed top digest', () => {
  assert.deepEqual(expectationsFor({ digestPull: false, checkNodePlatform: false }, images, [['amd64', 'arm64'], ['amd64']]), [
    { repo: index!.repo, reference: index!.tag, digest: 'sha256:index' },
    { repo: single!.repo, reference: single!.tag, digest: 'sha256:single' },
  ]);
});

test('digest mode with node platforms: each architecture the pods run on, by digest; single-arch images whole', () => {
  assert.deepEqual(expectationsFor({ digestPull: true, checkNodePlatform: true }, images, [['amd64', 'arm64'], ['amd64']]), [
    { repo: index!.repo, reference: 'sha256:amd', digest: 'sha256:amd' },
    { repo: index!.repo, reference: 'sha256:arm', digest: 'sha256:arm' },
    { repo: single!.repo, reference: 'sha256:single', digest: 'sha256:single' },
  ]);
  assert.throws(() => expectationsFor({ digestPull: true, checkNodePlatform: true }, images, [['s390x'], []]), /has no linux\/s390x image/);
});
