/**
 * Turns whatever a mirror step threw into a {@link MirrorError}: which registry failed (for metrics and
 * per-registry back-off), the registry's own code, whether another attempt may help, and k8s-copycat's
 * message prefix (`describe <src>: …`). Callers branch on `code` and `side`, never on the text.
 */
import { CopycatError, errorMessage, isAbortError } from '../internal/errors.ts';
import { registryApiHost } from '../reference/index.ts';
import { RegistryError } from '../registry/index.ts';
import { ControllerError, MirrorError, type ErrorSide } from './errors.ts';

/** The step that failed, which decides the default side and the message prefix. */
export type MirrorPhase = 'describe' | 'check' | 'ensure' | 'push' | 'retag';

// Codes a whole-copy retry can cure: the bytes are read again, the connection is new.
const RETRYABLE_CODES = new Set(['NETWORK', 'TIMEOUT', 'DIGEST_MISMATCH', 'SIZE_MISMATCH', 'BLOB_UPLOAD_INVALID', 'BLOB_UPLOAD_UNKNOWN', 'TOOMANYREQUESTS', 'UNAVAILABLE']);
// Copy-engine codes that are about the source image, whatever the phase.
const SOURCE_CODES = new Set(['PLATFORM_NOT_FOUND', 'SCHEMA1_UNSUPPORTED', 'NESTING_TOO_DEEP', 'SIZE_MISMATCH', 'DIGEST_MISMATCH', 'MANIFEST_TOO_LARGE']);
// Codes that are about the target.
const TARGET_CODES = new Set(['SPARSE_INDEX_REJECTED', 'TARGET_DIGEST_CONFLICT']);

/** The hint k8s-copycat adds when the pod's digest is gone from the source (§3.6, 0.27.0 #238), verbatim. */
export const OVERWRITTEN_HINT = '(looks like the original image was overwritten and pod imageID digest is no longer available at source)';

/** What the classifier needs to know about the mirror. */
export interface ClassifyContext {
  phase: MirrorPhase;
  /** Text after the prefix: the source for `describe`, the target reference for `check`/`push`, the repository for `ensure`. */
  subject: string;
  sourceRegistry: string;
  targetRegistry: string;
  /** Pulling by the pod's digest: a `MANIFEST_UNKNOWN` at the source gets {@link OVERWRITTEN_HINT}. */
  byPodDigest: boolean;
}

const PREFIX: Record<MirrorPhase, string> = { describe: 'describe', check: 'check', ensure: 'ensure repo', push: 'push', retag: 'tag' };

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function sideOf(err: unknown, ctx: ClassifyContext): ErrorSide {
  if (err instanceof MirrorError) return err.side;
  if (err instanceof RegistryError) {
    const host = hostOf(err.url);
    if (host !== undefined) {
      if (host === registryApiHost(ctx.targetRegistry).toLowerCase()) return 'target';
      if (host === registryApiHost(ctx.sourceRegistry).toLowerCase()) return 'source';
    }
  }
  if (err instanceof CopycatError) {
    if (SOURCE_CODES.has(err.code)) return 'source';
    if (TARGET_CODES.has(err.code)) return 'target';
  }
  return ctx.phase === 'describe' ? 'source' : 'target';
}

/** Classifies `err` (see the file comment). An error that already is a {@link MirrorError} is returned as is. */
export function classifyError(err: unknown, ctx: ClassifyContext): MirrorError {
  if (err instanceof MirrorError) return err;
  const side = sideOf(err, ctx);
  const registry = side === 'source' ? ctx.sourceRegistry : ctx.targetRegistry;
  let code = err instanceof CopycatError ? err.code : isAbortError(err) ? 'TIMEOUT' : 'UNKNOWN';
  if (isAbortError(err)) code = 'TIMEOUT';
  const temporary = (err instanceof RegistryError && err.temporary) || RETRYABLE_CODES.has(code);
  const retryAfterMs = err instanceof RegistryError ? err.retryAfterMs : undefined;
  const detail = isAbortError(err) ? 'timed out (requestTimeout)' : errorMessage(err);
  let message = `${PREFIX[ctx.phase]} ${ctx.subject}: ${detail}`;
  if (ctx.byPodDigest && side === 'source' && code === 'MANIFEST_UNKNOWN') message += ` ${OVERWRITTEN_HINT}`;
  return new MirrorError({ code, message, side, registry, temporary, retryAfterMs, cause: err });
}

/** True when the registry refused us for authentication (401/403, `UNAUTHORIZED`, `DENIED`): upstream logs these loudly. */
export function authFailure(err: unknown): { statusCode: number; details: string[] } | undefined {
  const cause = err instanceof MirrorError ? err.cause : err;
  if (!(cause instanceof RegistryError)) return undefined;
  const auth = cause.status === 401 || cause.status === 403 || cause.code === 'UNAUTHORIZED' || cause.code === 'DENIED';
  if (!auth) return undefined;
  return { statusCode: cause.status, details: cause.errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)) };
}

/** A `ControllerError` for work abandoned because the controller stopped. */
export function stoppedError(cause?: unknown): ControllerError {
  return new ControllerError('STOPPED', 'the controller stopped before the mirror finished; nothing was tagged', { cause });
}
