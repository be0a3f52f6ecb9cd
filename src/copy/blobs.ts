import { sleep } from '../internal/abort.ts';
import { backoffDelay } from '../internal/backoff.ts';
import { errorMessage, hasCode, isAbortError } from '../internal/errors.ts';
import { Limiter } from '../internal/limiter.ts';
import { OnceByKey } from '../internal/once-by-key.ts';
import type { Descriptor } from '../oci/index.ts';
import { RegistryError, type RegistryClient, type Repo, type UploadMode } from '../registry/index.ts';
import type { BlobOutcome, CopyObserver } from './events.ts';

/** Tuning of blob transfers. */
export interface BlobMoverOptions {
  /** Blob transfers in flight at once, across every copy sharing this mover. */
  concurrency?: number;
  /** Attempts per blob: the whole upload (re-read from the source) is the unit of retry. */
  attempts?: number;
  uploadMode?: UploadMode;
}

/** One blob to bring into a target repository. */
export interface BlobJob {
  source: RegistryClient;
  target: RegistryClient;
  from: Repo;
  to: Repo;
  blob: Descriptor;
  observer?: CopyObserver | undefined;
  signal?: AbortSignal | undefined;
}

// Codes where another attempt re-reads the bytes and may well succeed.
const RETRYABLE_CODES = new Set(['DIGEST_MISMATCH', 'SIZE_MISMATCH', 'NETWORK', 'TIMEOUT', 'BLOB_UPLOAD_INVALID', 'BLOB_UPLOAD_UNKNOWN']);

/**
 * Moves blobs into target repositories, once per (target repository, digest) across every copy in flight:
 * the first caller transfers, concurrent callers await it, and a failure is forgotten so a later caller
 * retries. A blob the target registry already holds in another repository is mounted, not re-sent.
 */
export class BlobMover {
  readonly #limiter: Limiter;
  readonly #attempts: number;
  readonly #uploadMode: UploadMode;
  /** `registry/repository@digest` → how the blob got there. */
  readonly #done = new OnceByKey<BlobOutcome>();
  /** `registry@digest` → the first repository of that registry to hold the blob: the mount source for the rest. */
  readonly #firstHolder = new OnceByKey<{ repo: Repo; outcome: BlobOutcome }>();

  constructor(opts: BlobMoverOptions = {}) {
    this.#limiter = new Limiter(opts.concurrency ?? 6);
    this.#attempts = opts.attempts ?? 3;
    this.#uploadMode = opts.uploadMode ?? 'auto';
  }

  /** Ensures the target repository has the blob; resolves to how it got there. */
  ensure(job: BlobJob): Promise<BlobOutcome> {
    const key = `${job.to.registry}/${job.to.repository}@${job.blob.digest}`;
    return this.#done.do(key, async () => {
      job.observer?.({ type: 'blob-start', digest: job.blob.digest, size: job.blob.size });
      const outcome = await this.#bring(job);
      job.observer?.({ type: 'blob-done', digest: job.blob.digest, size: job.blob.size, outcome });
      return outcome;
    });
  }

  async #bring(job: BlobJob): Promise<BlobOutcome> {
    const { target, to, blob, signal } = job;
    const registryKey = `${to.registry}@${blob.digest}`;
    if ((await this.#limiter.run(() => target.headBlob(to, blob.digest, signal))) !== undefined) {
      if (!this.#firstHolder.has(registryKey)) void this.#firstHolder.do(registryKey, async () => ({ repo: to, outcome: 'exists' }));
      return 'exists';
    }
    // Slots are taken only around network work, never while waiting for another repository's
    // transfer: fifty repositories waiting on one shared base layer must not starve that very upload.
    const mine = !this.#firstHolder.has(registryKey);
    try {
      const first = await this.#firstHolder.do(registryKey, async () => ({ repo: to, outcome: await this.#limiter.run(() => this.#mountOrUpload(job)) }));
      if (mine || first.repo.repository === to.repository) return first.outcome;
      if (await this.#limiter.run(() => target.mountBlob(to, blob.digest, first.repo, signal))) return 'mounted';
    } catch (err) {
      if (mine) throw err;
      // The other repository's transfer failed; this one tries on its own below.
    }
    return this.#limiter.run(() => this.#mountOrUpload(job));
  }

  async #mountOrUpload(job: BlobJob): Promise<BlobOutcome> {
    const { source, target, from, to, blob, signal } = job;
    if (from.registry === to.registry && from.repository !== to.repository && (await target.mountBlob(to, blob.digest, from, signal))) {
      return 'mounted';
    }
    for (let attempt = 1; ; attempt++) {
      let sent = 0;
      const takeBack = (): void => {
        // A retry reports its bytes again: take back what the failed attempt counted.
        if (sent > 0) job.observer?.({ type: 'blob-progress', digest: blob.digest, bytes: -sent });
        sent = 0;
      };
      try {
        await target.uploadBlob(to, blob, async () => {
          takeBack();
          return source.getBlob(from, blob, {
            signal,
            onBytes: (n) => {
              sent += n;
              job.observer?.({ type: 'blob-progress', digest: blob.digest, bytes: n });
            },
          });
        }, { signal, mode: this.#uploadMode });
        return 'uploaded';
      } catch (err) {
        if (attempt >= this.#attempts || signal?.aborted || isAbortError(err) || !retryable(err)) throw err;
        job.observer?.({ type: 'blob-retry', digest: blob.digest, attempt, error: errorMessage(err) });
        takeBack();
        await sleep(backoffDelay(attempt - 1, { initialMs: 250, maxMs: 5_000 }), signal);
      }
    }
  }
}

function retryable(err: unknown): boolean {
  if (err instanceof RegistryError) return err.temporary || RETRYABLE_CODES.has(err.code);
  if (hasCode(err, ...RETRYABLE_CODES)) return true;
  // Errors from the socket while the body streams (undici / Node) carry their own codes.
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|UND_ERR_)/.test(code);
}

