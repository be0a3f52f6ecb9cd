import { CopycatError } from '../internal/errors.ts';

/**
 * The stable codes an {@link OciError} carries; callers branch on these, never on the message.
 *
 * - `MANIFEST_INVALID`: manifest bytes are not a document we can read (bad JSON, bad field, kind conflict).
 * - `DIGEST_INVALID`: a digest string is malformed or uses an algorithm we do not implement.
 * - `DIGEST_MISMATCH`: content hashed to a different digest than its descriptor says.
 * - `SIZE_MISMATCH`: content has a different byte length than its descriptor says.
 * - `PLATFORM_INVALID`: a platform specifier such as `linux/arm64/v8` could not be parsed.
 */
export const OciErrorCodes = {
  manifestInvalid: 'MANIFEST_INVALID',
  digestInvalid: 'DIGEST_INVALID',
  digestMismatch: 'DIGEST_MISMATCH',
  sizeMismatch: 'SIZE_MISMATCH',
  platformInvalid: 'PLATFORM_INVALID',
} as const;

/** One of the {@link OciErrorCodes} values. */
export type OciErrorCode = (typeof OciErrorCodes)[keyof typeof OciErrorCodes];

/** An error about image content itself (manifests, digests, platforms), as opposed to transport or auth. */
export class OciError extends CopycatError {
  declare readonly code: OciErrorCode;

  constructor(code: OciErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
