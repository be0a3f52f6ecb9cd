/**
 * Scenario 3: many small images sharing one base layer, copied into an empty registry. copycat runs
 * bench/copy-many.ts (one Copier, every image concurrently); skopeo runs `sync --src yaml` over a YAML
 * file listing the same repositories and tags.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pushSharedBaseImages, type ImageFixture } from '../../test/support/fixtures.ts';
import { alternate, scenarioResult, type ScenarioResult } from '../lib/series.ts';
import { formatBytes } from '../lib/stats.ts';
import { copycatCopyMany, skopeoSync, syncYaml } from '../lib/tools.ts';
import { expectTag } from '../lib/verify.ts';
import { describeSample, timed, type BenchContext } from './context.ts';

const PREFIX = 'bench/app';
const TAG = 'v1';

/** The seeded images and a description of them. */
export interface SharedBaseSeed {
  images: ImageFixture[];
  workload: string;
}

/** Pushes `count` images (`bench/app-NN:v1`) sharing one base layer of `baseSize` bytes under a `topSize` layer each. */
export async function seedSharedBase(ctx: BenchContext, count: number, baseSize: number, topSize: number): Promise<SharedBaseSeed> {
  const { base, images } = await pushSharedBaseImages(ctx.source, count, { baseLayerSize: baseSize, topLayerSize: topSize, repoPrefix: PREFIX, tag: TAG });
  const workload = `${count} images (one repository each), shared base layer ${formatBytes(base.size)} + unique layer ~${formatBytes(topSize)} each`;
  return { images, workload };
}

/** The last path element of a repository: where `skopeo sync` (without `--scoped`) puts it under the destination. */
function leaf(repo: string): string {
  return repo.slice(repo.lastIndexOf('/') + 1);
}

/** Scenario 3: all images into a fresh registry, under `run<N>/<leaf>:v1` for both tools. */
export async function sharedBase(ctx: BenchContext, seed: SharedBaseSeed): Promise<ScenarioResult> {
  const dir = await ctx.cleanup.scratch('many');
  const yamlFile = join(dir, 'sync.yaml');
  await writeFile(yamlFile, syncYaml(ctx.source.host, seed.images.map((i) => ({ repo: i.repo!, tag: TAG }))));
  const samples = await alternate(ctx.runs, ctx.tools, async (tool, run) => {
    const dst = await ctx.cleanup.registry();
    try {
      const prefix = `run${run}-${tool}`;
      let cmd;
      if (tool !== 'skopeo') {
        const pairsFile = join(dir, `pairs-${run}.json`);
        const pairs = seed.images.map((i) => ({ source: `${ctx.source.host}/${i.repo!}:${TAG}`, destination: `${dst.host}/${prefix}/${leaf(i.repo!)}:${TAG}` }));
        await writeFile(pairsFile, JSON.stringify(pairs));
        cmd = copycatCopyMany(pairsFile);
      } else {
        cmd = skopeoSync(yamlFile, `${dst.host}/${prefix}`);
      }
      const sample = await timed(ctx, tool, run, cmd);
      await Promise.all(seed.images.map((i) => expectTag(dst, `${prefix}/${leaf(i.repo!)}`, TAG, i.digest)));
      ctx.log(describeSample(`${seed.images.length} images`, tool, sample));
      return sample;
    } finally {
      await dst.release();
    }
  });
  return scenarioResult(
    { id: 'shared-base-50', title: `3. ${seed.images.length} images, shared base`, workload: seed.workload, target: { kind: 'ratio', max: 0.6 } },
    samples,
    ['copycat side: bench/copy-many.ts (one process, one Copier, all images concurrently); skopeo side: skopeo sync --src yaml'],
  );
}
