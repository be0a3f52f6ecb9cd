/**
 * Context row: what process start-up alone costs each tool (`--version`), so the copy figures can be
 * read as "start-up + work".
 */
import { alternate, scenarioResult, type ScenarioResult } from '../lib/series.ts';
import { copycatVersion, skopeoVersion } from '../lib/tools.ts';
import { timed, type BenchContext } from './context.ts';

/** What a first-ever start costs: copycat with an empty compile cache. */
export interface FirstStart {
  seconds: number;
  cpuSeconds: number | undefined;
  peakRssBytes: number | undefined;
}

/** `copycat --version` vs `skopeo --version` (and the tuned copycat when enabled); `first` is noted. */
export async function startup(ctx: BenchContext, runs: number, first: FirstStart): Promise<ScenarioResult> {
  const samples = await alternate(runs, ctx.tools, (tool, run) => timed(ctx, tool, run, tool === 'skopeo' ? skopeoVersion() : copycatVersion()));
  const cpu = first.cpuSeconds === undefined ? '' : `, ${first.cpuSeconds.toFixed(2)} CPU-s`;
  const rss = first.peakRssBytes === undefined ? '' : `, peak RSS ${(first.peakRssBytes / 1e6).toFixed(1)} MB`;
  const result = scenarioResult({ id: 'startup', title: '0. start-up only (--version)', workload: 'no registry traffic', target: { kind: 'info' } }, samples, [
    `copycat --version with an empty compile cache (a first-ever start): ${first.seconds.toFixed(3)} s${cpu}${rss}`,
  ]);
  return { ...result, extra: { firstStart: first } };
}
