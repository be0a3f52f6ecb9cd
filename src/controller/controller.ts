/**
 * The controller: Kubernetes objects in, mirrored images out.
 *
 * ```
 * observe(obj) ─► object queue ─► evaluate (filters, owners, node, planner) ─► demand index ─► job queue ─► mirror
 * ```
 *
 * Kube callbacks only call the synchronous {@link Controller.observe} / {@link Controller.forget}, which store
 * a slim copy and enqueue (ARCHITECTURE §4). A job is one image use key (target + pull reference + platforms),
 * so 200 pods of one Deployment are one job; a job that already mirrored is not run again because another pod
 * appeared; the periodic {@link Controller.resync} re-checks mirrored images with at most one HEAD each.
 * Failures follow k8s-copycat's cooldown (§3.13) or, for a source that throttles, a per-registry back-off.
 * With `pullSecrets` (`usePodPullSecrets`), each job reads its source with its own users' pull secrets (job-sources.ts).
 */
import { Copier, type CopyEvent } from '../copy/index.ts';
import type { BackoffOptions } from '../internal/backoff.ts';
import { errorMessage } from '../internal/errors.ts';
import { Limiter } from '../internal/limiter.ts';
import { pullSecretUserOf, type KubeObject, type PullSecretUser } from '../kube/index.ts';
import type { RateLimitInfo, RegistryClient } from '../registry/index.ts';
import type { Target } from '../targets/index.ts';
import { classifyError } from './classify.ts';
import { FailureCooldown, RegistryBackoff, type Clock, type RegistryBackoffOptions } from './cooldown.ts';
import { DemandIndex, type DemandEntry } from './demand.ts';
import { ControllerError, MirrorError } from './errors.ts';
import { evaluateObject, type Evaluation, type ObjectFilters } from './evaluate.ts';
import { JobSources, type JobSource, type PullSecretsLookup, type SourceCredentialSources } from './job-sources.ts';
import { KeyedLock } from './locks.ts';
import { noopLogger, withFields, type Logger } from './logger.ts';
import { safely, type ControllerMetrics, type MirrorMetricResult } from './metrics.ts';
import { isStopped, mirrorImage, type MirrorOutcome } from './mirror.ts';
import { keyOf, refOf, slimObject } from './objects.ts';
import type { PlanDecision } from './planner.ts';
import type { MirrorRules } from './rules.ts';
import { countStates, imageStatus, redactSecrets, type ControllerStatus, type JobRecord } from './status.ts';
import { KeyedQueue } from './queue.ts';

/** Everything a {@link Controller} runs with. */
export interface ControllerOptions {
  rules: MirrorRules;
  target: Target;
  /** Client for source registries (source credentials; pass `onRateLimit` → {@link Controller.onRateLimit}). */
  source: RegistryClient;
  /**
   * `usePodPullSecrets`: fetches the pull secrets of a job's users (the kube module's `podPullSecretsFetcher`).
   * When set, and only then, each job reads its source with `sourceCredentials.config` → the pull secrets of
   * that job's own users → `sourceCredentials.dockerConfig` → anonymous; never with another namespace's
   * secrets (job-sources.ts says why). Jobs whose users have no pull secret use `source`.
   */
  pullSecrets?: PullSecretsLookup | undefined;
  /** With `pullSecrets`: the credential sources `source` was built with, to put the pull secrets between. */
  sourceCredentials?: SourceCredentialSources | undefined;
  /** Client for the target (the target's credentials). */
  targetClient: RegistryClient;
  filters: ObjectFilters;
  dryRun?: boolean;
  dryPull?: boolean;
  /** `requestTimeout` in ms; 0 for none (default 300 s). */
  requestTimeoutMs?: number;
  /** `registryRetryAttempts` (default 3). */
  retryAttempts?: number;
  /** `registryRetryBackoff` in ms (default 10 s). */
  retryBackoffMs?: number;
  /** `failureCooldownMinutes` in ms; 0 disables (default 1 h). */
  failureCooldownMs?: number;
  /** Mirror jobs run at once (`maxConcurrentReconciles`, default 2). */
  maxConcurrentReconciles?: number;
  /** Period of {@link Controller.resync} once started (`forceReconcileMinutes` in ms); 0: no timer. */
  resyncIntervalMs?: number;
  /** Blob transfers in flight across all jobs (default 6). */
  copyConcurrency?: number;
  logger?: Logger;
  metrics?: ControllerMetrics;
  /** Back-off of failed jobs when the cooldown is off (default 5 s doubling to 1000 s). */
  queueBackoff?: BackoffOptions;
  /**
   * Schedule failed jobs again (default true). One-shot runs (`copycat sync`) turn it off: a failure is
   * reported, not retried behind the report's back.
   */
  retryFailures?: boolean;
  registryBackoff?: RegistryBackoffOptions;
  now?: Clock;
  /** Sleep between copy attempts (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Receives every copy's progress events with the job they belong to (progress bars); must not throw. */
  copyObserver?: ((job: { key: string; source: string; target: string }, event: CopyEvent) => void) | undefined;
}

