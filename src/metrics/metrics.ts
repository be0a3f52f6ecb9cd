import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { hostLabel, registryLabel } from './registry-label.ts';

/**
 * How one mirror job ended, the `result` label of `copycat_mirror_duration_seconds`:
 * `copied` (something was pushed), `present` (the target already had the digest: one HEAD),
 * `failed`, `skipped` (excluded, cooling down, dry run). A closed set keeps the label bounded.
 */
export type MirrorResult = 'copied' | 'present' | 'failed' | 'skipped';

/** A wait forced by a registry; the same shape as `TransportObserver.onThrottle`'s argument. */
export interface ThrottleInfo {
  host: string;
  waitMs: number;
  reason: string;
}

/** Tuning for {@link CopycatMetrics}. */
export interface CopycatMetricsOptions {
  /** Also collect prom-client's process and Node.js metrics (default true), like the Go/process collectors upstream. */
  defaultMetrics?: boolean;
  /**
   * Most distinct `registry` label values before further ones are counted as `other` (default 100).
   * Registries are few in practice; the cap only guards against a bug feeding image names in.
   */
  maxRegistries?: number;
  /** Buckets of `copycat_mirror_duration_seconds` in seconds; the default spans a 10 ms HEAD to an hour-long copy. */
  durationBuckets?: number[];
}

/** The label value used once {@link CopycatMetricsOptions.maxRegistries} distinct registries were seen. */
export const OVERFLOW_REGISTRY = 'other';

const DEFAULT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * Every metric copycat exports, on a registry of its own (no prom-client global state, so tests and
 * several instances never collide). Methods are shaped as observers that the composition root hands
 * to lower modules (ARCHITECTURE §3: lower modules never import metrics); they never throw and
 * ignore non-finite or negative amounts.
 *
 * The four `k8s_copycat_registry_*` counters keep k8s-copycat's exact names, help texts and single
 * `registry` label (behaviour inventory §5.1), so existing dashboards and alerts keep working.
 */
export class CopycatMetrics {
  /** The prom-client registry holding every metric below (and the default ones when enabled). */
  readonly registry: Registry;

  readonly #pullSuccess: Counter<'registry'>;
  readonly #pullError: Counter<'registry'>;
  readonly #pushSuccess: Counter<'registry'>;
  readonly #pushError: Counter<'registry'>;
  readonly #mirrorDuration: Histogram<'result'>;
  readonly #bytesCopied: Counter;
  readonly #queueDepth: Gauge;
  readonly #jobs: Gauge<'state'>;
  readonly #throttleWaits: Counter<'registry'>;
  readonly #throttleSeconds: Counter<'registry'>;
  readonly #sparseRejected: Counter<'registry'>;
  readonly #registries = new Set<string>();
  readonly #maxRegistries: number;
  #jobStates = new Set<string>();

