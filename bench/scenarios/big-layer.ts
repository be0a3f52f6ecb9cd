/**
 * Scenario 4: one image whose single layer is 1 GiB, generated as a deterministic stream and pushed
 * with the streaming pusher. The point is memory: copycat must stream, so its peak RSS stays flat.
 */
import { MEDIA_TYPES, sha256 } from '../../test/support/fixtures.ts';
import { pushBlob, pushManifest } from '../../test/support/push-client.ts';
import { deterministicDigest, deterministicStream, pushBlobStream } from '../lib/big-blob.ts';
import { alternate, scenarioResult, type ScenarioResult } from '../lib/series.ts';
import { formatBytes } from '../lib/stats.ts';
import { copycatCopy, skopeoCopy } from '../lib/tools.ts';
import { expectBlob, expectTag } from '../lib/verify.ts';
import { describeSample, timed, type BenchContext } from './context.ts';

const REPO = 'bench/big';
const TAG = 'v1';
const SEED = 'copycat-bench-big-layer';

/** The seeded image. */
export interface BigLayerSeed {
  digest: string;
  layerDigest: string;
  size: number;
  workload: string;
}

/** Generates and pushes the image (two passes over the generator: hash, then stream the upload). */
export async function seedBigLayer(ctx: BenchContext, size: number): Promise<BigLayerSeed> {
  const layerDigest = await deterministicDigest(size, SEED);
  await pushBlobStream(ctx.source, REPO, layerDigest, () => deterministicStream(size, SEED));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [layerDigest] } }));
  await pushBlob(ctx.source, REPO, config);
  const manifest = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(config), size: config.length },
        layers: [{ mediaType: MEDIA_TYPES.ociLayer, digest: layerDigest, size }],
      },
      null,
      2,
    ),
  );
  const digest = await pushManifest(ctx.source, REPO, TAG, manifest, MEDIA_TYPES.ociManifest);
  return { digest, layerDigest, size, workload: `single-platform OCI image, one ${formatBytes(size)} layer` };
}

/** Scenario 4: cold copies of the big image; judged on copycat's peak RSS, time ratio reported. */
export async function bigLayer(ctx: BenchContext, seed: BigLayerSeed, maxRssBytes: number): Promise<ScenarioResult> {
  const src = `${ctx.source.host}/${REPO}:${TAG}`;
  const samples = await alternate(ctx.runs, ctx.tools, async (tool, run) => {
    const dst = await ctx.cleanup.registry();
    try {
      const dstRepo = `${REPO}-${tool}-${run}`;
      const dstRef = `${dst.host}/${dstRepo}:${TAG}`;
      const sample = await timed(ctx, tool, run, tool === 'skopeo' ? skopeoCopy(src, dstRef) : copycatCopy(src, dstRef), 900_000);
      await expectTag(dst, dstRepo, TAG, seed.digest);
      await expectBlob(dst, dstRepo, seed.layerDigest, seed.size);
      ctx.log(describeSample('big layer', tool, sample));
      return sample;
    } finally {
      await dst.release();
    }
  });
  return scenarioResult({ id: 'big-layer', title: `4. ${formatBytes(seed.size)} layer`, workload: seed.workload, target: { kind: 'rss', maxBytes: maxRssBytes } }, samples);
}