/** What {@link Controller.forceReconcile} did, in k8s-copycat's terms (§2.8). */
export interface ForceReconcileResult {
  /** Objects processed, failed ones included. */
  workloadsProcessed: number;
  /** Image uses that ended without error (skips and already-present images count, as upstream). */
  imagesMirrored: number;
  /** Every failure, one line each: `<kind> <ns>/<name>: <error>`. */
  error?: ControllerError | undefined;
}

/** What {@link Controller.resync} did. */
export interface ResyncResult {
  /** HEAD requests made (at most one per unique mirrored image). */
  checked: number;
  /** Jobs queued again (source tag moved, target lost the image, retry due). */
  requeued: number;
}

interface Waiter {
  afterRun: number;
  resolve: (error: unknown) => void;
}

const OBJECT_WORKERS = 4;

/** See the file comment. */
export class Controller {
  readonly #o: ControllerOptions;
  readonly #log: Logger;
  readonly #metrics: ControllerMetrics;
  readonly #now: Clock;
  readonly #objects = new Map<string, KubeObject>();
  readonly #demand = new DemandIndex();
  readonly #jobs = new Map<string, JobRecord>();
  readonly #objectQueue: KeyedQueue;
  readonly #jobQueue: KeyedQueue;
  readonly #cooldown: FailureCooldown;
  readonly #backoff: RegistryBackoff;
  readonly #locks = new KeyedLock();
  readonly #forced = new Set<string>();
  readonly #waiters = new Map<string, Waiter[]>();
  readonly #jobSources: JobSources | undefined;
  #copier: Copier;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: ControllerOptions) {
    this.#o = options;
    this.#log = options.logger ?? noopLogger;
    this.#metrics = options.metrics ?? {};
    this.#now = options.now ?? Date.now;
    this.#cooldown = new FailureCooldown(options.failureCooldownMs ?? 60 * 60_000, this.#now);
    this.#backoff = new RegistryBackoff({ now: this.#now, ...options.registryBackoff });
    this.#copier = this.#newCopier();
    this.#jobSources = options.pullSecrets
      ? new JobSources({
          lookup: options.pullSecrets,
          credentials: options.sourceCredentials ?? {},
          shared: options.source,
          newCopier: (source) => this.#newCopier(source),
          onRateLimit: (registry, info) => this.onRateLimit(registry, info),
          log: this.#log,
        })
      : undefined;
    this.#objectQueue = new KeyedQueue((key) => this.#reconcileObject(key), {
      concurrency: OBJECT_WORKERS,
      onError: (key, err) => this.#log.error({ object: key, error: errorMessage(err) }, 'unable to reconcile object'),
    });
    this.#jobQueue = new KeyedQueue((key, signal) => this.#runJob(key, signal), {
      concurrency: options.maxConcurrentReconciles ?? 2,
      ...(options.queueBackoff ? { backoff: options.queueBackoff } : {}),
      onDepth: (n) => safely(() => this.#metrics.setQueueDepth?.(n)),
      onError: (key, err) => this.#log.error({ job: key, error: errorMessage(err) }, 'unable to mirror image'),
    });
  }

  /** Starts the workers and, when configured, the periodic resync. Objects observed before start wait. */
  start(): void {
    if (this.#stopped) return;
    this.#objectQueue.start();
    this.#jobQueue.start();
    const every = this.#o.resyncIntervalMs ?? 0;
    if (every > 0 && this.#timer === undefined) {
      this.#log.info({ interval: `${Math.round(every / 1000)}s` }, 'configuring periodic full reconciliation');
      this.#timer = setInterval(() => {
        this.resync().catch((err: unknown) => this.#log.error({ error: errorMessage(err) }, 'periodic resync failed'));
      }, every);
      this.#timer.unref();
    }
  }

  /**
   * An object was added or changed (a kube watch callback): stores a slim copy and queues it. Synchronous and
   * cheap; objects of other kinds are ignored.
   */
  observe(obj: KubeObject): void {
    if (this.#stopped) return;
    const ref = refOf(obj);
    if (ref === undefined) return;
    const key = keyOf(ref);
    this.#objects.set(key, slimObject(obj));
    this.#log.debug({ name: ref.name, namespace: ref.namespace }, `saw ${ref.kind}`);
    this.#objectQueue.add(key);
  }

  /** An object was deleted: its image uses go; images nobody uses any more leave the status. */
  forget(obj: KubeObject): void {
    if (this.#stopped) return;
    const ref = refOf(obj);
    if (ref === undefined) return;
    const key = keyOf(ref);
    this.#objects.delete(key);
    this.#objectQueue.add(key);
  }

  /** A registry announced its request budget (wire to `RegistryClientOptions.onRateLimit`). */
  onRateLimit(registry: string, info: RateLimitInfo): void {
    const wait = this.#backoff.rateLimit(registry, info);
    if (wait === undefined) return;
    this.#log.info({ registry, waitMs: wait }, 'registry rate limit exhausted; pausing pulls from it');
    safely(() => this.#metrics.onThrottle?.({ host: registry, waitMs: wait, reason: 'RateLimit-Remaining: 0' }));
  }

  /** `ResetCooldown` (the `/reset-cooldown` endpoint): clears every cooldown and retries the held images now. */
  resetCooldown(): { cleared: number; enabled: boolean } {
    const result = this.#cooldown.reset();
    for (const rec of this.#jobs.values()) {
      if (rec.state === 'cooldown') {
        rec.state = 'pending';
        rec.nextRetry = undefined;
        this.#jobQueue.add(rec.key);
      }
    }
    this.#publishJobs();
    return result;
  }

  /** The `/status` document. */
  status(): ControllerStatus {
    const now = this.#now();
    const throttled = new Map<string, { registry: string; until: string; reason: string }>();
    for (const rec of this.#jobs.values()) {
      const registry = rec.plan?.pull.registry;
      if (registry === undefined || throttled.has(registry)) continue;
      const wait = this.#backoff.remaining(registry);
      if (wait > 0) throttled.set(registry, { registry, until: new Date(now + wait).toISOString(), reason: this.#backoff.reason(registry) ?? '' });
    }
    const records = [...this.#jobs.values()];
    return {
      generatedAt: new Date(now).toISOString(),
      dryRun: this.#o.dryRun ?? false,
      dryPull: this.#o.dryPull ?? false,
      queue: { depth: this.#jobQueue.depth, active: this.#jobQueue.active, delayed: this.#jobQueue.delayed },
      counts: countStates(records),
      throttledRegistries: [...throttled.values()],
      images: records.map((r) => imageStatus(r, this.#demand.users(r.key))).sort((a, b) => a.source.localeCompare(b.source) || a.key.localeCompare(b.key)),
    };
  }

  /** Resolves once no object and no job waits or runs (scheduled retries do not count). */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.#objectQueue.whenIdle();
      await this.#jobQueue.whenIdle();
      if (this.#objectQueue.depth === 0 && this.#objectQueue.active === 0 && this.#jobQueue.depth === 0 && this.#jobQueue.active === 0) return;
    }
  }

  /**
   * The periodic full resync: each mirrored image is re-checked with at most one HEAD (a tag pull: the source
   * tag, to notice a moved tag; a digest pull: the target digest, to notice a lost image); images whose retry
   * is due are queued. A moved or lost image is queued again.
   */
  async resync(signal?: AbortSignal): Promise<ResyncResult> {
    // The copy engine remembers what it moved; a new one per resync lets a lost blob or manifest be re-sent.
    this.#renewCopiers();
    this.#cooldown.prune();
    const limiter = new Limiter(8);
    const heads = new Map<string, Promise<string | undefined>>();
    let requeued = 0;
    const requeue = (rec: JobRecord, reason: string): void => {
      rec.state = 'pending';
      rec.reason = reason;
      this.#jobQueue.add(rec.key);
      requeued++;
    };
    const now = this.#now();
    const checks: Array<Promise<void>> = [];
    for (const rec of this.#jobs.values()) {
      const plan = rec.plan;
      if (rec.kind !== 'mirror' || plan === undefined || rec.running || this.#jobQueue.has(rec.key) || !this.#demand.used(rec.key)) continue;
      if (rec.state === 'pending' || ((rec.state === 'failed' || rec.state === 'cooldown') && (rec.nextRetry ?? 0) <= now)) {
        requeue(rec, rec.reason ?? 'retry due');
        continue;
      }
      if (rec.state !== 'mirrored' && rec.state !== 'partial') continue;
      const byTag = plan.pull.digest === undefined;
      const repository = rec.repository ?? plan.targetRepository;
      const wantDigest = byTag ? rec.digest : plan.mode === 'platforms' ? (rec.platforms[0]?.digest ?? rec.digest) : rec.digest;
      if (wantDigest === undefined) continue;
      // A tag is read with the job's own source credentials (its pull secrets); HEADs are shared per credential set.
      const source = byTag ? this.#sourceFor(rec.key) : Promise.resolve(undefined);
      const head = source.then((src) => {
        const headKey = src !== undefined ? `source ${src.key} ${plan.pull.toString()}` : `target ${plan.target.registry}/${repository}@${wantDigest}`;
        let found = heads.get(headKey);
        if (found === undefined) {
          const opts = signal ? signal : undefined;
          found = limiter.run(async () => {
            const timeout = (this.#o.requestTimeoutMs ?? 300_000) > 0 ? AbortSignal.timeout(this.#o.requestTimeoutMs ?? 300_000) : undefined;
            const s = opts && timeout ? AbortSignal.any([opts, timeout]) : (opts ?? timeout);
            const answer =
              src !== undefined
                ? await src.client.headManifest({ registry: plan.pull.registry, repository: plan.pull.repository }, plan.pull.tag ?? 'latest', s)
                : await this.#o.targetClient.headManifest({ registry: plan.target.registry, repository }, wantDigest, s);
            return answer?.digest;
          });
          heads.set(headKey, found);
        }
        return found;
      });
      checks.push(
        head.then(
          (digest) => {
            if (byTag && digest !== undefined && digest !== rec.digest) requeue(rec, `source tag now points to ${digest}`);
            else if (!byTag && digest === undefined) requeue(rec, `target no longer serves ${wantDigest}`);
            else if (byTag && digest === undefined) requeue(rec, `source tag ${plan.pull.toString()} is gone`);
          },
          (err: unknown) => this.#log.debug({ source: rec.source, error: errorMessage(err) }, 'resync check failed; trying again next resync'),
        ),
      );
    }
    await Promise.all(checks);
    this.#publishJobs();
    this.#log.debug({ checked: heads.size, requeued }, 'resync finished');
    return { checked: heads.size, requeued };
  }

  /**
   * `ForceReconcile` (the `/force-reconcile` endpoint, §2.8): re-evaluates every known object and runs every
   * image job now, waiting for all of them. Continues past failures and reports them together.
   */
  async forceReconcile(signal?: AbortSignal): Promise<ForceReconcileResult> {
    let workloadsProcessed = 0;
    let imagesMirrored = 0;
    const errors: string[] = [];
    const runs: Array<Promise<void>> = [];
    for (const [key, obj] of [...this.#objects]) {
      if (signal?.aborted || this.#stopped) break;
      let evaluation: Evaluation;
      try {
        evaluation = await evaluateObject(obj, this.#o.rules, this.#o.filters);
      } catch (err) {
        errors.push(`${key}: ${errorMessage(err)}`);
        continue;
      }
      this.#apply(key, evaluation);
      if (evaluation.kind === 'ignored') continue;
      workloadsProcessed++;
      const where = `${evaluation.ref.kind.toLowerCase()} ${evaluation.ref.namespace}/${evaluation.ref.name}`;
      const done = new Set<string>();
      for (const u of evaluation.uses) {
        const d = u.decision;
        if (d.kind === 'skip') imagesMirrored++;
        else if (d.kind === 'invalid') errors.push(`${where}: ${d.error.message}`);
        else {
          const first = !done.has(d.plan.key);
          done.add(d.plan.key);
          runs.push(
            this.#runNow(d.plan.key, first).then((err) => {
              if (err === undefined) imagesMirrored++;
              else errors.push(`${where}: ${errorMessage(err)}`);
            }),
          );
        }
      }
    }
    await Promise.all(runs);
    const error = errors.length > 0 ? new ControllerError('FORCE_RECONCILE_FAILED', errors.join('\n')) : undefined;
    return { workloadsProcessed, imagesMirrored, ...(error ? { error } : {}) };
  }

  /** Stops: no new work; copies in flight are abandoned before their tag is written (ARCHITECTURE §2.5). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all([this.#objectQueue.stop(), this.#jobQueue.stop()]);
    for (const [key, list] of this.#waiters) {
      for (const w of list) w.resolve(new ControllerError('STOPPED', `the controller stopped before ${key} ran`));
    }
    this.#waiters.clear();
    // The gauges describe this term's work: a replica that lost the Lease exports zeros, so sums across replicas
    // count the leader's images only (the next term, if this replica leads again, publishes its own).
    safely(() => this.#metrics.setQueueDepth?.(0));
    safely(() => this.#metrics.setJobs?.(countStates([])));
  }

  #newCopier(source: RegistryClient = this.#o.source): Copier {
    return new Copier({ source, target: this.#o.targetClient, concurrency: this.#o.copyConcurrency ?? 6 });
  }

  /** New copy engines for the shared source and every per-job one. */
  #renewCopiers(): void {
    this.#copier = this.#newCopier();
    this.#jobSources?.renewCopiers();
  }

  /** The source a job reads from: the shared client, or with `pullSecrets` one carrying its users' secrets. */
  async #sourceFor(jobKey: string): Promise<JobSource> {
    if (this.#jobSources === undefined) return { key: '', client: this.#o.source, copier: undefined, secrets: [] };
    return this.#jobSources.forUsers(this.#pullSecretUsers(jobKey));
  }

  /** The objects using a job, each once, as pull-secret users, in a stable order (the credential set's key depends on it). */
  #pullSecretUsers(jobKey: string): PullSecretUser[] {
    const users = new Map<string, PullSecretUser>();
    for (const u of this.#demand.users(jobKey)) {
      const key = `${u.kind}/${u.namespace}/${u.name}`;
      if (users.has(key)) continue;
      const obj = this.#objects.get(key);
      const user = obj === undefined ? undefined : pullSecretUserOf(obj);
      if (user !== undefined) users.set(key, user);
    }
    return [...users.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, u]) => u);
  }

  /** Runs a job now (ignoring that it is mirrored already) and resolves with its error, or undefined on success. */
  #runNow(key: string, force: boolean): Promise<unknown> {
    const rec = this.#jobs.get(key);
    if (rec === undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const list = this.#waiters.get(key) ?? [];
      list.push({ afterRun: rec.runs, resolve });
      this.#waiters.set(key, list);
      if (force) this.#forced.add(key);
      this.#jobQueue.add(key);
    });
  }

  async #reconcileObject(key: string): Promise<void> {
    const obj = this.#objects.get(key);
    if (obj === undefined) {
      this.#drop(this.#demand.forget(key).orphaned);
      return;
    }
    let evaluation: Evaluation;
    try {
      evaluation = await evaluateObject(obj, this.#o.rules, this.#o.filters);
    } catch (err) {
      const delay = this.#objectQueue.retry(key);
      this.#log.error({ object: key, error: errorMessage(err), retryInMs: delay }, 'unable to reconcile object');
      return;
    }
    this.#objectQueue.succeeded(key);
    // A delete may have arrived while owners were looked up.
    if (!this.#objects.has(key)) {
      this.#drop(this.#demand.forget(key).orphaned);
      return;
    }
    this.#apply(key, evaluation);
  }

  /** Puts an evaluation into the demand index, creating and queuing new jobs, dropping orphaned ones. */
  #apply(objectKey: string, evaluation: Evaluation): void {
    if (evaluation.kind === 'ignored') {
      this.#drop(this.#demand.forget(objectKey).orphaned);
      return;
    }
    const entries: DemandEntry[] = [];
    const created: string[] = [];
    for (const { use, user, decision } of evaluation.uses) {
      const jobKey = jobKeyOf(decision);
      entries.push({ jobKey, user });
      if (this.#jobs.has(jobKey)) continue;
      this.#jobs.set(jobKey, newRecord(jobKey, decision));
      created.push(jobKey);
      const log = withFields(this.#log, { source: use.image, namespace: user.namespace, pod: user.name, container: user.container });
      for (const n of decision.notes) log[n.level](n.fields, n.message);
      if (decision.kind === 'invalid') log.error({ image: use.image, container: user.container, error: decision.error.message }, 'unable to mirror image');
    }
    const change = this.#demand.upsert(objectKey, entries);
    this.#drop(change.orphaned);
    for (const key of created) if (this.#jobs.get(key)?.kind === 'mirror') this.#jobQueue.add(key);
    if (created.length > 0 || change.orphaned.length > 0) this.#publishJobs();
  }

  #drop(keys: readonly string[]): void {
    for (const key of keys) {
      this.#jobs.delete(key);
      this.#jobQueue.remove(key);
      this.#forced.delete(key);
    }
    if (keys.length > 0) this.#publishJobs();
  }

  async #runJob(key: string, signal: AbortSignal): Promise<void> {
    const rec = this.#jobs.get(key);
    const run = rec === undefined ? 0 : ++rec.runs;
    let error: unknown;
    try {
      if (rec === undefined || rec.kind !== 'mirror' || rec.plan === undefined || !this.#demand.used(key)) return;
      const forced = this.#forced.delete(key);
      if (!forced && (rec.state === 'mirrored' || rec.state === 'partial')) return;
      error = await this.#mirror(rec, rec.plan.target.toString(), signal);
    } finally {
      this.#settle(key, run, error);
    }
  }

  /** One run of a job's mirror; returns the error (undefined on success) after recording the outcome. */
  async #mirror(rec: JobRecord, target: string, signal: AbortSignal): Promise<unknown> {
    const plan = rec.plan!;
    const users = this.#demand.users(rec.key);
    const first = users[0];
    const log = withFields(this.#log, { source: plan.source, namespace: first?.namespace, pod: first?.name, container: first?.container, target });

    const until = this.#cooldown.check(target);
    if (until !== undefined) {
      const err = new ControllerError('IN_COOLDOWN', `mirror: target is in failure cooldown (${rec.lastError ?? 'earlier failure'})`);
      log.error({ retryAt: new Date(until).toISOString() }, 'skipping image due to previous failure');
      log.error({ error: err.message }, 'unable to begin processing');
      this.#hold(rec, 'cooldown', until);
      return err;
    }
    const wait = this.#backoff.remaining(plan.pull.registry);
    if (wait > 0) {
      const reason = this.#backoff.reason(plan.pull.registry) ?? 'throttled';
      log.info({ registry: plan.pull.registry, waitMs: wait, reason }, 'source registry is throttling; waiting before pulling');
      safely(() => this.#metrics.onThrottle?.({ host: plan.pull.registry, waitMs: wait, reason }));
      rec.reason = `waiting for ${plan.pull.registry} (${reason})`;
      this.#hold(rec, 'pending', this.#now() + wait);
      return new ControllerError('THROTTLED', `${plan.pull.registry} is throttling (${reason}); retrying after ${Math.ceil(wait / 1000)}s`);
    }

    let source: JobSource;
    try {
      source = await this.#sourceFor(rec.key);
    } catch (err) {
      // The API server could not be asked and nothing was read before: not the image's fault, so no cooldown.
      const error = new ControllerError('PULL_SECRETS_UNAVAILABLE', `reading the pull secrets of ${plan.source}'s users failed: ${errorMessage(err)}`, { cause: err });
      const delay = this.#jobQueue.retry(rec.key);
      log.warn({ error: error.message, retryInMs: delay }, 'unable to read pull secrets; retrying');
      rec.state = 'pending';
      rec.reason = `waiting for pull secrets (${redactSecrets(errorMessage(err))})`;
      rec.nextRetry = this.#now() + delay;
      return error;
    }
    rec.pullSecrets = source.secrets.length > 0 ? source.secrets : undefined;
    if (source.secrets.length > 0) log.debug({ pullSecrets: source.secrets, registry: plan.pull.registry }, 'reading the source with pull secrets');

    rec.running = true;
    this.#publishJobs();
    const started = this.#now();
    try {
      const outcome = await this.#locks.run(target, () =>
        mirrorImage(plan, {
          rules: this.#o.rules,
          target: this.#o.target,
          source: source.client,
          targetClient: this.#o.targetClient,
          copier: source.copier ?? this.#copier,
          dryRun: this.#o.dryRun ?? false,
          dryPull: this.#o.dryPull ?? false,
          requestTimeoutMs: this.#o.requestTimeoutMs ?? 300_000,
          retryAttempts: this.#o.retryAttempts ?? 3,
          retryBackoffMs: this.#o.retryBackoffMs ?? 10_000,
          log,
          metrics: this.#metrics,
          signal,
          ...(this.#o.sleep ? { sleep: this.#o.sleep } : {}),
          ...(this.#o.copyObserver ? { copyObserver: (e: CopyEvent) => this.#o.copyObserver?.({ key: rec.key, source: plan.source, target }, e) } : {}),
        }),
      );
      this.#record(rec, outcome, started);
      return undefined;
    } catch (err) {
      if (isStopped(err) || signal.aborted) {
        rec.state = 'pending';
        return err;
      }
      const error = err instanceof MirrorError ? err : classifyError(err, { phase: 'push', subject: target, sourceRegistry: plan.pull.registry, targetRegistry: plan.target.registry, byPodDigest: plan.podDigest !== undefined });
      log.error({ image: plan.source, container: first?.container, error: error.message, code: error.code }, 'unable to mirror image');
      // The copy engine remembers blobs it moved; if the target lost one, the retry must look again.
      this.#renewCopiers();
      rec.lastError = redactSecrets(error.message);
      rec.errorCode = error.code;
      rec.reason = undefined;
      safely(() => this.#metrics.onMirror?.('failed', (this.#now() - started) / 1000, 0));
      if (error.side === 'source' && error.code === 'TOOMANYREQUESTS') {
        const hold = this.#backoff.throttled(error.registry, error.retryAfterMs);
        safely(() => this.#metrics.onThrottle?.({ host: error.registry, waitMs: hold, reason: '429 Too Many Requests' }));
        this.#hold(rec, 'failed', this.#now() + hold);
        return error;
      }
      const cooldownUntil = this.#cooldown.fail(target);
      if (cooldownUntil !== undefined) this.#hold(rec, 'cooldown', cooldownUntil);
      else if (this.#o.retryFailures === false) {
        rec.state = 'failed';
        rec.nextRetry = undefined;
      } else {
        const delay = this.#jobQueue.retry(rec.key);
        rec.state = 'failed';
        rec.nextRetry = this.#now() + delay;
      }
      return error;
    } finally {
      rec.running = false;
    }
  }

  #record(rec: JobRecord, outcome: MirrorOutcome, started: number): void {
    const seconds = (this.#now() - started) / 1000;
    const dry = outcome.result === 'dry-run' || outcome.result === 'dry-pull';
    rec.state = dry ? 'skipped' : outcome.result === 'partial' ? 'partial' : 'mirrored';
    rec.reason = dry ? `${outcome.result}: nothing was written${outcome.repository === 'would-create' ? ' (the repository would be created)' : ''}` : outcome.note;
    rec.digest = outcome.digest ?? rec.digest;
    rec.mediaType = outcome.mediaType ?? rec.mediaType;
    if (outcome.platforms.length > 0) rec.platforms = outcome.platforms;
    rec.tagged = outcome.tagged;
    rec.lastResult = outcome.result;
    rec.lastBytes = outcome.bytes;
    rec.repository = outcome.plan.targetRepository;
    rec.lastError = undefined;
    rec.errorCode = undefined;
    rec.nextRetry = undefined;
    if (!dry) rec.lastMirrored = this.#now();
    this.#cooldown.succeed(rec.plan!.target.toString());
    this.#backoff.clear(rec.plan!.pull.registry);
    this.#jobQueue.succeeded(rec.key);
    const result: MirrorMetricResult = dry ? 'skipped' : outcome.result === 'present' ? 'present' : 'copied';
    safely(() => this.#metrics.onMirror?.(result, seconds, outcome.bytes));
  }

  /** Holds a job until `until` (a cooldown, a throttled registry) and schedules it then. */
  #hold(rec: JobRecord, state: JobRecord['state'], until: number): void {
    rec.state = state;
    rec.nextRetry = until;
    this.#jobQueue.addAfter(rec.key, Math.max(1, until - this.#now()));
  }

  /** Resolves the waiters of runs that started before this one, publishes the job counts. */
  #settle(key: string, run: number, error: unknown): void {
    const list = this.#waiters.get(key);
    if (list !== undefined) {
      const keep = list.filter((w) => w.afterRun >= run);
      for (const w of list) if (w.afterRun < run) w.resolve(error);
      if (keep.length > 0) this.#waiters.set(key, keep);
      else this.#waiters.delete(key);
    }
    this.#publishJobs();
  }

  #publishJobs(): void {
    // After stop() the gauges stay at the zeros it published, whatever a run abandoned late still records.
    if (this.#metrics.setJobs === undefined || this.#stopped) return;
    const counts = countStates(this.#jobs.values());
    safely(() => this.#metrics.setJobs?.(counts));
  }
}

/** The job key of a decision: the plan's key, or a per-source key for skips and invalid references. */
export function jobKeyOf(decision: PlanDecision): string {
  if (decision.kind === 'mirror') return decision.plan.key;
  if (decision.kind === 'skip') return `skip:${decision.reason}|${decision.source}`;
  return `invalid|${decision.source}`;
}

function newRecord(key: string, decision: PlanDecision): JobRecord {
  const base = { key, source: decision.kind === 'mirror' ? decision.plan.source : decision.source, platforms: [], tagged: false, runs: 0, running: false };
  if (decision.kind === 'mirror') return { ...base, kind: 'mirror', plan: decision.plan, state: 'pending' };
  if (decision.kind === 'skip') return { ...base, kind: 'skip', state: 'skipped', reason: decision.detail };
  return { ...base, kind: 'invalid', state: 'invalid', lastError: redactSecrets(decision.error.message), errorCode: decision.error.code };
}
