/**
 * Executes one {@link MirrorPlan} against the registries: the steps of k8s-copycat's `Mirror` that need I/O
 * (behaviour inventory §3.1 steps 10–28, §3.7, §3.8, §3.12, §3.15), on top of the digest-exact copy engine.
 *
 * Request budget: an image whose digest already sits in the target costs one HEAD (a pod digest found under
 * its tag) or two (a tag: source HEAD, target HEAD); only then is anything fetched.
 *
 * Dry runs write nothing anywhere: `dryPull` contacts no registry at all (upstream's README promise; its code
 * still read the source, §3.15), `dryRun` reads both registries and asks the target whether the repository
 * exists without creating it (upstream created ECR repositories in dry-run, §7.1 item 4).
 */
import { Copier, type CopyEvent, type CopyResult } from '../copy/index.ts';
import { anySignal, sleep as abortableSleep } from '../internal/abort.ts';
import { CopycatError, errorMessage, hasCode, isAbortError } from '../internal/errors.ts';
import { formatPlatform, isIndexMediaType, platformMatches } from '../oci/index.ts';
import { parseReference, withDigest, type Reference } from '../reference/index.ts';
import type { FetchedManifest, ManifestHead, RegistryClient, Repo } from '../registry/index.ts';
import type { EnsureResult, Target } from '../targets/index.ts';
import { architectureOf } from './arch.ts';
import { authFailure, classifyError, stoppedError, type MirrorPhase } from './classify.ts';
import { MirrorError } from './errors.ts';
import type { Logger } from './logger.ts';
import { safely, type ControllerMetrics } from './metrics.ts';
import { isMissingPlatformIgnored } from './platforms.ts';
import { retarget, type MirrorPlan } from './planner.ts';
import type { MirrorRules } from './rules.ts';

/** What a mirror needs besides the plan. */
export interface MirrorContext {
  rules: MirrorRules;
  target: Target;
  /** Reads sources (with the source credentials). */
  source: RegistryClient;
  /** Reads and writes the target (with the target's credentials). */
  targetClient: RegistryClient;
  /** The copy engine from `source` to `targetClient`, shared by every job so blobs move once. */
  copier: Copier;
  dryRun: boolean;
  dryPull: boolean;
  /** Deadline of each registry request and of each copy attempt; 0 for none (`requestTimeout`). */
  requestTimeoutMs: number;
  /** Attempts of the copy on temporary failures (`registryRetryAttempts`). */
  retryAttempts: number;
  /** Wait between copy attempts (`registryRetryBackoff`). */
  retryBackoffMs: number;
  /** Already carries `source`, `namespace`, `pod`, `container`. */
  log: Logger;
  metrics: ControllerMetrics;
  /** Aborts when the controller stops: the copy is abandoned before its tag is written. */
  signal?: AbortSignal | undefined;
  /** Sleep between attempts (tests replace it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Receives the copy engine's progress events (progress bars); must not throw. */
  copyObserver?: ((event: CopyEvent) => void) | undefined;
}

/** How a mirror ended without an error. */
export type MirrorResultKind =
  /** The target already served the image: nothing was written. */
  | 'present'
  /** Something was copied. */
  | 'copied'
  /** Platforms copied by digest, but the target refused the original index and `sparseFallback` is `platforms`: no tag. */
  | 'partial'
  | 'dry-run'
  | 'dry-pull';

/** What a mirror did. */
export interface MirrorOutcome {
  result: MirrorResultKind;
  /** The plan as executed (re-aimed when `$arch` named another repository). */
  plan: MirrorPlan;
  /** Digest of the top manifest (identical at source and target), when it was learnt. */
  digest?: string | undefined;
  mediaType?: string | undefined;
  /** Platform manifests in the target by digest, as the copy reported them. */
  platforms: Array<{ platform: string; digest: string }>;
  /** A tag in the target names `digest`. */
  tagged: boolean;
  /** Blob bytes uploaded. */
  bytes: number;
  /** What `ensureRepository` found or would do. */
  repository?: EnsureResult | undefined;
  /** Desired platforms the source index does not offer. */
  missingPlatforms: string[];
  /** Something the operator should know (a kept tag, a refused sparse index). */
  note?: string | undefined;
}

const LATEST = 'latest';

/** Formats a wait as Go prints durations (`10s`, `1m30s`, `500ms`), as upstream's "push failed; retrying" field. */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

