/**
 * Base error class for every error copycat throws on purpose.
 *
 * Callers branch on `code` (a stable, documented string), never on `message`,
 * which is for humans and may change. `cause` keeps the underlying error.
 */
export class CopycatError extends Error {
  /** Stable machine-readable code, e.g. `REFERENCE_INVALID` or `DIGEST_MISMATCH`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** True when `err` is a {@link CopycatError} carrying `code` (or any of `codes`). */
export function hasCode(err: unknown, ...codes: string[]): err is CopycatError {
  return err instanceof CopycatError && codes.includes(err.code);
}

/** True for the errors an aborted `AbortSignal` produces (DOM `AbortError` or `TimeoutError`). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/** Turns anything thrown into a one-line message, without ever printing an object's fields. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
