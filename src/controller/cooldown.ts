/**
 * Two kinds of waiting after failures:
 * - {@link FailureCooldown}: k8s-copycat's failure cooldown (behaviour inventory §3.13): a target that failed is
 *   not tried again for `failureCooldownMinutes`; 0 disables it. Keyed by the target reference, so one failure
 *   holds back every workload that maps to that target, as upstream.
 * - {@link RegistryBackoff}: copycat's per-registry back-off: a source that answered 429 or announced an
 *   exhausted budget (`RateLimit-Remaining: 0`) is left alone for a while, for every image on it, instead of
 *   each image failing into its own hour-long cooldown.
 */
import type { RateLimitInfo } from '../registry/index.ts';

/** Milliseconds since the epoch; tests pass a fake clock. */
export type Clock = () => number;

/** See the file comment. */
export class FailureCooldown {
  readonly durationMs: number;
  readonly #now: Clock;
  readonly #failedAt = new Map<string, number>();

  /** `durationMs` ≤ 0 disables the cooldown (`failureCooldownMinutes: 0`, upstream #252). */
  constructor(durationMs: number, now: Clock = Date.now) {
    this.durationMs = Math.max(0, durationMs);
    this.#now = now;
  }

  /** Whether failures are remembered at all. */
  get enabled(): boolean {
    return this.durationMs > 0;
  }

  /** Targets currently remembered as failed (expired ones included until they are next looked at). */
  get size(): number {
    return this.#failedAt.size;
  }

  /**
   * `beginProcessing`'s check: the time the cooldown of `key` ends when it is cooling down, else undefined.
   * An expired entry is removed (TestBeginProcessingAllowsAfterCooldown).
   */
  check(key: string): number | undefined {
    if (!this.enabled) return undefined;
    const at = this.#failedAt.get(key);
    if (at === undefined) return undefined;
    const until = at + this.durationMs;
    if (this.#now() < until) return until;
    this.#failedAt.delete(key);
    return undefined;
  }

  /** `failureResult`: records a failure now and returns when the cooldown ends; undefined when disabled (nothing recorded). */
  fail(key: string): number | undefined {
    if (!this.enabled) return undefined;
    const now = this.#now();
    this.#failedAt.set(key, now);
    return now + this.durationMs;
  }

  /** Forgets a failure after a success. */
  succeed(key: string): void {
    this.#failedAt.delete(key);
  }

  /** `ResetCooldown`: clears every entry; `{ cleared, enabled }` (`{0, false}` when disabled, as upstream). */
  reset(): { cleared: number; enabled: boolean } {
    if (!this.enabled) return { cleared: 0, enabled: false };
    const cleared = this.#failedAt.size;
    this.#failedAt.clear();
    return { cleared, enabled: true };
  }

  /** Drops expired entries (upstream's map was never collected, §7.2 "Memory"). */
  prune(): void {
    const now = this.#now();
    for (const [key, at] of this.#failedAt) if (now >= at + this.durationMs) this.#failedAt.delete(key);
  }
}

/** Options of a {@link RegistryBackoff}. */
export interface RegistryBackoffOptions {
  /** First wait after a 429 without `Retry-After` (default 30 s); doubles while 429s continue. */
  initialMs?: number;
  /** Longest wait, also the cap on a `Retry-After` or a rate-limit window (default 15 min). */
  maxMs?: number;
  now?: Clock;
}

interface Hold {
  until: number;
  reason: string;
  strikes: number;
}

/** See the file comment. */
export class RegistryBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #now: Clock;
  readonly #holds = new Map<string, Hold>();

  constructor(options: RegistryBackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 30_000;
    this.#maxMs = options.maxMs ?? 15 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** A registry throttled us (429): hold it for `Retry-After` when given, else a doubling wait. Returns the wait. */
  throttled(registry: string, retryAfterMs?: number): number {
    const key = registry.toLowerCase();
    const strikes = (this.#holds.get(key)?.strikes ?? 0) + 1;
    const wait = Math.min(this.#maxMs, retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : this.#initialMs * 2 ** (strikes - 1));
    this.#hold(key, wait, retryAfterMs !== undefined ? 'Retry-After' : '429 Too Many Requests', strikes);
    return wait;
  }

  /**
   * A registry announced its budget. `remaining: 0` holds it for the announced window (capped) or the initial
   * wait; returns the wait, or undefined when the budget is not exhausted.
   */
  rateLimit(registry: string, info: RateLimitInfo): number | undefined {
    if (info.remaining === undefined || info.remaining > 0) return undefined;
    const key = registry.toLowerCase();
    const current = this.#holds.get(key);
    if (current !== undefined && current.until > this.#now()) return undefined;
    const wait = Math.min(this.#maxMs, info.windowSeconds !== undefined && info.windowSeconds > 0 ? info.windowSeconds * 1000 : this.#initialMs);
    this.#hold(key, wait, 'RateLimit-Remaining: 0', (current?.strikes ?? 0) + 1);
    return wait;
  }

  /** Milliseconds until requests to `registry` may resume (0: now). */
  remaining(registry: string): number {
    const hold = this.#holds.get(registry.toLowerCase());
    if (hold === undefined) return 0;
    return Math.max(0, hold.until - this.#now());
  }

  /** Why a registry is held, when it is. */
  reason(registry: string): string | undefined {
    return this.remaining(registry) > 0 ? this.#holds.get(registry.toLowerCase())?.reason : undefined;
  }

  /** A request to the registry succeeded: forget its strikes once its hold has passed. */
  clear(registry: string): void {
    const key = registry.toLowerCase();
    if (this.remaining(key) === 0) this.#holds.delete(key);
  }

  #hold(key: string, wait: number, reason: string, strikes: number): void {
    this.#holds.set(key, { until: this.#now() + wait, reason, strikes });
  }
}
