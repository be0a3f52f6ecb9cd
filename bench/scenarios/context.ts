/**
 * What every scenario gets from the runner, and the helper that times one tool run.
 */
import type { RunningRegistry } from '../../test/support/registry.ts';
import type { Cleanup } from '../lib/cleanup.ts';
import { measureCommand } from '../lib/measure.ts';
import type { RunSample, Tool } from '../lib/series.ts';
import type { CommandLine } from '../lib/tools.ts';

/** Shared state of one benchmark run. */
export interface BenchContext {
  /** Timed runs per tool and scenario. */
  runs: number;
  /** The tools each scenario compares (`copycat` and `skopeo`, plus `copycat-tuned` unless disabled). */
  tools: readonly Tool[];
  cleanup: Cleanup;
  /** The registry every scenario reads from (seeded by the scenarios themselves). */
  source: RunningRegistry;
  /** Environment of each tool's processes (see `benchEnv`). */
  envs: Record<Tool, NodeJS.ProcessEnv>;
  log(message: string): void;
}

/**
 * Runs one command of `tool` and turns it into a sample. For copycat commands printing JSON with a
 * `seconds` field (`copy --json`, copy-many), that in-process time is recorded too.
 */
export async function timed(ctx: BenchContext, tool: Tool, run: number, cmd: CommandLine, timeoutMs = 300_000): Promise<RunSample> {
  const m = await measureCommand(cmd.command, cmd.args, { env: ctx.envs[tool], timeoutMs });
  let inProcessSeconds: number | undefined;
  const text = m.stdout.trim();
  if (text.startsWith('{')) {
    try {
      const seconds = (JSON.parse(text) as { seconds?: unknown }).seconds;
      if (typeof seconds === 'number') inProcessSeconds = seconds;
    } catch {
      // Not JSON after all: no in-process figure.
    }
  }
  return { run, seconds: m.seconds, peakRssBytes: m.peakRssBytes, cpuSeconds: m.cpuSeconds, ...(inProcessSeconds !== undefined ? { inProcessSeconds } : {}) };
}

/** A one-line log of a sample. */
export function describeSample(what: string, tool: Tool, sample: RunSample): string {
  const rss = sample.peakRssBytes === undefined ? '?' : (sample.peakRssBytes / 1e6).toFixed(1);
  const cpu = sample.cpuSeconds === undefined ? '' : `, ${sample.cpuSeconds.toFixed(2)} CPU-s`;
  return `  ${what} ${tool} run ${sample.run + 1}: ${sample.seconds.toFixed(3)} s, peak RSS ${rss} MB${cpu}`;
}
