/**
 * Command-line compatibility with k8s-copycat, whose flags are Go `flag` flags (behaviour inventory §1.1):
 * booleans take `--flag`, `--flag=true|false` (any `strconv.ParseBool` spelling), and long flags may be written
 * with one dash (`-leader-elect=false`). Manifests written for upstream therefore run unchanged.
 */
import { InvalidArgumentError } from 'commander';

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's `strconv.ParseBool`; throws commander's `InvalidArgumentError` (a usage error) otherwise. */
export function parseGoBool(value: string): boolean {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InvalidArgumentError(`${JSON.stringify(value)} is not a boolean (use true or false)`);
}

/**
 * Rewrites Go's single-dash long flags (`-leader-elect=false`, `-kubeconfig x`) to `--…` for the flags in
 * `longFlags` (names without dashes); everything else, and everything after `--`, is left alone.
 */
export function normalizeGoFlags(args: readonly string[], longFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let rest = false;
  for (const arg of args) {
    if (rest || arg === '--') {
      rest = true;
      out.push(arg);
      continue;
    }
    const m = /^-([a-z][a-z0-9-]+)(=.*)?$/s.exec(arg);
    out.push(m !== null && longFlags.has(m[1] ?? '') ? `-${arg}` : arg);
  }
  return out;
}

/** Long flags that may be written Go-style with one dash (`-leader-elect=false`). */
export const CONTROLLER_LONG_FLAGS: ReadonlySet<string> = new Set([
  'kubeconfig',
  'context',
  'leader-elect',
  'leader-election-namespace',
  'leader-election-id',
  'metrics-bind-address',
  'health-probe-bind-address',
  'dry-run',
  'dry-pull',
  'zap-log-level',
  'zap-devel',
  'zap-encoder',
  'zap-stacktrace-level',
  'zap-time-encoding',
  'config',
]);
