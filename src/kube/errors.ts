import { CopycatError, isAbortError } from '../internal/errors.ts';
import type { StatusLike } from './types.ts';

/**
 * Stable codes of {@link KubeError}; callers branch on these, never on the message.
 *
 * API answers: `KUBE_NOT_FOUND` (404), `KUBE_CONFLICT` (409 on a stale `resourceVersion`),
 * `KUBE_ALREADY_EXISTS` (409 on create), `KUBE_GONE` (410: resource version or continue token too
 * old; relist), `KUBE_UNAUTHORIZED` (401), `KUBE_FORBIDDEN` (403, usually RBAC), `KUBE_INVALID`
 * (400/422), `KUBE_THROTTLED` (429), `KUBE_SERVER_ERROR` (5xx), `KUBE_HTTP_ERROR` (any other status).
 * Transport: `KUBE_TIMEOUT`, `KUBE_NETWORK`, `KUBE_BAD_RESPONSE` (not JSON / not the expected shape).
 * Local: `KUBE_CONFIG_MISSING`, `KUBE_CONFIG_INVALID`, `KUBE_NAMESPACE_MISSING`,
 * `KUBE_NAMESPACE_PATTERN_INVALID`, `KUBE_LEADER_CONFIG_INVALID`, `KUBE_WATCH_STALLED` (no event or
 * bookmark within the watchdog window), `KUBE_WATCH_STOPPED` (the watch was stopped before it synced).
 */
export type KubeErrorCode =
  | 'KUBE_NOT_FOUND'
  | 'KUBE_CONFLICT'
  | 'KUBE_ALREADY_EXISTS'
  | 'KUBE_GONE'
  | 'KUBE_UNAUTHORIZED'
  | 'KUBE_FORBIDDEN'
  | 'KUBE_INVALID'
  | 'KUBE_THROTTLED'
  | 'KUBE_SERVER_ERROR'
  | 'KUBE_HTTP_ERROR'
  | 'KUBE_TIMEOUT'
  | 'KUBE_NETWORK'
  | 'KUBE_BAD_RESPONSE'
  | 'KUBE_CONFIG_MISSING'
  | 'KUBE_CONFIG_INVALID'
  | 'KUBE_NAMESPACE_MISSING'
  | 'KUBE_NAMESPACE_PATTERN_INVALID'
  | 'KUBE_LEADER_CONFIG_INVALID'
  | 'KUBE_WATCH_STALLED'
  | 'KUBE_WATCH_STOPPED';

/** Extra facts an API error carries. */
export interface KubeErrorDetails {
  /** HTTP status, when the API server answered. */
  status?: number;
  /** The `Status.reason` the API server gave (`NotFound`, `Conflict`, `Expired`, …). */
  reason?: string;
  cause?: unknown;
}

/** Every error the kube module throws on purpose: a {@link CopycatError} with a {@link KubeErrorCode}. */
export class KubeError extends CopycatError {
  /** Which kind of failure; see {@link KubeErrorCode}. */
  declare readonly code: KubeErrorCode;
  /** HTTP status, when the API server answered. */
  readonly status: number | undefined;
  /** `Status.reason` from the API server, when it sent one. */
  readonly reason: string | undefined;
  /** True when trying again later may succeed (throttling, 5xx, timeouts, network). */
  readonly temporary: boolean;

  constructor(code: KubeErrorCode, message: string, details: KubeErrorDetails = {}) {
    super(code, message, { cause: details.cause });
    this.status = details.status;
    this.reason = details.reason;
    this.temporary = TEMPORARY.has(code);
  }
}

const TEMPORARY: ReadonlySet<KubeErrorCode> = new Set(['KUBE_THROTTLED', 'KUBE_SERVER_ERROR', 'KUBE_TIMEOUT', 'KUBE_NETWORK', 'KUBE_WATCH_STALLED']);

/** The code for an HTTP status (and, for 409, the Status reason that tells conflict from duplicate). */
export function codeForStatus(status: number, reason?: string): KubeErrorCode {
  if (status === 404) return 'KUBE_NOT_FOUND';
  if (status === 409) return reason === 'AlreadyExists' ? 'KUBE_ALREADY_EXISTS' : 'KUBE_CONFLICT';
  if (status === 410) return 'KUBE_GONE';
  if (status === 401) return 'KUBE_UNAUTHORIZED';
  if (status === 403) return 'KUBE_FORBIDDEN';
  if (status === 400 || status === 422) return 'KUBE_INVALID';
  if (status === 429) return 'KUBE_THROTTLED';
  if (status >= 500) return 'KUBE_SERVER_ERROR';
  return 'KUBE_HTTP_ERROR';
}

/** Reads a `Status` out of an error body (parsed or text); undefined when it is not one. */
export function asStatus(body: unknown): StatusLike | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as StatusLike;
  return s.kind === 'Status' || typeof s.code === 'number' || typeof s.reason === 'string' ? s : undefined;
}

/**
 * The error for a non-2xx answer (or a watch `ERROR` event) with its `Status` body.
 * `what` names the request, e.g. `GET /api/v1/pods`; the Status message is quoted as the server sent it.
 */
export function statusError(what: string, status: number, body?: unknown): KubeError {
  const s = asStatus(body);
  const code = s?.code && s.code >= 400 ? s.code : status;
  const detail = s?.message ? `: ${s.message}` : s?.reason ? `: ${s.reason}` : '';
  return new KubeError(codeForStatus(code, s?.reason), `${what}: HTTP ${code}${detail}`, { status: code, reason: s?.reason });
}

/**
 * Normalises anything a client-node call throws into a {@link KubeError}: `ApiException` (has `code`
 * and `body`; its message embeds response headers, so it is never copied), the watch's
 * `Error` with `statusCode`, timeouts and fetch/network failures. A KubeError passes through.
 */
export function normaliseKubeError(err: unknown, what: string): KubeError {
  if (err instanceof KubeError) return err;
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; statusCode?: unknown; body?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
    if (status !== undefined && status >= 300) {
      const wrapped = statusError(what, status, e.body);
      return new KubeError(wrapped.code, wrapped.message, { status: wrapped.status, reason: wrapped.reason, cause: err });
    }
    if (e.name === 'TimeoutError') return new KubeError('KUBE_TIMEOUT', `${what}: timed out`, { cause: err });
    if (isAbortError(err)) return new KubeError('KUBE_TIMEOUT', `${what}: aborted before an answer`, { cause: err });
    return new KubeError('KUBE_NETWORK', `${what}: ${networkDetail(err)}`, { cause: err });
  }
  return new KubeError('KUBE_NETWORK', `${what}: ${String(err)}`, { cause: err });
}

/** "fetch failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1)": the outer message plus the cause's code and message. */
function networkDetail(err: object): string {
  const e = err as { message?: unknown; code?: unknown; cause?: unknown };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(err);
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  const parts = [typeof cause?.code === 'string' ? cause.code : typeof e.code === 'string' ? e.code : undefined, typeof cause?.message === 'string' ? cause.message : undefined];
  const extra = parts.filter((p): p is string => p !== undefined && p !== '' && p !== message).join(': ');
  return extra === '' ? message : `${message} (${extra})`;
}
