import { CopycatError } from '../internal/errors.ts';

/**
 * The stable codes a {@link ServerError} carries:
 * - `LISTEN_ADDRESS_INVALID`: a bind address is not one of the Go forms (`:8080`, `host:port`, `[v6]:port`, `0`).
 * - `LISTEN_FAILED`: the operating system refused to listen (port in use, address not local, no permission).
 * - `STATUS_PAGE_INVALID`: the status page cannot be built as asked (a refresh interval that is not a number of
 *   milliseconds ≥ 100, or an inline script or style that would end its own element).
 */
export type ServerErrorCode = 'LISTEN_ADDRESS_INVALID' | 'LISTEN_FAILED' | 'STATUS_PAGE_INVALID';

/** Thrown when the HTTP endpoints cannot start. */
export class ServerError extends CopycatError {
  /** Which problem; see {@link ServerErrorCode}. */
  declare readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
