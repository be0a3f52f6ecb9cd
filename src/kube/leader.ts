/**
 * Leader election on a `coordination.k8s.io/v1` Lease with client-go's semantics
 * (`tools/leaderelection`): lease duration 15 s, renew deadline 10 s, retry period 2 s, retries
 * jittered by 1.2; a candidate trusts only its *own clock's* record of when the lease last changed
 * (not `renewTime`, so clock skew between nodes does not matter); acquiring and renewing are
 * optimistic replaces (409 means another candidate won); a leader that cannot renew within the
 * renew deadline stops leading before anyone else may take over. There is no fencing: a paused
 * leader may briefly overlap a new one, which costs copycat bandwidth, never correctness, because
 * mirroring is idempotent by digest.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { anySignal, sleep } from '../internal/abort.ts';
import type { KubeClient } from './client.ts';
import { KubeError, normaliseKubeError } from './errors.ts';
import { DEFAULT_LEASE_NAME, formatMicroTime, LeaseClient } from './lease.ts';
import type { LeaseLike, LeaseSpec } from './types.ts';

/** The three durations of leader election, in milliseconds. */
export interface LeaderTimings {
  /** How long followers wait, from their own observation of the last change, before taking over. */
  leaseDurationMs: number;
  /** How long the leader keeps retrying a failed renewal before it steps down. */
  renewDeadlineMs: number;
  /** Pause between attempts. */
  retryPeriodMs: number;
}

/** client-go's defaults: 15 s, 10 s, 2 s. */
export const DEFAULT_LEADER_TIMINGS: Readonly<LeaderTimings> = Object.freeze({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });

/** client-go's `JitterFactor`: candidates wait retryPeriod × (1 + random × 1.2) between attempts. */
export const LEADER_JITTER_FACTOR = 1.2;

