import { CopycatError } from '../internal/errors.ts';

/**
 * Why the controller could not mirror an image or read its input. Codes:
 * - `IMAGE_REFERENCE_INVALID`: an image in a pod spec does not parse (k8s-copycat `parse source: …`); only that
 *   container is affected, and retrying cannot help, so no retry or cooldown follows.
 * - `TARGET_DIGEST_CONFLICT`: the target tag holds another digest and `allowDifferentDigestRepush` is false.
 * - `DOCUMENT_INVALID`: a YAML/JSON document given to `copycat sync`/`verify` does not parse.
 * - `NAMESPACE_MISSING`: an `includeNamespaces` name does not exist at start-up.
 * - `STOPPED`: the controller was stopped while the work ran.
 * - `PULL_SECRETS_UNAVAILABLE`: `usePodPullSecrets` is on and the API server could not be asked for a job's pull
 *   secrets (nothing read before); the job waits and retries with back-off, without a failure cooldown.
 *
 * A failed mirror is a {@link MirrorError}, which keeps the registry's own code.
 */
export class ControllerError extends CopycatError {}

/** Which registry an error came from: metrics and back-off treat them differently. */
export type ErrorSide = 'source' | 'target';

/**
 * One mirror that failed: `code` is the underlying code (`MANIFEST_UNKNOWN`, `TOOMANYREQUESTS`, `DENIED`,
 * `SPARSE_INDEX_REJECTED`, `TARGET_DIGEST_CONFLICT`, …), `side` says which registry failed, `registry` names it,
 * and `retryAfterMs` carries a registry's `Retry-After`. The message starts with k8s-copycat's phase prefix
 * (`describe <src>: `, `push <target>: `, `ensure repo <repo>: `, `check <target>: `).
 */
export class MirrorError extends ControllerError {
  readonly side: ErrorSide;
  readonly registry: string;
  readonly temporary: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: { code: string; message: string; side: ErrorSide; registry: string; temporary?: boolean; retryAfterMs?: number | undefined; cause?: unknown }) {
    super(init.code, init.message, { cause: init.cause });
    this.side = init.side;
    this.registry = init.registry;
    this.temporary = init.temporary ?? false;
    this.retryAfterMs = init.retryAfterMs;
  }
}