  constructor(opts: CopycatMetricsOptions = {}) {
    this.registry = new Registry();
    this.#maxRegistries = opts.maxRegistries ?? 100;
    const registers = [this.registry];
    const registryCounter = (name: string, help: string): Counter<'registry'> =>
      new Counter({ name, help, labelNames: ['registry'], registers });

    this.#pullSuccess = registryCounter('k8s_copycat_registry_pull_success_total', 'Total number of successful image pulls performed by k8s-copycat.');
    this.#pullError = registryCounter('k8s_copycat_registry_pull_error_total', 'Total number of failed image pulls performed by k8s-copycat.');
    this.#pushSuccess = registryCounter('k8s_copycat_registry_push_success_total', 'Total number of successful image pushes performed by k8s-copycat.');
    this.#pushError = registryCounter('k8s_copycat_registry_push_error_total', 'Total number of failed image pushes performed by k8s-copycat.');

    this.#mirrorDuration = new Histogram({
      name: 'copycat_mirror_duration_seconds',
      help: 'Wall time of one image mirror job, by result (copied, present, failed, skipped).',
      labelNames: ['result'],
      buckets: opts.durationBuckets ?? DEFAULT_BUCKETS,
      registers,
    });
    this.#bytesCopied = new Counter({ name: 'copycat_bytes_copied_total', help: 'Blob bytes uploaded to the target (mounted and already present blobs not counted).', registers });
    this.#queueDepth = new Gauge({ name: 'copycat_queue_depth', help: 'Images waiting in the work queue.', registers });
    this.#jobs = new Gauge({ name: 'copycat_jobs', help: 'Images known to the controller, by mirror state.', labelNames: ['state'], registers });
    this.#throttleWaits = registryCounter('copycat_rate_limit_waits_total', 'Times a request waited because a registry throttled (429, Retry-After) or failed.');
    this.#throttleSeconds = registryCounter('copycat_rate_limit_wait_seconds_total', 'Seconds spent waiting for throttling or failing registries.');
    this.#sparseRejected = registryCounter('copycat_sparse_index_rejected_total', 'Indexes a target refused because unselected platforms were absent (sparse index).');

    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The exposition format's Content-Type, for the `/metrics` response. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Counts a manifest/index resolution from `registry` (a host such as `ghcr.io`). */
  onPull(registry: string, ok: boolean): void {
    this.#inc(ok ? this.#pullSuccess : this.#pullError, hostLabel(registry));
  }

  /** Counts a push to `registry` (a host). */
  onPush(registry: string, ok: boolean): void {
    this.#inc(ok ? this.#pushSuccess : this.#pushError, hostLabel(registry));
  }

  /**
   * Upstream's `RecordPullSuccess`/`RecordPullError`: the label comes from the source reference as
   * written, via {@link registryLabel} (so `nginx:latest` counts for `docker.io`; `""` counts nothing).
   */
  recordPull(image: string, ok: boolean): void {
    this.#inc(ok ? this.#pullSuccess : this.#pullError, registryLabel(image));
  }

  /** Upstream's `RecordPushSuccess`/`RecordPushError`, labelled from the target reference string. */
  recordPush(image: string, ok: boolean): void {
    this.#inc(ok ? this.#pushSuccess : this.#pushError, registryLabel(image));
  }

  /** Records one finished mirror job: its duration and the blob bytes it uploaded. */
  onMirror(result: MirrorResult, seconds: number, bytes: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.#mirrorDuration.observe({ result }, seconds);
    if (Number.isFinite(bytes) && bytes > 0) this.#bytesCopied.inc(bytes);
  }

  /** Sets how many images wait in the work queue. */
  setQueueDepth(n: number): void {
    if (Number.isFinite(n) && n >= 0) this.#queueDepth.set(n);
  }

  /**
   * Sets the number of images per state (`{ pending: 3, mirrored: 40, failed: 1 }`). A state seen
   * before but missing now drops to 0, so a sum over states always equals the current total.
   */
  setJobs(counts: Readonly<Record<string, number>>): void {
    const now = new Set<string>();
    for (const [state, n] of Object.entries(counts)) {
      if (!Number.isFinite(n) || n < 0) continue;
      this.#jobs.set({ state }, n);
      now.add(state);
    }
    for (const state of this.#jobStates) if (!now.has(state)) this.#jobs.set({ state }, 0);
    this.#jobStates = new Set([...this.#jobStates, ...now]);
  }

  /** Counts a throttling wait; pass this object as a registry transport observer. */
  onThrottle(info: ThrottleInfo): void {
    const label = this.#label(hostLabel(info.host));
    if (label === undefined) return;
    this.#throttleWaits.inc({ registry: label });
    if (Number.isFinite(info.waitMs) && info.waitMs > 0) this.#throttleSeconds.inc({ registry: label }, info.waitMs / 1000);
  }

  /** Counts a target that refused a sparse index (ARCHITECTURE §2.3: never silent). */
  onSparseIndexRejected(registry: string): void {
    this.#inc(this.#sparseRejected, hostLabel(registry));
  }

  #inc(counter: Counter<'registry'>, raw: string | undefined): void {
    const label = this.#label(raw);
    if (label !== undefined) counter.inc({ registry: label });
  }

  /** Applies the cardinality cap: known labels pass, new ones pass until the cap, then fold into `other`. */
  #label(raw: string | undefined): string | undefined {
    if (raw === undefined) return undefined;
    if (this.#registries.has(raw)) return raw;
    if (this.#registries.size >= this.#maxRegistries) return OVERFLOW_REGISTRY;
    this.#registries.add(raw);
    return raw;
  }
}
