/**
 * copycat vs skopeo on the same loopback registries, in the same run (see bench/README.md).
 *
 * Usage: node bench/run.ts [--runs N] [--only startup,cold,warm,many,big] [--layers-mib 16,12,8]
 *                          [--images 50] [--base-mib 8] [--top-kib 64] [--big-mib 1024] [--no-tuned]
 *                          [--out FILE]
 *
 * Prints a table and writes the figures as JSON (default bench/results/latest.json). Exits 1 when a
 * scenario could not be measured, 0 otherwise (a MISS is a finding, not a failure of the bench).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toolVersion, wholeNumber } from './lib/args.ts';
import { Cleanup } from './lib/cleanup.ts';
import { hasGnuTime, measureCommand } from './lib/measure.ts';
import type { ScenarioResult, Tool } from './lib/series.ts';
import { renderTable } from './lib/table.ts';
import { benchEnv, copycatVersion, REPO_ROOT, TUNED_NODE_OPTIONS } from './lib/tools.ts';
import { bigLayer, seedBigLayer } from './scenarios/big-layer.ts';
import type { BenchContext } from './scenarios/context.ts';
import { coldMultiArch, seedMultiArch, warmMultiArch } from './scenarios/multiarch.ts';
import { seedSharedBase, sharedBase } from './scenarios/shared-base.ts';
import { startup } from './scenarios/startup.ts';

const SCENARIOS = ['startup', 'cold', 'warm', 'many', 'big'] as const;
type ScenarioName = (typeof SCENARIOS)[number];
const MiB = 1024 * 1024;
/** Scenario 4's memory target: copycat's peak RSS below 150 MB (decimal). */
const BIG_RSS_TARGET = 150e6;