/** Checks the timings as client-go's `NewLeaderElector` does; throws `KUBE_LEADER_CONFIG_INVALID`. */
export function validateTimings(t: LeaderTimings): void {
  const bad = (message: string): KubeError => new KubeError('KUBE_LEADER_CONFIG_INVALID', message);
  for (const [name, value] of Object.entries(t)) {
    if (!Number.isFinite(value) || value <= 0) throw bad(`leader election ${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  if (t.leaseDurationMs <= t.renewDeadlineMs) throw bad(`leader election leaseDuration (${t.leaseDurationMs} ms) must be greater than renewDeadline (${t.renewDeadlineMs} ms)`);
  if (t.renewDeadlineMs <= LEADER_JITTER_FACTOR * t.retryPeriodMs) {
    throw bad(`leader election renewDeadline (${t.renewDeadlineMs} ms) must be greater than retryPeriod × ${LEADER_JITTER_FACTOR} (${t.retryPeriodMs} ms)`);
  }
}

/** What a candidate should do with the lease it just read. */
export type LeaderDecision =
  /** Write `spec` to take the lease: it is missing, released, or expired by our own clock. */
  | { action: 'acquire'; spec: LeaseSpec }
  /** We hold it: write `spec` (a fresh `renewTime`). */
  | { action: 'renew'; spec: LeaseSpec }
  /** Someone else holds a live lease; it expires at `expiresAt` by our clock unless renewed. */
  | { action: 'follow'; holder: string; expiresAt: number };

/**
 * The pure core of client-go's `tryAcquireOrRenew`. `lease` is the spec as read (undefined: no
 * Lease exists); `observedAt` is when *we* first saw this exact spec (our clock). A lease held by
 * another identity is live until `observedAt + leaseDurationSeconds` (the holder's own setting
 * when it wrote one). Taking over bumps `leaseTransitions`; renewing keeps it and `acquireTime`.
 */
export function decide(
  lease: LeaseSpec | undefined,
  identity: string,
  now: number,
  observedAt: number,
  options: { leaseDurationSeconds: number } = { leaseDurationSeconds: 15 },
): LeaderDecision {
  const stamp = formatMicroTime(now);
  const mine: LeaseSpec = { holderIdentity: identity, leaseDurationSeconds: options.leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 };
  if (lease === undefined) return { action: 'acquire', spec: mine };
  const holder = lease.holderIdentity ?? '';
  const transitions = lease.leaseTransitions ?? 0;
  if (holder === identity) return { action: 'renew', spec: { ...mine, acquireTime: lease.acquireTime ?? stamp, leaseTransitions: transitions } };
  const seconds = lease.leaseDurationSeconds !== undefined && lease.leaseDurationSeconds > 0 ? lease.leaseDurationSeconds : options.leaseDurationSeconds;
  const expiresAt = observedAt + seconds * 1000;
  if (holder !== '' && expiresAt > now) return { action: 'follow', holder, expiresAt };
  return { action: 'acquire', spec: { ...mine, leaseTransitions: transitions + 1 } };
}

/**
 * The spec a leader writes when it steps down on purpose, as client-go's `release()`: no holder,
 * a 1 s duration, fresh times, transitions kept. Followers may take over at once.
 */
export function releaseSpec(lease: LeaseSpec | undefined, now: number): LeaseSpec {
  const stamp = formatMicroTime(now);
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp, leaseTransitions: lease?.leaseTransitions ?? 0 };
}

/** A candidate identity like client-go's examples: host name plus a random UUID, unique per process. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** Options of {@link LeaderElector}. */
export interface LeaderElectionOptions extends Partial<LeaderTimings> {
  client: KubeClient;
  /** Namespace of the Lease (in-cluster: the pod's namespace). */
  namespace: string;
  /** Lease name (default {@link DEFAULT_LEASE_NAME}). */
  name?: string;
  /** This candidate's identity (default {@link defaultIdentity}). */
  identity?: string;
  /** Give the lease up on `stop()` so another replica takes over at once (default true, client-go's `ReleaseOnCancel`). */
  releaseOnStop?: boolean;
  /** Called when this candidate becomes leader; `signal` aborts when it stops leading. Must not throw. */
  onStartedLeading?: (signal: AbortSignal) => void;
  /** Called when this candidate stops leading (lost the lease, or stopped). */
  onStoppedLeading?: () => void;
  /** Called when a new holder is observed (including ourselves). */
  onNewLeader?: (identity: string) => void;
  /** Unexpected API failures (not the 409s of a lost race); the loop keeps trying. */
  onError?: (err: KubeError) => void;
  /** Random source for the retry jitter (tests). */
  random?: () => number;
}

/** Compares the fields of two lease specs (key order of the JSON must not matter). */
function sameSpec(a: LeaseSpec | undefined, b: LeaseSpec | undefined): boolean {
  return (
    a?.holderIdentity === b?.holderIdentity &&
    a?.leaseDurationSeconds === b?.leaseDurationSeconds &&
    a?.acquireTime === b?.acquireTime &&
    a?.renewTime === b?.renewTime &&
    a?.leaseTransitions === b?.leaseTransitions
  );
}

/** Runs leader election for one candidate: `start()`, then `isLeader()`, callbacks, and `stop()`. */
export class LeaderElector {
  /** This candidate's identity as written into `holderIdentity`. */
  readonly identity: string;
  readonly #o: LeaderElectionOptions;
  readonly #t: LeaderTimings;
  readonly #leases: LeaseClient;
  readonly #seconds: number;
  readonly #abort = new AbortController();
  #run: Promise<void> | undefined;
  #lease: LeaseLike | undefined;
  #observedAt = 0;
  #reportedLeader: string | undefined;
  #leading: AbortController | undefined;
  #lastRenew = 0;

  constructor(options: LeaderElectionOptions) {
    this.#o = options;
    this.#t = {
      leaseDurationMs: options.leaseDurationMs ?? DEFAULT_LEADER_TIMINGS.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs ?? DEFAULT_LEADER_TIMINGS.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs ?? DEFAULT_LEADER_TIMINGS.retryPeriodMs,
    };
    validateTimings(this.#t);
    if (options.namespace.trim() === '') throw new KubeError('KUBE_LEADER_CONFIG_INVALID', 'leader election needs a lease namespace (set one when running outside a cluster)');
    this.identity = options.identity ?? defaultIdentity();
    this.#leases = new LeaseClient(options.client, options.namespace, options.name ?? DEFAULT_LEASE_NAME);
    // The Lease stores whole seconds; round up so a follower never waits less than configured.
    this.#seconds = Math.max(1, Math.ceil(this.#t.leaseDurationMs / 1000));
  }

  /** Starts campaigning in the background (idempotent); returns this. */
  start(): this {
    this.#run ??= this.#loop();
    return this;
  }

  /** True while this candidate holds the lease. */
  isLeader(): boolean {
    return this.#leading !== undefined;
  }

  /** The holder last observed (undefined before the first read, `''` when released). */
  leader(): string | undefined {
    return this.#lease?.spec?.holderIdentity;
  }

  /**
   * Stops campaigning; a leader stops leading (`onStoppedLeading`) and then, unless `release` is
   * false, writes a released lease so a follower takes over at once instead of after the duration.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    const wasLeader = this.isLeader();
    this.#abort.abort();
    await this.#run;
    if (wasLeader && (options.release ?? this.#o.releaseOnStop ?? true)) await this.#release();
  }

  async #loop(): Promise<void> {
    const signal = this.#abort.signal;
    const random = this.#o.random ?? Math.random;
    while (!signal.aborted) {
      while (!signal.aborted && !(await this.#tryAcquireOrRenew(signal))) {
        await sleep(this.#t.retryPeriodMs * (1 + random() * LEADER_JITTER_FACTOR), signal).catch(() => undefined);
      }
      if (signal.aborted) return;
      this.#startLeading();
      while (!signal.aborted && (await this.#renew(signal)));
      this.#stopLeading();
    }
  }

  /** One renewal round, retried until the renew deadline counted from the last success. */
  async #renew(signal: AbortSignal): Promise<boolean> {
    await sleep(this.#t.retryPeriodMs, signal).catch(() => undefined);
    const deadline = this.#lastRenew + this.#t.renewDeadlineMs;
    while (!signal.aborted) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      if (await this.#tryAcquireOrRenew(anySignal(signal, AbortSignal.timeout(left)) ?? signal)) return true;
      // Someone else holds it now: step down at once rather than wait out the deadline.
      if (this.#lease?.spec?.holderIdentity !== this.identity && this.#lease?.spec?.holderIdentity) return false;
      await sleep(Math.min(this.#t.retryPeriodMs, Math.max(0, deadline - Date.now())), signal).catch(() => undefined);
    }
    return false;
  }

  #startLeading(): void {
    this.#leading = new AbortController();
    try {
      this.#o.onStartedLeading?.(this.#leading.signal);
    } catch {
      // A callback must not kill the election loop.
    }
  }

  #stopLeading(): void {
    const leading = this.#leading;
    if (leading === undefined) return;
    this.#leading = undefined;
    leading.abort();
    try {
      this.#o.onStoppedLeading?.();
    } catch {
      // A callback must not kill the election loop.
    }
  }

  /** Records a lease read or written; a changed spec restarts our own expiry clock. */
  #observe(lease: LeaseLike, now: number): void {
    if (!sameSpec(lease.spec, this.#lease?.spec)) this.#observedAt = now;
    this.#lease = lease;
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== '' && holder !== this.#reportedLeader) {
      this.#reportedLeader = holder;
      try {
        this.#o.onNewLeader?.(holder);
      } catch {
        // A callback must not kill the election loop.
      }
    }
  }

  #fail(err: unknown, quiet: string[]): void {
    const e = normaliseKubeError(err, `lease ${this.#leases.namespace}/${this.#leases.name}`);
    if (!quiet.includes(e.code)) this.#o.onError?.(e);
  }

  async #write(read: LeaseLike | undefined, spec: LeaseSpec, signal: AbortSignal): Promise<boolean> {
    try {
      const written = read === undefined ? await this.#leases.create(spec, signal) : await this.#leases.replace(read, spec, signal);
      this.#observe(written, Date.now());
      this.#lastRenew = Date.now();
      return true;
    } catch (err) {
      if (this.#abort.signal.aborted) return false;
      this.#fail(err, ['KUBE_CONFLICT', 'KUBE_ALREADY_EXISTS']);
      return false;
    }
  }

  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    // Fast path (client-go ≥ 1.27): a leader renews from its cached copy without reading first.
    if (this.#leading !== undefined && this.#lease !== undefined) {
      const d = decide(this.#lease.spec, this.identity, Date.now(), this.#observedAt, { leaseDurationSeconds: this.#seconds });
      if (d.action === 'renew' && (await this.#write(this.#lease, d.spec, signal))) return true;
    }
    let lease: LeaseLike | undefined;
    try {
      lease = await this.#leases.get(signal);
    } catch (err) {
      if (!this.#abort.signal.aborted) this.#fail(err, []);
      return false;
    }
    const now = Date.now();
    if (lease !== undefined) this.#observe(lease, now);
    const d = decide(lease?.spec, this.identity, now, this.#observedAt, { leaseDurationSeconds: this.#seconds });
    if (d.action === 'follow') return false;
    return this.#write(lease, d.spec, signal);
  }

  async #release(): Promise<void> {
    const signal = AbortSignal.timeout(this.#t.renewDeadlineMs);
    try {
      const lease = await this.#leases.get(signal);
      if (lease === undefined || lease.spec?.holderIdentity !== this.identity) return;
      this.#observe(await this.#leases.replace(lease, releaseSpec(lease.spec, Date.now()), signal), Date.now());
    } catch (err) {
      // Not fatal: followers take over once the lease expires.
      this.#fail(err, ['KUBE_CONFLICT']);
    }
  }
}