/** Mirrors one plan (see the file comment). Throws {@link MirrorError} (or `STOPPED` when `ctx.signal` aborts). */
export async function mirrorImage(initial: MirrorPlan, ctx: MirrorContext): Promise<MirrorOutcome> {
  return new Mirror(initial, ctx).run();
}

/** One execution; a class only to share the context between the steps. */
class Mirror {
  plan: MirrorPlan;
  readonly ctx: MirrorContext;
  readonly log: Logger;
  #pulled = false;

  constructor(plan: MirrorPlan, ctx: MirrorContext) {
    this.plan = plan;
    this.ctx = ctx;
    this.log = ctx.log;
  }

  get to(): Repo {
    return { registry: this.plan.target.registry, repository: this.plan.targetRepository };
  }

  get from(): Repo {
    return { registry: this.plan.pull.registry, repository: this.plan.pull.repository };
  }

  async run(): Promise<MirrorOutcome> {
    const { ctx } = this;
    this.log.debug({ reference: this.plan.target.toString() }, 'resolved target reference');
    if (ctx.dryPull) {
      this.log.debug({ result: 'skipped', dryPull: true, sourceReference: this.plan.pull.toString(), target: this.plan.target.toString() }, 'dry pull: skipping source registry fetch');
      return this.outcome('dry-pull', {});
    }
    ctx.signal?.throwIfAborted();

    // `$arch` comes from the source, so it is learnt before any target probe names the repository (§3.9).
    let top: FetchedManifest | undefined;
    if (this.plan.archDependent) {
      top = await this.describe(() => this.ctx.source.getManifest(this.from, this.plan.pull.digest ?? this.plan.pull.tag ?? LATEST, this.timeout()));
      const arch = await this.step('describe', this.plan.source, () => architectureOf(ctx.source, this.from, top!, this.plan.platforms, this.timeout()));
      const before = this.plan.targetRepository;
      this.plan = retarget(ctx.rules, this.plan, arch);
      if (this.plan.targetRepository !== before) this.log.debug({ architecture: arch, reference: this.plan.target.toString() }, 'resolved target reference');
    }

    // Pod digest probe (§3.1 step 10): the digest the pod runs already in the target. With platform selection
    // a present index may lack this node's platform on registries that accept sparse indexes, so the copy
    // engine (which checks each selected child) decides instead.
    let tagHead: ManifestHead | undefined;
    let tagChecked = false;
    const podDigest = this.plan.podDigest;
    if (podDigest !== undefined && this.plan.mode === 'full') {
      const found = await this.podDigestPresent(podDigest);
      if (found.present) return found.outcome;
      tagHead = found.tagHead;
      tagChecked = found.tagChecked;
    }

    // The source digest: free when pulling by digest, else one HEAD (which Docker Hub does not count as a pull).
    let digest = top?.digest ?? this.plan.pull.digest;
    if (digest === undefined) {
      const tag = this.plan.pull.tag ?? LATEST;
      const head = await this.describe(() => ctx.source.headManifest(this.from, tag, this.timeout()));
      if (!head) {
        throw this.fail(new MirrorError({ code: 'MANIFEST_UNKNOWN', message: `describe ${this.plan.source}: ${this.plan.pull.toString()} does not exist at the source`, side: 'source', registry: this.plan.pull.registry }));
      }
      digest = head.digest;
    }
    this.pulled();

    // Main target check (§3.7, §3.8).
    if (!tagChecked) tagHead = await this.targetHead(this.plan.tag ?? digest);
    let dst: Reference = this.plan.tag !== undefined ? this.plan.target : withDigest(this.plan.target, digest);
    let note: string | undefined;
    if (tagHead !== undefined && tagHead.digest === digest && this.plan.mode === 'full') {
      this.log.debug({ digest, result: 'skipped', ...(ctx.dryRun ? { dryRun: true } : {}) }, 'image already present at target');
      return this.outcome('present', { digest, mediaType: tagHead.mediaType, tagged: this.plan.tag !== undefined });
    }
    if (tagHead !== undefined && tagHead.digest !== digest && this.plan.tag !== undefined) {
      const fields = { currentDigest: tagHead.digest, sourceDigest: digest };
      if (this.plan.tag.toLowerCase() === LATEST) this.log.debug(fields, 'image already present with different digest for latest tag, updating');
      else if (ctx.rules.allowDifferentDigestRepush) this.log.debug(fields, 'image already present with different digest, updating per configuration');
      else if (podDigest !== undefined || this.plan.pull.digest !== undefined) {
        // The refusal protects the tag; the digest a pod runs must still be servable (ARCHITECTURE §2.3).
        note = `tag ${this.plan.tag} kept at ${tagHead.digest} (allowDifferentDigestRepush is false); ${digest} pushed by digest only`;
        this.log.warn(fields, 'target tag holds a different digest and allowDifferentDigestRepush is false; pushing by digest only');
        dst = withDigest(parseReference(`${this.plan.target.registry}/${this.plan.targetRepository}`), digest);
      } else {
        this.log.error(fields, 'digest mismatch detected');
        throw this.fail(
          new MirrorError({
            code: 'TARGET_DIGEST_CONFLICT',
            message: `target image ${this.plan.target.toString()} exists with digest ${tagHead.digest}, refusing to overwrite with source digest ${digest}`,
            side: 'target',
            registry: this.plan.target.registry,
          }),
        );
      }
    }

    const repository = await this.step('ensure', this.plan.targetRepository, () => ctx.target.ensureRepository(this.plan.targetRepository, { dryRun: ctx.dryRun, ...this.signalOpt() }));
    if (ctx.dryRun) {
      this.log.debug({ result: 'skipped', dryRun: true, digest, target: dst.toString(), repository }, 'dry run: skipping push');
      return this.outcome('dry-run', { digest, repository, note });
    }

    this.log.info({ digest, target: dst.toString() }, 'pushing image to target');
    this.log.debug({ percentage: '0%' }, 'push progress update');
    const result = await this.copy(withDigest(this.plan.pull, digest), dst);
    safely(() => ctx.metrics.recordPush?.(this.plan.target.toString(), true));
    await this.verifyTag(result);
    const missingPlatforms = this.missingPlatforms(result);
    // Runnable platform images only: attestation manifests carry `unknown/unknown`.
    const platforms = result.manifests.filter((m) => m.platform !== undefined && !m.platform.startsWith('unknown/')).map((m) => ({ platform: m.platform ?? '', digest: m.digest }));
    const partial = result.sparse !== undefined && !result.sparse.indexPushed;
    if (partial) note = `the target refused index ${result.digest} without its other platforms; the selected platforms are served by digest and no tag was written (sparseIndexFallback: platforms)`;
    return this.outcome(partial ? 'partial' : result.upToDate ? 'present' : 'copied', {
      digest: result.digest,
      mediaType: result.mediaType,
      platforms,
      tagged: result.tagged,
      bytes: result.blobs.bytesUploaded,
      repository,
      missingPlatforms,
      note,
    });
  }

