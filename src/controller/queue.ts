/**
 * A keyed work queue in the manner of client-go's workqueue, which k8s-copycat's controllers ran on: a key
 * waits at most once (adding it again while it waits changes nothing), a key is processed by one worker at a
 * time (adding it while it runs marks it dirty: it runs once more afterwards), delayed adds (`addAfter`), and
 * per-key exponential back-off for failures. `concurrency` workers (`maxConcurrentReconciles`).
 */
import { backoffDelay, type BackoffOptions } from '../internal/backoff.ts';

/** Processes one key; should handle its own errors (a throw is passed to `onError`). */
export type QueueHandler = (key: string, signal: AbortSignal) => Promise<void>;

/** Options of a {@link KeyedQueue}. */
export interface KeyedQueueOptions {
  /** Keys processed at once (at least 1). */
  concurrency: number;
  /** Back-off of {@link KeyedQueue.retry}; default 5 s doubling to 1000 s. */
  backoff?: BackoffOptions;
  /** Called with the number of waiting keys whenever it changes (for `copycat_queue_depth`). */
  onDepth?: (depth: number) => void;
  /** Called when the handler throws. */
  onError?: (key: string, error: unknown) => void;
  /** Randomness of back-off jitter (tests pass a constant). */
  random?: () => number;
}

/**
 * Default retry back-off: controller-runtime's per-item limiter doubles from 5 ms to 1000 s; starting at 5 s
 * spares registries the first burst of immediate retries (docs/differences.md).
 */
export const DEFAULT_QUEUE_BACKOFF: BackoffOptions = { initialMs: 5_000, maxMs: 1_000_000, jitter: 0.1 };

/** See the file comment. Workers start with {@link KeyedQueue.start}. */
export class KeyedQueue {
  readonly #handler: QueueHandler;
  readonly #concurrency: number;
  readonly #backoff: BackoffOptions;
  readonly #onDepth: (depth: number) => void;
  readonly #onError: (key: string, error: unknown) => void;
  readonly #random: () => number;
  readonly #waiting: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  readonly #failures = new Map<string, number>();
  readonly #idle: Array<() => void> = [];
  readonly #abort = new AbortController();
  readonly #running = new Set<Promise<void>>();
  #started = false;
  #stopped = false;

  constructor(handler: QueueHandler, options: KeyedQueueOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError(`queue concurrency must be a positive integer, got ${options.concurrency}`);
    this.#handler = handler;
    this.#concurrency = options.concurrency;
    this.#backoff = options.backoff ?? DEFAULT_QUEUE_BACKOFF;
    this.#onDepth = options.onDepth ?? (() => {});
    this.#onError = options.onError ?? (() => {});
    this.#random = options.random ?? Math.random;
  }

  /** Keys waiting to be processed (not counting delayed ones). */
  get depth(): number {
    return this.#waiting.length;
  }

  /** Keys being processed right now. */
  get active(): number {
    return this.#processing.size;
  }

  /** Keys scheduled for later. */
  get delayed(): number {
    return this.#delayed.size;
  }

  /** When a delayed key is due (epoch ms), if it is delayed. */
  dueAt(key: string): number | undefined {
    return this.#delayed.get(key)?.at;
  }

  /** True when the key waits, runs or is scheduled. */
  has(key: string): boolean {
    return this.#queued.has(key) || this.#processing.has(key) || this.#delayed.has(key);
  }

  /** Starts the workers (idempotent). Keys added before start wait. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#pump();
  }

  /** Queues a key now; see the file comment for the dedupe rules. A delayed entry for it is dropped. */
  add(key: string): void {
    if (this.#stopped) return;
    this.#clearDelay(key);
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#waiting.push(key);
    this.#onDepth(this.#waiting.length);
    this.#pump();
  }

  /** Queues a key after `delayMs`; an earlier schedule or a waiting entry wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    const at = Date.now() + delayMs;
    const current = this.#delayed.get(key);
    if (current !== undefined && current.at <= at) return;
    this.#clearDelay(key);
    const timer = setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    // Scheduled retries must not keep a finished CLI run alive; the controller process lives on its server and watches.
    timer.unref();
    this.#delayed.set(key, { at, timer });
  }

  /** Schedules a key again after its next back-off delay and returns that delay. */
  retry(key: string): number {
    const failures = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, failures);
    const delay = backoffDelay(failures - 1, this.#backoff, this.#random);
    this.addAfter(key, delay);
    return delay;
  }

  /** Forgets a key's failures, so its next retry starts from the initial back-off. */
  succeeded(key: string): void {
    this.#failures.delete(key);
  }

  /** Drops a key that waits or is scheduled (one being processed finishes, and is not re-run). */
  remove(key: string): void {
    this.#clearDelay(key);
    this.#dirty.delete(key);
    this.#failures.delete(key);
    if (this.#queued.delete(key)) {
      const i = this.#waiting.indexOf(key);
      if (i >= 0) this.#waiting.splice(i, 1);
      this.#onDepth(this.#waiting.length);
      this.#checkIdle();
    }
  }

  /** Resolves once nothing waits and nothing runs (scheduled keys do not count). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops: nothing new starts, schedules are cancelled, running handlers see their signal abort; resolves when they return. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const key of [...this.#delayed.keys()]) this.#clearDelay(key);
    this.#waiting.length = 0;
    this.#queued.clear();
    this.#dirty.clear();
    this.#onDepth(0);
    this.#abort.abort(new Error('queue stopped'));
    await Promise.allSettled([...this.#running]);
    this.#checkIdle();
  }

  #clearDelay(key: string): void {
    const d = this.#delayed.get(key);
    if (d !== undefined) {
      clearTimeout(d.timer);
      this.#delayed.delete(key);
    }
  }

  #pump(): void {
    if (!this.#started || this.#stopped) return;
    while (this.#processing.size < this.#concurrency && this.#waiting.length > 0) {
      const key = this.#waiting.shift()!;
      this.#queued.delete(key);
      this.#processing.add(key);
      this.#onDepth(this.#waiting.length);
      const run = this.#run(key);
      this.#running.add(run);
      void run.finally(() => this.#running.delete(run));
    }
  }

  async #run(key: string): Promise<void> {
    try {
      await this.#handler(key, this.#abort.signal);
    } catch (err) {
      this.#onError(key, err);
    } finally {
      this.#processing.delete(key);
      if (this.#dirty.delete(key)) this.add(key);
      this.#pump();
      this.#checkIdle();
    }
  }

  #isIdle(): boolean {
    return this.#waiting.length === 0 && this.#processing.size === 0;
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
