import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { namespaceFilter, skipListsFrom } from './evaluate.ts';
import { seedImage, seedIndex, startMemoryRegistry, type MemoryRegistry } from './memory-registry.fixture.ts';
import { defaultRules } from './rules.ts';
import { pod, quickClient } from './test-support.fixture.ts';
import { verifyPods, type VerifyOptions } from './verify.ts';

const NO_SKIPS = { deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods: [] };

describe('verifyPods', () => {
  let src: MemoryRegistry;
  let dst: MemoryRegistry;
  before(async () => {
    [src, dst] = await Promise.all([startMemoryRegistry(), startMemoryRegistry()]);
  });
  after(async () => {
    await Promise.all([src.close(), dst.close()]);
  });

  const opts = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
    rules: defaultRules(dst.host, { repoPrefix: '$namespace', excludeRegistries: ['quay.io'] }),
    filters: { namespaceAllowed: namespaceFilter('*', ['kube-system']), skip: skipListsFrom(NO_SKIPS) },
    targetClient: quickClient(),
    ...over,
  });

  it('reports served digests, gaps, missing platform manifests, and containers it cannot judge', async () => {
    const ok = seedImage(src, 'ok', { tag: 'v1' });
    dst.putManifest('prod/ok', ok.bytes, 'application/vnd.oci.image.manifest.v1+json', 'v1');
    const idx = seedIndex(dst, 'prod/multi', ['linux/amd64', 'linux/arm64'], { tag: 'v1' });
    const missing = seedImage(src, 'missing', { tag: 'v1' });
    const pods = [
      pod('prod', 'a', [
        { name: 'served', image: `${src.host}/ok:v1`, imageID: `docker-pullable://${src.host}/ok@${ok.digest}` },
        { name: 'gap', image: `${src.host}/missing:v1`, imageID: `${src.host}/missing@${missing.digest}` },
        { name: 'multi', image: `${src.host}/multi:v1`, imageID: `${src.host}/multi@${idx.digest}` },
        { name: 'excluded', image: 'quay.io/org/app:1', imageID: `quay.io/org/app@${ok.digest}` },
        { name: 'waiting', image: `${src.host}/ok:v1` },
        { name: 'bad', image: 'UPPER/case:1', imageID: `x@${ok.digest}` },
      ], { node: 'arm-node' }),
      pod('prod', 'pending', [{ name: 'c', image: `${src.host}/ok:v1` }], { phase: 'Pending' }),
      pod('kube-system', 'sys', [{ name: 'c', image: `${src.host}/missing:v1`, imageID: `${src.host}/missing@${missing.digest}` }]),
    ];
    const report = await verifyPods(pods, opts({ nodePlatform: async () => ({ os: 'linux', architecture: 'arm64' }) }));
    assert.deepEqual(report.rows.map((r) => `${r.container}:${r.state}`), ['served:ok', 'gap:missing', 'multi:ok', 'excluded:skipped', 'waiting:no-image-id', 'bad:invalid']);
    assert.equal(report.gaps, 2);
    assert.equal(report.pods, 1);
    assert.equal(report.ignoredPods, 2);
    const multi = report.rows.find((r) => r.container === 'multi')!;
    assert.equal(multi.platform, 'linux/arm64');
    assert.equal(multi.platformDigest, idx.children[1]!.digest);
    assert.equal(report.rows[0]!.mirror, `${dst.host}/prod/ok@${ok.digest}`);
  });

  it('an index served without the node\'s platform manifest is a platform gap', async () => {
    const lenient = await startMemoryRegistry({ acceptSparse: true });
    try {
      const amd = seedImage(src, 'sparse', { architecture: 'amd64' });
      const arm = seedImage(src, 'sparse', { architecture: 'arm64', seed: 'arm' });
      const index = Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: amd.digest, size: amd.size, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: arm.digest, size: arm.size, platform: { os: 'linux', architecture: 'arm64' } },
        ],
      }));
      seedImage(lenient, 'app/sparse', { architecture: 'amd64' });
      const digest = lenient.putManifest('app/sparse', index, 'application/vnd.oci.image.index.v1+json', 'v1');
      const report = await verifyPods([pod('app', 'p', [{ name: 'c', image: `${src.host}/sparse:v1`, imageID: `${src.host}/sparse@${digest}` }], { node: 'n' })], {
        ...opts(),
        rules: defaultRules(lenient.host, { repoPrefix: '$namespace' }),
        nodePlatform: async () => ({ os: 'linux', architecture: 'arm64' }),
      });
      assert.equal(report.rows[0]?.state, 'platform-missing');
      assert.equal(report.gaps, 1);
    } finally {
      await lenient.close();
    }
  });
});
