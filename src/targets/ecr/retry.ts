import { anySignal, sleep } from '../../internal/abort.ts';
import { backoffDelay } from '../../internal/backoff.ts';
import { classifyAwsError } from './aws-errors.ts';

/** How ECR API calls are retried: throttling, 5xx and network failures only, with exponential backoff and jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). */
  attempts: number;
  /** Delay before the first retry in ms (default 250). */
  initialMs: number;
  /** Largest single delay in ms (default 10 000). */
  maxMs: number;
  /** Each attempt is aborted after this long, then retried (default 30 000; 0 disables). */
  timeoutMs: number;
}

/** Defaults sized for ECR's per-account API rates (GetAuthorizationToken 20/s, CreateRepository ~10/s bursts). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 6, initialMs: 250, maxMs: 10_000, timeoutMs: 30_000 };

/** One retry about to happen. */
export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: unknown;
}

/** An attempt ran past {@link RetryPolicy.timeoutMs}; classified as transient. */
export class AttemptTimeout extends Error {
  override readonly name = 'AttemptTimeout';
}

/**
 * Runs `fn` until it succeeds, retrying throttled and transient failures (the one retry layer for ECR calls:
 * the SDK client is built with `maxAttempts: 1`). The caller's abort ends it at once with the signal's reason.
 * Rejects with the last error as thrown; `opts.tally.attempts` tells how many attempts were made.
 */
export async function withRetry<T>(
  fn: (signal: AbortSignal | undefined) => Promise<T>,
  policy: RetryPolicy,
  opts: { signal?: AbortSignal | undefined; onRetry?: ((info: RetryInfo) => void) | undefined; tally?: { attempts: number } } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    if (opts.tally) opts.tally.attempts = attempt;
    const timeout = policy.timeoutMs > 0 ? AbortSignal.timeout(policy.timeoutMs) : undefined;
    try {
      return await fn(anySignal(opts.signal, timeout));
    } catch (thrown) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const err = timeout?.aborted ? new AttemptTimeout(`no answer within ${policy.timeoutMs} ms`, { cause: thrown }) : thrown;
      const kind = classifyAwsError(err);
      if ((kind !== 'throttled' && kind !== 'transient') || attempt >= policy.attempts) throw err;
      const delayMs = backoffDelay(attempt - 1, { initialMs: policy.initialMs, maxMs: policy.maxMs });
      opts.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs, opts.signal);
    }
  }
}
