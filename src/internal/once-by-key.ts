/**
 * Runs an async task at most once per key while it is in flight or has succeeded:
 * concurrent callers share the first caller's promise, and a failed run is forgotten
 * so a later caller retries (go-containerregistry's per-digest "workers" table, regclient's seen map).
 */
export class OnceByKey<T> {
  readonly #entries = new Map<string, Promise<T>>();

  /** Runs `fn` for `key` unless a run is in flight or has succeeded; returns that run's result. */
  do(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.#entries.get(key);
    if (existing) return existing;
    const run = fn();
    this.#entries.set(key, run);
    run.catch(() => {
      // Only forget this exact run: a retry may have replaced it meanwhile.
      if (this.#entries.get(key) === run) this.#entries.delete(key);
    });
    return run;
  }

  /** True when `key` has a run in flight or a successful one. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Number of keys remembered. */
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Shares one in-flight run per key between concurrent callers and forgets the key once the run
 * settles, success or failure: for work whose result has its own cache (tokens) or must be redone later.
 */
export class InFlight<T> {
  readonly #running = new Map<string, Promise<T>>();

  /** Runs `fn` for `key` unless a run for it is in flight, whose result is then shared. */
  run(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.#running.get(key);
    if (existing) return existing;
    const run = fn().finally(() => this.#running.delete(key));
    this.#running.set(key, run);
    return run;
  }
}
