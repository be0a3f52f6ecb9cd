/**
 * A counting semaphore: at most `limit` holders at once, waiters served in FIFO order.
 * Every fan-out in copycat goes through one of these so concurrency stays bounded.
 */
export class Limiter {
  readonly limit: number;
  #active = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limiter limit must be a positive integer, got ${limit}`);
    this.limit = limit;
  }

  /** Number of holders right now. */
  get active(): number {
    return this.#active;
  }

  /** Number of callers waiting for a slot. */
  get pending(): number {
    return this.#waiters.length;
  }

  /** Runs `fn` once a slot is free and releases the slot when it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(() => resolve()));
  }

  #release(): void {
    const next = this.#waiters.shift();
    // Hand the slot straight to the next waiter so `active` never dips and lets a newcomer jump the queue.
    if (next) next();
    else this.#active--;
  }
}
