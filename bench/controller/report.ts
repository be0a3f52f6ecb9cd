/**
 * The controller benchmark's results: one {@link ModeResult} per configuration, the targets judged on it
 * (PASS/MISS) and the plain-text report printed at the end. Pure.
 */
import { formatMB } from '../lib/stats.ts';
import type { ModeName } from './modes.ts';
import type { MemorySnapshot, StateCounts } from './protocol.ts';
import type { RequestSummary } from './requests.ts';
import type { VerifyResult } from './verify.ts';

/** The issue's targets. */
export interface Limits {
  /** Registry requests (source + target) of one full resync once converged, per unique image. */
  resyncRequestsPerImage: number;
  /** Peak RSS of the controller process, bytes (decimal MB, as the copy benchmark). */
  peakRssBytes: number;
}

/** The targets of the issue: a converged resync costs ≤ 1 request per unique image; peak RSS ≤ 250 MB. */
export const DEFAULT_LIMITS: Limits = Object.freeze({ resyncRequestsPerImage: 1, peakRssBytes: 250e6 });

/** Requests of one phase at both registries. */
export interface PhaseRequests {
  source: RequestSummary;
  target: RequestSummary;
  /** Source + target. */
  total: number;
  /** `total` per unique image. */
  perImage: number;
  /** The most frequent request shapes at either registry (`target HEAD /v2/<repo>/manifests/<digest>`). */
  topShapes: Array<{ shape: string; count: number }>;
  /** Answers that were not 2xx/3xx, by status and kind. */
  nonSuccess: Record<string, number>;
  /** Repositories (one per unique image) by how many requests they got: `{ '1': 235, '2': 65 }`. */
  perRepository: Record<string, number>;
}

/** One target, judged. */
export interface TargetCheck {
  name: string;
  value: number | undefined;
  max: number;
  pass: boolean;
}

/** Everything measured for one configuration. */
export interface ModeResult {
  mode: ModeName;
  title: string;
  /** Seconds from spawning the controller process: modules loaded and started, watches listed, all mirrored. */
  seconds?: { started: number; synced: number; converged: number } | undefined;
  /** Jobs by state once converged. */
  jobs?: StateCounts | undefined;
  convergence?: PhaseRequests | undefined;
  resync?: (PhaseRequests & { seconds: number; checked: number; requeued: number }) | undefined;
  memory?:
    | {
        /** VmHWM of the controller process at the end (its whole life). */
        peakRssBytes: number | undefined;
        /** After loading every module, before the first API request (reported by the process itself). */
        rssAtStartBytes?: number | undefined;
        rssAtSyncedBytes?: number | undefined;
        rssAtConvergedBytes?: number | undefined;
        rssAfterResyncBytes?: number | undefined;
        /** When the largest sampled RSS was seen, seconds after spawn. */
        peakSampleAtSeconds?: number | undefined;
        atConverged?: MemorySnapshot | undefined;
        /** While converging, from the process's progress reports: [seconds after spawn, RSS MB, V8 heap used MB, V8 heap total MB]. */
        timeline?: Array<[number, number, number, number]> | undefined;
      }
    | undefined;
  /** CPU seconds of the controller process up to convergence and for the resync. */
  cpuSeconds?: { converged: number; resync: number } | undefined;
  /** Requests the API server saw from the controller. */
  kube?: { requests: number; lists: number; watches: number; gets: number } | undefined;
  verify?: VerifyResult | undefined;
  targets: TargetCheck[];
  notes: string[];
  error?: string | undefined;
}

/** Judges a result against the limits; a figure that could not be measured is a MISS. */
export function checkTargets(r: Pick<ModeResult, 'resync' | 'memory'>, limits: Limits): TargetCheck[] {
  const resync = r.resync?.perImage;
  const rss = r.memory?.peakRssBytes;
  return [
    { name: 'converged resync requests per unique image', value: resync, max: limits.resyncRequestsPerImage, pass: resync !== undefined && resync <= limits.resyncRequestsPerImage },
    { name: 'controller peak RSS (bytes)', value: rss, max: limits.peakRssBytes, pass: rss !== undefined && rss <= limits.peakRssBytes },
  ];
}