  /**
   * HEADs the tag (the common "already mirrored" case costs this one request), then the digest. A digest
   * present without the tag gets the tag, cheaply, from the target itself (upstream never created it, §7.1
   * item 10); a tag naming another digest is left alone, the digest being what the pod needs.
   */
  async podDigestPresent(podDigest: string): Promise<{ present: true; outcome: MirrorOutcome } | { present: false; tagHead: ManifestHead | undefined; tagChecked: boolean }> {
    const { tag } = this.plan;
    let tagHead: ManifestHead | undefined;
    let tagChecked = false;
    try {
      if (tag !== undefined) {
        tagHead = await this.ctx.targetClient.headManifest(this.to, tag, this.timeout());
        tagChecked = true;
        if (tagHead?.digest === podDigest) {
          this.log.debug({ digest: podDigest, result: 'skipped' }, 'image digest already present at target');
          return { present: true, outcome: this.outcome('present', { digest: podDigest, mediaType: tagHead.mediaType, tagged: true }) };
        }
      }
      const head = await this.ctx.targetClient.headManifest(this.to, podDigest, this.timeout());
      // Without a tag, the main check would HEAD this very digest again: it is answered.
      if (head === undefined) return { present: false, tagHead, tagChecked: tagChecked || tag === undefined };
      let tagged = false;
      if (tag !== undefined && tagHead === undefined && !this.ctx.dryRun) {
        await this.step('retag', `${this.plan.target.toString()}`, async () => {
          const m = await this.ctx.targetClient.getManifest(this.to, podDigest, this.timeout());
          await this.ctx.targetClient.putManifest(this.to, tag, m.bytes, m.mediaType, this.timeout());
        });
        tagged = true;
        this.log.info({ digest: podDigest, tag }, 'tagged image already present at target by digest');
      }
      this.log.debug({ digest: podDigest, result: 'skipped' }, 'image digest already present at target');
      return { present: true, outcome: this.outcome('present', { digest: podDigest, mediaType: head.mediaType, tagged: tagged || tagHead?.digest === podDigest }) };
    } catch (err) {
      if (err instanceof MirrorError) throw err;
      if (this.ctx.signal?.aborted) throw stoppedError(err);
      this.log.debug({ digest: podDigest, error: errorMessage(err) }, 'unable to confirm existing digest');
      return { present: false, tagHead: undefined, tagChecked: false };
    }
  }