async function main(): Promise<number> {
  if (Number(process.versions.node.split('.')[0]) < 24) throw new Error(`the bench needs Node 24 (this is ${process.version}): run it with npm run bench`);
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      only: { type: 'string', default: SCENARIOS.join(',') },
      'layers-mib': { type: 'string', default: '16,12,8' },
      images: { type: 'string', default: '50' },
      'base-mib': { type: 'string', default: '8' },
      'top-kib': { type: 'string', default: '64' },
      'big-mib': { type: 'string', default: '1024' },
      'no-tuned': { type: 'boolean', default: false },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results', 'latest.json') },
    },
  });
  const runs = wholeNumber('runs', values.runs);
  const only = new Set(values.only.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  for (const name of only) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`--only: unknown scenario ${JSON.stringify(name)} (known: ${SCENARIOS.join(', ')})`);
  const wants = (name: ScenarioName): boolean => only.has(name);
  const layerSizes = values['layers-mib'].split(',').map((s) => Math.round(Number(s) * MiB));
  if (layerSizes.some((n) => !Number.isFinite(n) || n <= 0)) throw new Error(`--layers-mib must be a comma-separated list of sizes, got ${JSON.stringify(values['layers-mib'])}`);
  const images = wholeNumber('images', values.images);
  const baseSize = wholeNumber('base-mib', values['base-mib']) * MiB;
  const topSize = wholeNumber('top-kib', values['top-kib']) * 1024;
  const bigSize = wholeNumber('big-mib', values['big-mib']) * MiB;

  const cleanup = new Cleanup();
  const { interrupted, release: releaseSignals } = cleanup.stopOnSignals();

  const log = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };
  const started = new Date();
  const loadBefore = loadavg();
  const results: ScenarioResult[] = [];
  try {
    log(`bench: starting the source registry (runs per tool and scenario: ${runs}; RSS via ${hasGnuTime() ? '/usr/bin/time' : '/proc polling'})`);
    const source = await cleanup.registry();
    const tools: Tool[] = values['no-tuned'] ? ['copycat', 'skopeo'] : ['copycat', 'skopeo', 'copycat-tuned'];
    const plain = benchEnv();
    const envs: Record<Tool, NodeJS.ProcessEnv> = { copycat: plain, skopeo: plain, 'copycat-tuned': benchEnv({ nodeOptions: TUNED_NODE_OPTIONS }) };
    // The launcher enables Node's on-disk compile cache: one untimed start fills it (--version loads
    // every module the commands use), so every timed run sees the steady state a user sees from the
    // second run on. A first-ever start, with an empty cache, is measured once for scenario 0's note.
    const version = copycatVersion();
    const empty = await measureCommand(version.command, version.args, { env: benchEnv({ compileCacheDir: await cleanup.scratch('empty-cache') }) });
    const firstStart = { seconds: empty.seconds, cpuSeconds: empty.cpuSeconds, peakRssBytes: empty.peakRssBytes };
    await measureCommand(version.command, version.args, { env: plain });
    const ctx: BenchContext = { runs, tools, cleanup, source, envs, log };

    // Each scenario seeds what it needs and is isolated: one that fails is reported, the rest still run.
    const attempt = async (id: string, title: string, target: ScenarioResult['target'], body: () => Promise<ScenarioResult>): Promise<void> => {
      const t0 = performance.now();
      try {
        results.push(await body());
      } catch (err) {
        if (interrupted()) return; // the processes were killed on purpose: nothing to report
        log(`bench: ${title} failed: ${(err as Error).stack ?? String(err)}`);
        results.push({ id, title, workload: '-', target, pass: false, notes: [], error: (err as Error).message });
      }
      log(`bench: ${title} took ${((performance.now() - t0) / 1000).toFixed(1)} s in all`);
    };

    if (wants('startup')) await attempt('startup', '0. start-up only', { kind: 'info' }, () => startup(ctx, Math.max(runs, 5), firstStart));
    if (wants('cold') || wants('warm')) {
      log(`bench: seeding the multi-arch index (${values['layers-mib']} MiB layers per platform)`);
      const seed = await seedMultiArch(ctx, layerSizes);
      log(`bench: ${seed.workload}`);
      if (wants('cold')) await attempt('cold-multiarch', '1. cold multi-arch copy', { kind: 'ratio', max: 0.8 }, () => coldMultiArch(ctx, seed));
      if (wants('warm')) await attempt('warm-multiarch', '2. warm copy', { kind: 'ratio', max: 0.5 }, () => warmMultiArch(ctx, seed));
    }
    if (wants('many')) {
      await attempt('shared-base-50', `3. ${images} images, shared base`, { kind: 'ratio', max: 0.6 }, async () => {
        log(`bench: seeding ${images} images sharing a base layer`);
        const seed = await seedSharedBase(ctx, images, baseSize, topSize);
        return sharedBase(ctx, seed);
      });
    }
    if (wants('big')) {
      await attempt('big-layer', '4. big layer', { kind: 'rss', maxBytes: BIG_RSS_TARGET }, async () => {
        log(`bench: generating and pushing a ${values['big-mib']} MiB layer (streamed)`);
        const seed = await seedBigLayer(ctx, bigSize);
        return bigLayer(ctx, seed, BIG_RSS_TARGET);
      });
    }
  } finally {
    await cleanup.run();
    releaseSignals();
  }

  const report = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryBytes: totalmem(), loadAverageBefore: loadBefore, loadAverageAfter: loadavg() },
    versions: {
      node: process.version,
      skopeo: toolVersion('skopeo', ['--version']),
      registry: toolVersion('docker-registry', ['--version']),
      copycatCommit: toolVersion('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD']),
    },
    options: { runs, only: [...only], layerSizes, images, baseSize, topSize, bigSize, tuned: !values['no-tuned'], tunedNodeOptions: TUNED_NODE_OPTIONS },
    rssMethod: hasGnuTime() ? 'gnu-time' : 'proc-poll',
    results,
  };
  const out = resolve(values.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${renderTable(results)}\n\nload average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${cpus().length} CPUs)\nJSON: ${out}\n`);
  return results.some((r) => r.error !== undefined) ? 1 : 0;
}

process.exitCode = await main();
