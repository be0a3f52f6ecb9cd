/**
 * Go's `path.Match` / `path/filepath.Match` patterns (https://pkg.go.dev/path#Match), the one
 * implementation behind config's include globs, kube's namespace globs and the keychains' host
 * wildcards:
 *
 * - `*` matches any run of characters except `/`; `?` matches one character except `/`;
 * - `[abc]`, `[a-z]`, `[^a-z]` match one character from (or not from) a class; inside a class `-`
 *   and `]` must be escaped, an inverted range (`[z-a]`) is accepted and matches nothing, and ranges
 *   compare code points (Go compares runes);
 * - `\x` matches `x` literally, outside and inside a class.
 *
 * Only `^` negates a class: Go has no `!` (unlike POSIX shells). A pattern is checked whole when it
 * is compiled, so a malformed one is reported at load time rather than when a match reaches it.
 */
import { CopycatError } from './errors.ts';

/** What is malformed in a pattern, for callers that word the problem their own way. */
export type GlobProblem = 'unclosed-class' | 'unescaped-dash' | 'unescaped-bracket' | 'trailing-backslash';

const REASONS: Record<GlobProblem, string> = {
  'unclosed-class': 'unclosed "[" character class',
  'unescaped-dash': 'unescaped "-" in character class',
  'unescaped-bracket': 'unescaped "]" in character class',
  'trailing-backslash': 'pattern ends with "\\"',
};

/** A malformed pattern (code `GLOB_INVALID`): exactly the patterns Go rejects with `ErrBadPattern`. */
export class GlobError extends CopycatError {
  /** The pattern as written. */
  readonly pattern: string;
  /** What is malformed. */
  readonly problem: GlobProblem;
  /** The problem in words, without the pattern (for messages that quote the pattern themselves). */
  readonly reason: string;

  constructor(pattern: string, problem: GlobProblem) {
    const reason = REASONS[problem];
    super('GLOB_INVALID', `invalid glob pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.pattern = pattern;
    this.problem = problem;
    this.reason = reason;
  }
}

/** Options of {@link compileGoGlob}. */
export interface GoGlobOptions {
  /**
   * Whether a `[...]` class may match `/` (default true, as Go: `[^a]` and `[/]` match `/`). The
   * keychains set false, keeping their rule that only a literal `/` matches the separator.
   */
  classMatchesSlash?: boolean;
}

/** A compiled pattern; build it with {@link compileGoGlob}. */
export interface GoGlob {
  /** The pattern as written. */
  readonly source: string;
  /** An anchored `u`-flag RegExp matching exactly the names the pattern matches. */
  readonly regex: RegExp;
  /** True when `name` matches the whole pattern. */
  test(name: string): boolean;
  /** How many characters a match must reproduce literally (plain or `\`-escaped): a measure of specificity. */
  readonly literalCount: number;
  /** How many runs of `*` the pattern has (`**` counts once, as it means the same as `*`). */
  readonly starCount: number;
}

/** True when `value` is a pattern rather than a plain name: it contains `*`, `?` or `[` (as k8s-copycat's `hasWildcard`). */
export function isGlob(value: string): boolean {
  return /[*?[]/.test(value);
}

/** One character as a RegExp literal that is valid anywhere, inside a class too. */
function literal(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/** Compiles a Go `path.Match` pattern; throws {@link GlobError} (`GLOB_INVALID`) when it is malformed. */
export function compileGoGlob(pattern: string, options: GoGlobOptions = {}): GoGlob {
  const classMatchesSlash = options.classMatchesSlash ?? true;
  const chars = [...pattern];
  let out = '';
  let i = 0;
  let literalCount = 0;
  let starCount = 0;
  let afterStar = false;
  // One class character (Go's getEsc): `\` escapes, a bare `-` or `]` is malformed.
  const classChar = (): string => {
    let ch = chars[i];
    if (ch === undefined) throw new GlobError(pattern, 'unclosed-class');
    if (ch === '-') throw new GlobError(pattern, 'unescaped-dash');
    if (ch === ']') throw new GlobError(pattern, 'unescaped-bracket');
    if (ch === '\\') {
      i++;
      ch = chars[i];
      if (ch === undefined) throw new GlobError(pattern, 'trailing-backslash');
    }
    i++;
    return ch;
  };
  while (i < chars.length) {
    const ch = chars[i] as string;
    if (ch === '*') {
      if (!afterStar) starCount++;
      afterStar = true;
      out += '[^/]*';
      i++;
      continue;
    }
    afterStar = false;
    if (ch === '?') {
      out += '[^/]';
      i++;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) throw new GlobError(pattern, 'trailing-backslash');
      out += literal(next);
      literalCount++;
      i += 2;
    } else if (ch === '[') {
      i++;
      const negated = chars[i] === '^';
      if (negated) i++;
      let ranges = '';
      let count = 0;
      // Go needs at least one range, so a `]` right after `[` (or `[^`) is malformed, not a closer.
      while (chars[i] !== ']' || count === 0) {
        const lo = classChar();
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          hi = classChar();
        }
        // Go accepts an inverted range, which simply never matches; a RegExp would throw.
        if ((lo.codePointAt(0) ?? 0) <= (hi.codePointAt(0) ?? 0)) ranges += `${literal(lo)}-${literal(hi)}`;
        count++;
      }
      i++; // the closing ]
      const cls = ranges === '' ? (negated ? '[\\s\\S]' : '[]') : `[${negated ? '^' : ''}${ranges}]`;
      out += classMatchesSlash ? cls : `(?!/)${cls}`;
    } else {
      out += literal(ch);
      literalCount++;
      i++;
    }
  }
  const regex = new RegExp(`^${out}$`, 'u');
  return { source: pattern, regex, test: (name) => regex.test(name), literalCount, starCount };
}