const verdict = (r: ModeResult, i: number): string => (r.error !== undefined ? 'ERROR' : r.targets[i]?.pass ? 'PASS' : 'MISS');
const num = (v: number | undefined, digits = 2): string => (v === undefined ? '-' : v.toFixed(digits));

function methods(s: RequestSummary | undefined): string {
  return s === undefined ? '-' : Object.entries(s.byMethod).map(([m, n]) => `${m} ${n}`).join(', ') || 'none';
}

function kinds(s: RequestSummary | undefined): string {
  return s === undefined ? '-' : Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

/** The plain-text report: a table with one row per mode, then the details of each. */
export function renderReport(results: readonly ModeResult[], limits: Limits, workload: string): string {
  const header = ['mode', 'all mirrored (s)', 'jobs', 'converge req/img src + dst', `resync req/img (≤ ${limits.resyncRequestsPerImage})`, 'result', `peak RSS (≤ ${formatMB(limits.peakRssBytes)})`, 'result', 'CPU-s converge / resync'];
  const rows = results.map((r) => [
    r.mode,
    num(r.seconds?.converged),
    r.jobs === undefined ? '-' : String(Object.entries(r.jobs).filter(([k]) => k !== 'skipped').reduce((a, [, n]) => a + n, 0)),
    r.convergence === undefined ? '-' : `${num(r.convergence.source.perImage)} + ${num(r.convergence.target.perImage)} = ${num(r.convergence.perImage)}`,
    num(r.resync?.perImage, 3),
    verdict(r, 0),
    formatMB(r.memory?.peakRssBytes),
    verdict(r, 1),
    r.cpuSeconds === undefined ? '-' : `${num(r.cpuSeconds.converged)} / ${num(r.cpuSeconds.resync)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line), '', `workload: ${workload}`];
  for (const r of results) {
    out.push('', `${r.mode}: ${r.title}`);
    if (r.error !== undefined) out.push(`    ERROR: ${r.error}`);
    if (r.seconds) out.push(`    timeline: started ${num(r.seconds.started)} s, watches listed ${num(r.seconds.synced)} s, all mirrored ${num(r.seconds.converged)} s after spawn`);
    if (r.jobs) out.push(`    jobs: ${Object.entries(r.jobs).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (r.convergence) {
      out.push(`    converge, source: ${r.convergence.source.total} requests (${methods(r.convergence.source)})`);
      out.push(`    converge, target: ${r.convergence.target.total} requests (${methods(r.convergence.target)})`);
    }
    if (r.resync) {
      out.push(`    resync: ${num(r.resync.seconds, 3)} s, ${r.resync.checked} HEADs reported, ${r.resync.requeued} requeued; source ${r.resync.source.total} (${kinds(r.resync.source)}), target ${r.resync.target.total} (${kinds(r.resync.target)})`);
      out.push(`    resync requests per image: ${Object.entries(r.resync.perRepository).map(([n, repos]) => `${repos} images × ${n}`).join(', ') || 'none'}`);
      for (const s of r.resync.topShapes.slice(0, 4)) out.push(`      ${String(s.count).padStart(6)}  ${s.shape}`);
    }
    if (r.memory) {
      const m = r.memory;
      out.push(`    RSS: modules loaded ${formatMB(m.rssAtStartBytes)}, watches listed ${formatMB(m.rssAtSyncedBytes)}, converged ${formatMB(m.rssAtConvergedBytes)}, after resync ${formatMB(m.rssAfterResyncBytes)}, peak (VmHWM) ${formatMB(m.peakRssBytes)}${m.peakSampleAtSeconds !== undefined ? ` (largest sample at ${num(m.peakSampleAtSeconds, 1)} s)` : ''}`);
      if (m.atConverged) out.push(`    V8 at converged: heap used ${formatMB(m.atConverged.heapUsed)} of ${formatMB(m.atConverged.heapTotal)}, external ${formatMB(m.atConverged.external)}`);
    }
    if (r.kube) out.push(`    API server: ${r.kube.requests} requests (${r.kube.lists} lists, ${r.kube.watches} watches, ${r.kube.gets} gets)`);
    if (r.verify) out.push(`    target check: ${r.verify.ok}/${r.verify.checked} served as expected${r.verify.failures.length > 0 ? `; e.g. ${r.verify.failures.join('; ')}` : ''}`);
    for (const n of r.notes) out.push(`    note: ${n}`);
  }
  return out.join('\n');
}
