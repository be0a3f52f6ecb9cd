/**
 * Scenarios 1 and 2: a multi-arch OCI index (4 platforms + 2 BuildKit attestation manifests), copied
 * into an empty registry (cold) and again into a registry that already has it all (warm).
 */
import { pushMultiArchIndex, type IndexFixture } from '../../test/support/fixtures.ts';
import { alternate, scenarioResult, type ScenarioResult } from '../lib/series.ts';
import { formatBytes } from '../lib/stats.ts';
import { copycatCopy, skopeoCopy } from '../lib/tools.ts';
import { expectTag } from '../lib/verify.ts';
import { describeSample, timed, type BenchContext } from './context.ts';

const REPO = 'bench/multiarch';
const TAG = 'v1';

/** The seeded index and a description of it. */
export interface MultiArchSeed {
  index: IndexFixture;
  workload: string;
}

/** Pushes the index to the source registry; `layerSizes` are the layer contents of each platform image. */
export async function seedMultiArch(ctx: BenchContext, layerSizes: readonly number[]): Promise<MultiArchSeed> {
  const index = await pushMultiArchIndex(ctx.source, REPO, { tag: TAG, layers: layerSizes, attestations: 2, seed: 'copycat-bench' });
  const images = [...index.manifests, ...index.attestations];
  const blobs = new Map<string, number>();
  for (const image of images) for (const b of [image.config, ...image.layers]) blobs.set(b.digest, b.size);
  let total = 0;
  for (const size of blobs.values()) total += size;
  const workload = `OCI index, ${index.manifests.length} platforms × ${layerSizes.length} layers + ${index.attestations.length} attestations: ${images.length + 1} manifests, ${blobs.size} blobs, ${formatBytes(total)}`;
  return { index, workload };
}

/** Scenario 1: every run copies into a brand-new registry (nothing cached anywhere, including skopeo's blob-info cache). */
export async function coldMultiArch(ctx: BenchContext, seed: MultiArchSeed): Promise<ScenarioResult> {
  const src = `${ctx.source.host}/${REPO}:${TAG}`;
  const samples = await alternate(ctx.runs, ctx.tools, async (tool, run) => {
    const dst = await ctx.cleanup.registry();
    try {
      const dstRepo = `${REPO}-${tool}-${run}`;
      const dstRef = `${dst.host}/${dstRepo}:${TAG}`;
      const sample = await timed(ctx, tool, run, tool === 'skopeo' ? skopeoCopy(src, dstRef) : copycatCopy(src, dstRef));
      await expectTag(dst, dstRepo, TAG, seed.index.digest);
      ctx.log(describeSample('cold multi-arch', tool, sample));
      return sample;
    } finally {
      await dst.release();
    }
  });
  return scenarioResult({ id: 'cold-multiarch', title: '1. cold multi-arch copy', workload: seed.workload, target: { kind: 'ratio', max: 0.8 } }, samples);
}

/** Scenario 2: the destination already holds the whole index under the tag; each tool copies it again. */
export async function warmMultiArch(ctx: BenchContext, seed: MultiArchSeed): Promise<ScenarioResult> {
  const src = `${ctx.source.host}/${REPO}:${TAG}`;
  const dst = await ctx.cleanup.registry();
  try {
    const dstRef = `${dst.host}/${REPO}:${TAG}`;
    await timed(ctx, 'copycat', -1, copycatCopy(src, dstRef)); // priming, not counted
    await expectTag(dst, REPO, TAG, seed.index.digest);
    const samples = await alternate(ctx.runs, ctx.tools, async (tool, run) => {
      const sample = await timed(ctx, tool, run, tool === 'skopeo' ? skopeoCopy(src, dstRef) : copycatCopy(src, dstRef));
      await expectTag(dst, REPO, TAG, seed.index.digest);
      ctx.log(describeSample('warm multi-arch', tool, sample));
      return sample;
    });
    return scenarioResult({ id: 'warm-multiarch', title: '2. warm copy (target complete)', workload: seed.workload, target: { kind: 'ratio', max: 0.5 } }, samples);
  } finally {
    await dst.release();
  }
}
