/**
 * A small TTL cache for API reads: concurrent loads of one key share a single request, answers are
 * reused for `ttlMs`, and when a refresh fails the last answer is served again (an API server blip
 * must not take away what was known a minute ago; the next call tries again).
 */

/** Options of a {@link TtlCache}. */
export interface TtlCacheOptions {
  /** How long an answer is reused, in milliseconds. */
  ttlMs: number;
  now?: () => number;
  /** Expired entries are swept once the cache holds this many (default 4096), so it cannot grow without bound. */
  sweepAt?: number;
}

/** See the file comment. */
export class TtlCache<T> {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #sweepAt: number;
  readonly #settled = new Map<string, { at: number; value: T }>();
  readonly #loading = new Map<string, Promise<T>>();

  constructor(options: TtlCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#sweepAt = options.sweepAt ?? 4096;
  }

  /** How many answers are kept. */
  get size(): number {
    return this.#settled.size;
  }

  /** The fresh answer for `key`, else the result of `load` (shared with concurrent callers); a failed refresh serves the stale answer. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#settled.get(key);
    if (hit !== undefined && this.#now() - hit.at < this.#ttlMs) return Promise.resolve(hit.value);
    const running = this.#loading.get(key);
    if (running !== undefined) return running;
    const promise = load().then(
      (value) => {
        this.#store(key, value);
        return value;
      },
      (err: unknown) => {
        const stale = this.#settled.get(key);
        if (stale !== undefined) return stale.value;
        throw err;
      },
    );
    const tracked = promise.finally(() => this.#loading.delete(key));
    this.#loading.set(key, tracked);
    return tracked;
  }

  /** Forgets one key, or everything. */
  invalidate(key?: string): void {
    if (key === undefined) this.#settled.clear();
    else this.#settled.delete(key);
  }

  #store(key: string, value: T): void {
    const now = this.#now();
    if (this.#settled.size >= this.#sweepAt) {
      for (const [k, e] of this.#settled) if (now - e.at >= this.#ttlMs) this.#settled.delete(k);
    }
    this.#settled.set(key, { at: now, value });
  }
}
