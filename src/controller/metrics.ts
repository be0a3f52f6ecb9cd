/**
 * What the controller reports for metrics. The method names and shapes are those of `CopycatMetrics`
 * (`src/metrics/metrics.ts`), so the composition root passes that object as is; the controller never imports
 * `metrics/` (ARCHITECTURE §3). Every method is optional and must not throw.
 */

/** How one mirror job ended, as the `result` label of `copycat_mirror_duration_seconds`. */
export type MirrorMetricResult = 'copied' | 'present' | 'failed' | 'skipped';

/** Observer for metrics (see the file comment). */
export interface ControllerMetrics {
  /** Upstream's `RecordPull*`: `image` is the source as written in the pod spec (its registry is the label). */
  recordPull?(image: string, ok: boolean): void;
  /** Upstream's `RecordPush*`: `image` is the target reference. */
  recordPush?(image: string, ok: boolean): void;
  /** One finished job: its result, wall time and uploaded bytes. */
  onMirror?(result: MirrorMetricResult, seconds: number, bytes: number): void;
  /** Jobs waiting in the queue. */
  setQueueDepth?(n: number): void;
  /** Images per state (`pending`, `mirrored`, `failed`, …). */
  setJobs?(counts: Readonly<Record<string, number>>): void;
  /** A wait because a registry throttled (429, `Retry-After`, exhausted `RateLimit-Remaining`). */
  onThrottle?(info: { host: string; waitMs: number; reason: string }): void;
  /** A target refused a platform-filtered (sparse) index (ARCHITECTURE §2.3: never silent). */
  onSparseIndexRejected?(registry: string): void;
}

/** Calls `fn` and swallows what it throws: a broken observer must not fail a mirror. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Observers must not throw (see ControllerMetrics); ignore one that does.
  }
}
