/**
 * The human-readable report: one row per scenario with medians, ratio, target, verdict, peak RSS and
 * CPU time, plus an informational row for the tuned copycat when it ran.
 */
import type { ScenarioResult, Series } from './series.ts';
import { formatMB, formatSeconds } from './stats.ts';

function targetText(r: ScenarioResult): string {
  const t = r.target;
  if (t.kind === 'ratio') return `ratio ≤ ${t.max}`;
  if (t.kind === 'rss') return `RSS < ${formatMB(t.maxBytes)}`;
  return 'info';
}

function verdict(r: ScenarioResult, pass: boolean): string {
  if (r.error !== undefined) return 'ERROR';
  if (r.target.kind === 'info') return '-';
  return pass ? 'PASS' : 'MISS';
}

function cpu(series: Series | undefined): string {
  return series?.medianCpuSeconds === undefined ? '-' : series.medianCpuSeconds.toFixed(2);
}

/** Renders the results as an aligned plain-text table followed by workloads, notes and errors. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'copycat median (s)', 'skopeo median (s)', 'ratio', 'target', 'result', 'copycat peak RSS', 'skopeo peak RSS', 'copycat in-process (s)', 'CPU-s copycat / skopeo'];
  const rows: string[][] = [];
  for (const r of results) {
    rows.push([
      r.title,
      formatSeconds(r.copycat?.medianSeconds),
      formatSeconds(r.skopeo?.medianSeconds),
      r.ratio === undefined ? '-' : r.ratio.toFixed(3),
      targetText(r),
      verdict(r, r.pass),
      formatMB(r.copycat?.peakRssBytes),
      formatMB(r.skopeo?.peakRssBytes),
      formatSeconds(r.copycat?.medianInProcessSeconds),
      `${cpu(r.copycat)} / ${cpu(r.skopeo)}`,
    ]);
    if (r.tuned) {
      rows.push([
        '   └ copycat, tuned launcher (info)',
        formatSeconds(r.tuned.series.medianSeconds),
        formatSeconds(r.skopeo?.medianSeconds),
        r.tuned.ratio.toFixed(3),
        targetText(r),
        r.target.kind === 'info' ? '-' : `(${verdict(r, r.tuned.pass)})`,
        formatMB(r.tuned.series.peakRssBytes),
        formatMB(r.skopeo?.peakRssBytes),
        formatSeconds(r.tuned.series.medianInProcessSeconds),
        `${cpu(r.tuned.series)} / ${cpu(r.skopeo)}`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line), ''];
  for (const r of results) {
    out.push(`${r.title}: ${r.workload}`);
    for (const n of r.notes) out.push(`    note: ${n}`);
    if (r.error !== undefined) out.push(`    ERROR: ${r.error}`);
  }
  return out.join('\n');
}
