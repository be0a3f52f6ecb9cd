/**
 * Result shapes of the benchmark and the alternating runner that fills them.
 */
import { maxKnown, median, round } from './stats.ts';

/**
 * The sides of every comparison: copycat as a user runs it from this checkout, skopeo, and
 * `copycat-tuned`, the same copycat with launcher-level Node settings (see `TUNED_NODE_OPTIONS`),
 * reported for information only: the targets are judged on `copycat`.
 */
export type Tool = 'copycat' | 'skopeo' | 'copycat-tuned';

/** One timed run of one tool. */
export interface RunSample {
  run: number;
  /** Wall-clock seconds of the subprocess, start-up included. */
  seconds: number;
  peakRssBytes: number | undefined;
  /** User + system CPU seconds the process used (with GNU time). */
  cpuSeconds?: number | undefined;
  /** copycat only: seconds the process itself reports for the copy (after start-up and module loading). */
  inProcessSeconds?: number | undefined;
}

/** All runs of one tool in one scenario, summarised. */
export interface Series {
  samples: RunSample[];
  medianSeconds: number;
  /** The largest peak RSS over the runs. */
  peakRssBytes: number | undefined;
  medianInProcessSeconds?: number | undefined;
  /** Median CPU seconds (user + system), when measured. */
  medianCpuSeconds?: number | undefined;
}

/** What a scenario must achieve. */
export type ScenarioTarget =
  /** copycat median / skopeo median at most `max`. */
  | { kind: 'ratio'; max: number }
  /** copycat peak RSS below `maxBytes` (the time ratio is reported, not judged). */
  | { kind: 'rss'; maxBytes: number }
  /** Reported for context only (e.g. start-up cost), not judged. */
  | { kind: 'info' };

/** One row of the report. */
export interface ScenarioResult {
  id: string;
  title: string;
  /** What was copied, in words (sizes, counts). */
  workload: string;
  copycat?: Series | undefined;
  skopeo?: Series | undefined;
  /** copycat median seconds / skopeo median seconds. */
  ratio?: number | undefined;
  target: ScenarioTarget;
  pass: boolean;
  /** The informational tuned-launcher copycat, when it was run: its series and its ratio to skopeo. */
  tuned?: { series: Series; ratio: number; pass: boolean } | undefined;
  notes: string[];
  /** Further figures a scenario wants on record (e.g. a variant run). */
  extra?: Record<string, unknown> | undefined;
  /** Set when the scenario could not be measured. */
  error?: string | undefined;
}

/** Summarises samples into a {@link Series}. */
export function summarise(samples: RunSample[]): Series {
  const inProcess = samples.map((s) => s.inProcessSeconds).filter((v): v is number => v !== undefined);
  const cpu = samples.map((s) => s.cpuSeconds).filter((v): v is number => v !== undefined);
  return {
    samples: samples.map((s) => ({ ...s, seconds: round(s.seconds), ...(s.cpuSeconds !== undefined ? { cpuSeconds: round(s.cpuSeconds, 2) } : {}) })),
    medianSeconds: round(median(samples.map((s) => s.seconds))),
    peakRssBytes: maxKnown(samples.map((s) => s.peakRssBytes)),
    ...(inProcess.length > 0 ? { medianInProcessSeconds: round(median(inProcess)) } : {}),
    ...(cpu.length > 0 ? { medianCpuSeconds: round(median(cpu), 2) } : {}),
  };
}

/**
 * Runs `runs` rounds of every tool in `tools`, rotating which goes first each round so that drift in
 * machine load over time does not favour any side.
 */
export async function alternate(runs: number, tools: readonly Tool[], step: (tool: Tool, run: number) => Promise<RunSample>): Promise<Partial<Record<Tool, RunSample[]>>> {
  const out: Partial<Record<Tool, RunSample[]>> = {};
  for (const tool of tools) out[tool] = [];
  for (let run = 0; run < runs; run++) {
    const shift = run % tools.length;
    const order = [...tools.slice(shift), ...tools.slice(0, shift)];
    for (const tool of order) out[tool]!.push(await step(tool, run));
  }
  return out;
}

function meets(target: ScenarioTarget, ratio: number, series: Series): boolean {
  if (target.kind === 'ratio') return ratio <= target.max;
  if (target.kind === 'rss') return series.peakRssBytes !== undefined && series.peakRssBytes < target.maxBytes;
  return true;
}

/** Builds the result row from the series of each tool and the target. */
export function scenarioResult(base: Pick<ScenarioResult, 'id' | 'title' | 'workload' | 'target'>, samples: Partial<Record<Tool, RunSample[]>>, notes: string[] = []): ScenarioResult {
  if (!samples.copycat || !samples.skopeo) throw new Error(`${base.id}: both copycat and skopeo must have run`);
  const copycat = summarise(samples.copycat);
  const skopeo = summarise(samples.skopeo);
  const ratio = round(copycat.medianSeconds / skopeo.medianSeconds, 3);
  let tuned: ScenarioResult['tuned'];
  if (samples['copycat-tuned'] && samples['copycat-tuned'].length > 0) {
    const series = summarise(samples['copycat-tuned']);
    const tunedRatio = round(series.medianSeconds / skopeo.medianSeconds, 3);
    tuned = { series, ratio: tunedRatio, pass: meets(base.target, tunedRatio, series) };
  }
  return { ...base, copycat, skopeo, ratio, pass: meets(base.target, ratio, copycat), ...(tuned ? { tuned } : {}), notes };
}
