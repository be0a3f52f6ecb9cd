/** Options of an exponential backoff with full jitter. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  initialMs: number;
  /** Upper bound of any single delay, in milliseconds. */
  maxMs: number;
  /** Growth factor per attempt (2 doubles each time). */
  factor?: number;
  /** Fraction of the delay that is randomised, 0..1 (0 = deterministic). */
  jitter?: number;
}

/**
 * Delay before retry number `attempt` (0-based) of an exponential backoff.
 * Jitter spreads retries of many clients hitting the same throttled registry.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const factor = opts.factor ?? 2;
  const jitter = opts.jitter ?? 0.2;
  const base = Math.min(opts.maxMs, opts.initialMs * factor ** attempt);
  const spread = base * jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

/**
 * Parses an HTTP `Retry-After` header (delta-seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unparsable. See RFC 9110 §10.2.3.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP-date form starts with a day name (RFC 9110 §5.6.7); V8's lenient Date.parse would
  // otherwise read junk such as "-5" or "1.5" as a past date, i.e. "retry at once" instead of backing off.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