  /** HEAD of the target under `reference`; a non-404 failure is a push error (`check <target>: …`). */
  async targetHead(reference: string): Promise<ManifestHead | undefined> {
    return this.step('check', this.plan.target.toString(), () => this.ctx.targetClient.headManifest(this.to, reference, this.timeout()));
  }

  /** The copy, retried on temporary failures (§3.12); platforms the index lacks entirely fall back to the full index. */
  async copy(src: Reference, dst: Reference): Promise<CopyResult> {
    const { ctx } = this;
    const attempts = Math.max(1, ctx.retryAttempts);
    let platforms = this.plan.platforms;
    if (this.plan.mode === 'full') this.log.debug({ reason: this.plan.fullReason }, 'mirroring entire multi-architecture index');
    for (let attempt = 1; ; attempt++) {
      try {
        return await ctx.copier.copy(src, dst, { platforms, sparseFallback: ctx.rules.sparseFallback, observer: (e) => this.onCopyEvent(e), ...this.signalOpt(true) });
      } catch (err) {
        if (hasCode(err, 'PLATFORM_NOT_FOUND') && platforms.length > 0) {
          this.log.info({ requestedPlatforms: platforms.map(formatPlatform) }, 'configured mirrorPlatforms not found in source index; mirroring full index');
          platforms = [];
          attempt--;
          continue;
        }
        if (hasCode(err, 'SPARSE_INDEX_REJECTED')) safely(() => ctx.metrics.onSparseIndexRejected?.(ctx.target.registry));
        const error = this.classify(err, 'push', dst.toString());
        if (!error.temporary || attempt >= attempts || ctx.signal?.aborted) throw this.fail(error);
        this.log.error({ attempt, maxAttempts: attempts, retryBackoff: goDuration(ctx.retryBackoffMs), error: error.message }, 'push failed; retrying');
        if (ctx.retryBackoffMs > 0) {
          try {
            await (ctx.sleep ?? abortableSleep)(ctx.retryBackoffMs, ctx.signal);
          } catch (e) {
            throw stoppedError(e);
          }
        }
      }
    }
  }

  onCopyEvent(e: CopyEvent): void {
    const forward = this.ctx.copyObserver;
    if (forward) safely(() => forward(e));
    if (e.type === 'warning') {
      if (e.code === 'SPARSE_INDEX_REJECTED') safely(() => this.ctx.metrics.onSparseIndexRejected?.(this.ctx.target.registry));
      this.log.warn({ code: e.code }, e.message);
    } else if (e.type === 'plan') {
      this.log.debug({ manifests: e.manifests, blobs: e.blobs, bytes: e.bytes }, 'starting pull from source');
    } else if (e.type === 'blob-retry') {
      this.log.debug({ digest: e.digest, attempt: e.attempt, error: e.error }, 'push progress error');
    }
  }

  /** Upstream's post-push HEAD of the tag: only logs (§3.1 step 27). */
  async verifyTag(result: CopyResult): Promise<void> {
    this.log.debug({ percentage: '100%' }, 'push progress update');
    if (!result.tagged || result.tag === undefined) {
      this.log.info({ digest: result.digest }, 'finished pushing image');
      return;
    }
    try {
      const head = await this.ctx.targetClient.headManifest(this.to, result.tag, this.timeout());
      if (head !== undefined && head.digest !== result.digest) {
        this.log.info({ sourceDigest: result.digest, targetDigest: head.digest }, 'finished pushing image with different digest at target');
        return;
      }
    } catch (err) {
      if (this.ctx.signal?.aborted) throw stoppedError(err);
      this.log.debug({ reason: isAbortError(err) ? 'timed out' : undefined, error: errorMessage(err) }, 'unable to confirm target digest after push');
    }
    this.log.info({ digest: result.digest }, 'finished pushing image');
  }

