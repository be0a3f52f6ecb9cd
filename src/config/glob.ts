/**
 * Go's `path.Match` patterns, as k8s-copycat uses them for `includeNamespaces` (inventory §2.6):
 * `*` (any run of non-`/` characters), `?` (one non-`/` character), `[a-z]`, `[^…]`, and `\`
 * escapes. A thin wrapper over the shared matcher in `internal/go-glob.ts`.
 */
import { compileGoGlob, GlobError, isGlob as isGoGlob } from '../internal/go-glob.ts';

/** True when a selection is a pattern rather than a name: it contains any of `*`, `?`, `[` (as upstream's `hasWildcard`). */
export function isGlob(value: string): boolean {
  return isGoGlob(value);
}

/**
 * Compiles a `path.Match` pattern into an anchored RegExp. Throws an `Error` saying what is
 * malformed, for exactly the patterns Go rejects with `ErrBadPattern` (an unclosed or empty class,
 * an unescaped `-` or `]` where a class character is due, a trailing `\`).
 */
export function compileGlob(pattern: string): RegExp {
  try {
    return compileGoGlob(pattern).regex;
  } catch (err) {
    // Deliberately a plain Error with the bare reason: callers put its message into warnings that
    // already quote the entry, so the pattern must not appear twice.
    if (err instanceof GlobError) throw new Error(err.reason);
    throw err;
  }
}
