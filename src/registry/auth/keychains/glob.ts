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
 */

type Token =
  | { kind: 'literal'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; ranges: Array<[string, string]> };

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
  return /[*?[]/.test(value);
}

/** Compiles `pattern`, or returns undefined when it is malformed (unclosed class, trailing `\`, empty class). */
export function compileGlob(pattern: string): Glob | undefined {
  const tokens = tokenize(pattern);
  if (!tokens) return undefined;
  return {
    source: pattern,
    matches: (name) => matchTokens(tokens, Array.from(name)),
    literalCount: tokens.filter((t) => t.kind === 'literal').length,
    starCount: tokens.filter((t) => t.kind === 'star').length,
  };
}

/** One-shot match (compiles every call); false for a malformed pattern, like Go's `Match` returning an error. */
export function globMatch(pattern: string, name: string): boolean {
  return compileGlob(pattern)?.matches(name) ?? false;
}

function tokenize(pattern: string): Token[] | undefined {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  let i = 0;
  const escaped = (): string | undefined => {
    // After a backslash: the next character, literally. A trailing backslash is malformed.
    i++;
    const c = chars[i];
    i++;
    return c;
  };
  while (i < chars.length) {
    const c = chars[i] as string;
    if (c === '*') {
      // Consecutive stars mean the same as one.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === '\\') {
      const lit = escaped();
      if (lit === undefined) return undefined;
      tokens.push({ kind: 'literal', char: lit });
    } else if (c === '[') {
      i++;
      let negated = false;
      if (chars[i] === '^') {
        negated = true;
        i++;
      }
      const ranges: Array<[string, string]> = [];
      // Go requires at least one range, and `]` right after `[` closes an empty (malformed) class.
      for (;;) {
        const here = chars[i];
        if (here === undefined) return undefined;
        if (here === ']' && ranges.length > 0) {
          i++;
          break;
        }
        if (here === ']' || here === '-') return undefined;
        const lo = here === '\\' ? escaped() : (i++, here);
        if (lo === undefined) return undefined;
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          const next = chars[i];
          if (next === undefined || next === ']' || next === '-') return undefined;
          const h = next === '\\' ? escaped() : (i++, next);
          if (h === undefined) return undefined;
          hi = h;
        }
        ranges.push([lo, hi]);
      }
      tokens.push({ kind: 'class', negated, ranges });
    } else {
      tokens.push({ kind: 'literal', char: c });
      i++;
    }
  }
  return tokens;
}

function matchOne(token: Exclude<Token, { kind: 'star' }>, c: string): boolean {
  if (token.kind === 'literal') return token.char === c;
  if (c === '/') return false; // the path separator is never matched by a pattern character
  if (token.kind === 'any') return true;
  const inClass = token.ranges.some(([lo, hi]) => lo <= c && c <= hi);
  return inClass !== token.negated;
}

/** Matches with one backtracking point per star, linear in practice for host names. */
function matchTokens(tokens: readonly Token[], name: readonly string[]): boolean {
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token?.kind === 'star') {
      starT = t;
      starN = n;
      t++;
      continue;
    }
    if (token && matchOne(token, name[n] as string)) {
      t++;
      n++;
      continue;
    }
    // Let the last star swallow one more character, unless that character is a separator.
    if (starT >= 0 && name[starN] !== '/') {
      starN++;
      n = starN;
      t = starT + 1;
      continue;
    }
    return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}