  /** Desired platforms the copied index does not offer, logged unless `ignoreMissingPlatforms` matches (§3.5). */
  missingPlatforms(result: CopyResult): string[] {
    if (this.plan.platforms.length === 0 || !isIndexMediaType(result.mediaType) || result.upToDate) return [];
    const offered = result.manifests.filter((m) => m.platform !== undefined);
    const omitted = result.sparse?.omittedPlatforms ?? [];
    const missing: string[] = [];
    for (const want of this.plan.platforms) {
      const name = formatPlatform(want);
      const has = offered.some((m) => m.platform !== undefined && safeMatch(want, m.platform)) || omitted.some((o) => safeMatch(want, o));
      if (has || isMissingPlatformIgnored(this.ctx.rules.ignoreMissingPlatforms, this.plan.source, name)) continue;
      this.log.info({ platform: name }, `image ${this.plan.source} does not offer platform ${name}`);
      missing.push(name);
    }
    if (missing.length > 0) this.log.info({ missingPlatforms: missing }, 'some configured mirrorPlatforms missing from source index');
    return missing;
  }

  /** Runs a source read; failures count as pull errors (`describe <src>: …`). */
  async describe<T>(fn: () => Promise<T>): Promise<T> {
    return this.step('describe', this.plan.source, fn);
  }

  /** Runs one step, turning failures into {@link MirrorError}s with metrics and logs. */
  async step<T>(phase: MirrorPhase, subject: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.fail(this.classify(err, phase, subject));
    }
  }

  classify(err: unknown, phase: MirrorPhase, subject: string): MirrorError {
    if (this.ctx.signal?.aborted) throw stoppedError(err);
    return classifyError(err, {
      phase,
      subject,
      sourceRegistry: this.plan.pull.registry,
      targetRegistry: this.plan.target.registry,
      byPodDigest: this.plan.podDigest !== undefined,
    });
  }

  /** Counts and logs a failure once, then returns it for throwing. */
  fail(error: MirrorError): MirrorError {
    const { metrics } = this.ctx;
    if (error.side === 'source') safely(() => metrics.recordPull?.(this.plan.source, false));
    else safely(() => metrics.recordPush?.(this.plan.target.toString(), false));
    const auth = authFailure(error);
    if (auth) {
      const phase = error.side === 'source' ? 'pull descriptor' : error.message.startsWith('check') ? 'target existence check' : 'push';
      this.log.error({ statusCode: auth.statusCode, details: auth.details, registry: error.registry }, `registry authentication failed during ${phase}`);
    }
    return error;
  }

  /** The source was read: upstream's pull success, counted once per mirror (also in dry runs, §5.1). */
  pulled(): void {
    if (this.#pulled) return;
    this.#pulled = true;
    safely(() => this.ctx.metrics.recordPull?.(this.plan.source, true));
  }

  /** A signal for one request: the controller's, plus `requestTimeout`. */
  timeout(): AbortSignal | undefined {
    const ms = this.ctx.requestTimeoutMs;
    return anySignal(this.ctx.signal, ms > 0 ? AbortSignal.timeout(ms) : undefined);
  }

  signalOpt(withTimeout = false): { signal?: AbortSignal } {
    const signal = withTimeout ? this.timeout() : this.ctx.signal;
    return signal ? { signal } : {};
  }

  /** The outcome record; pull success was counted where the source was read (a pod digest found in the target never touches it). */
  outcome(result: MirrorResultKind, fields: Partial<Omit<MirrorOutcome, 'result' | 'plan'>>): MirrorOutcome {
    return { result, plan: this.plan, platforms: [], tagged: false, bytes: 0, missingPlatforms: [], ...fields };
  }
}

function safeMatch(want: Parameters<typeof platformMatches>[0], have: string): boolean {
  try {
    const [os = '', architecture = '', variant] = have.split(':')[0]!.split('/');
    return platformMatches(want, variant ? { os, architecture, variant } : { os, architecture });
  } catch {
    return false;
  }
}

/** True for the error a stopped controller produces. */
export function isStopped(err: unknown): boolean {
  return err instanceof CopycatError && err.code === 'STOPPED';
}
