import { CopycatError } from '../internal/errors.ts';

/**
 * The stable codes a {@link ReferenceError} carries; callers branch on these, never on the message.
 *
 * - `REFERENCE_INVALID`: not a reference at all (empty, bad characters, bad registry host, a URL,
 *   a bare 64-hex image ID, a tag or digest where only a repository is allowed, …).
 * - `REFERENCE_UPPERCASE`: the repository path has uppercase letters (it would be valid in lowercase).
 * - `REFERENCE_NAME_TOO_LONG`: the repository path is longer than 255 characters.
 * - `REFERENCE_TAG_INVALID`: the tag does not match `[\w][\w.-]{0,127}`.
 * - `REFERENCE_DIGEST_INVALID`: the digest is malformed (grammar, length, or case of its hex).
 */
export type ReferenceErrorCode =
  | 'REFERENCE_INVALID'
  | 'REFERENCE_UPPERCASE'
  | 'REFERENCE_NAME_TOO_LONG'
  | 'REFERENCE_TAG_INVALID'
  | 'REFERENCE_DIGEST_INVALID';

/**
 * Thrown for any image reference, repository, tag or digest that does not follow the grammar.
 *
 * Note the name deliberately matches the task's API and therefore shadows the JavaScript built-in
 * `ReferenceError` inside modules that import it; import it under an alias if that matters.
 */
export class ReferenceError extends CopycatError {
  /** Which rule was broken; see {@link ReferenceErrorCode}. */
  declare readonly code: ReferenceErrorCode;

  constructor(code: ReferenceErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Longest input quoted verbatim in an error message; longer ones are cut so logs stay readable. */
const MAX_QUOTED = 300;

/**
 * Quotes user input for an error message (JSON-style, so control characters and blanks are visible),
 * cutting it with an ellipsis when it is very long.
 */
export function quote(input: string): string {
  if (input.length <= MAX_QUOTED) return JSON.stringify(input);
  return `${JSON.stringify(input.slice(0, MAX_QUOTED))}… (${input.length} characters)`;
}
