/**
 * Small statistics and formatting helpers for the benchmark: medians, ratios and human units.
 */

/** The median of `values` (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The largest of `values`, or undefined when none is known (RSS may be unavailable). */
export function maxKnown(values: readonly (number | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const v of values) if (v !== undefined && (best === undefined || v > best)) best = v;
  return best;
}

/** Seconds with millisecond precision, for tables. */
export function formatSeconds(seconds: number | undefined): string {
  return seconds === undefined || Number.isNaN(seconds) ? '-' : seconds.toFixed(3);
}

/** Bytes as decimal megabytes (1 MB = 10^6 bytes), the unit the RSS targets are written in. */
export function formatMB(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Bytes as binary units (KiB/MiB/GiB), for blob and image sizes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Rounds to `digits` decimals for JSON output (keeps files readable and diffs small). */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
