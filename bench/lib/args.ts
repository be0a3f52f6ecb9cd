/**
 * Small helpers both benchmark entry points share: checking numeric flags and recording tool versions.
 */
import { execFileSync } from 'node:child_process';

/** `value` of flag `--name` as a whole number ≥ `min`; throws naming the flag and the value otherwise. */
export function wholeNumber(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** The first line `cmd args` prints (its version), or `unknown` when it cannot run: recorded with the results. */
export function toolVersion(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0] ?? '';
  } catch {
    return 'unknown';
  }
}
