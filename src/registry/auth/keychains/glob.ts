/**
 * Shell-style patterns with the semantics of Go's `path/filepath.Match`, which both k8s-copycat
 * (`registryCredentials` wildcards) and the kubelet (pull secret host parts) use:
 *
 * - `*` matches any run of characters except `/`; `?` matches one character except `/`;
 * - `[abc]`, `[a-z]`, `[^a-z]` match one character from (or not from) a class;
 * - `\x` matches `x` literally.
 *
 * A pattern is checked once when it is compiled, so a malformed pattern (`[a-`) is reported at load
 * time instead of silently never matching (Go returns `ErrBadPattern` only when matching reaches it).
 * A thin wrapper over the shared matcher in `internal/go-glob.ts`.
 */
import { compileGoGlob, GlobError, isGlob } from '../../../internal/go-glob.ts';

/** A compiled pattern; build it with {@link compileGlob}. */
export interface Glob {
  /** The pattern as written. */
  readonly source: string;
  /** True when `name` matches the whole pattern. */
  matches(name: string): boolean;
  /** Characters a match must reproduce literally: the measure of how specific the pattern is. */
  readonly literalCount: number;
  /** How many `*` the pattern has (fewer is more specific). */
  readonly starCount: number;
}

/** True when `value` contains a pattern character (`*`, `?` or `[`), as k8s-copycat decides what is a wildcard. */
export function hasGlobChars(value: string): boolean {
  return isGlob(value);
}

/** Compiles `pattern`, or returns undefined when it is malformed (unclosed class, trailing `\`, empty class). */
export function compileGlob(pattern: string): Glob | undefined {
  let glob;
  try {
    // Deliberate differences from the shared matcher, kept from this module's own implementation:
    // a malformed pattern gives undefined (callers skip it) rather than throwing, and a `[...]` class
    // never matches the `/` separator (Go's does), so only a literal `/` can match one.
    glob = compileGoGlob(pattern, { classMatchesSlash: false });
  } catch (err) {
    if (err instanceof GlobError) return undefined;
    throw err;
  }
  const { regex, literalCount, starCount } = glob;
  return { source: pattern, matches: (name) => regex.test(name), literalCount, starCount };
}

/** One-shot match (compiles every call); false for a malformed pattern, like Go's `Match` returning an error. */
export function globMatch(pattern: string, name: string): boolean {
  return compileGlob(pattern)?.matches(name) ?? false;
}
