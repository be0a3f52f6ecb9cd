/**
 * Go's `path.Match` patterns, as k8s-copycat uses them for `includeNamespaces` (inventory §2.6):
 * `*` (any run of non-`/` characters), `?` (one non-`/` character), `[a-z]`, `[^…]`, and `\`
 * escapes. Compiled once into an anchored RegExp.
 */

/** True when a selection is a pattern rather than a name: it contains any of `*`, `?`, `[` (as upstream's `hasWildcard`). */
export function isGlob(value: string): boolean {
  return /[*?[]/.test(value);
}

function literal(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/**
 * Compiles a `path.Match` pattern into an anchored RegExp. Throws an `Error` saying what is
 * malformed, for exactly the patterns Go rejects with `ErrBadPattern` (an unclosed or empty class,
 * an unescaped `-` or `]` where a class character is due, a trailing `\`).
 */
export function compileGlob(pattern: string): RegExp {
  const chars = [...pattern];
  let out = '';
  let i = 0;
  const classChar = (): string => {
    let ch = chars[i];
    if (ch === undefined) throw new Error('unclosed "[" character class');
    if (ch === '-' || ch === ']') throw new Error(`unescaped "${ch}" in character class`);
    if (ch === '\\') {
      i++;
      ch = chars[i];
      if (ch === undefined) throw new Error('pattern ends with "\\"');
    }
    i++;
    return ch;
  };
  while (i < chars.length) {
    const ch = chars[i] as string;
    if (ch === '*') {
      out += '[^/]*';
      i++;
    } else if (ch === '?') {
      out += '[^/]';
      i++;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) throw new Error('pattern ends with "\\"');
      out += literal(next);
      i += 2;
    } else if (ch === '[') {
      i++;
      let negated = false;
      if (chars[i] === '^') {
        negated = true;
        i++;
      }
      let ranges = '';
      let count = 0;
      while (chars[i] !== ']' || count === 0) {
        const lo = classChar();
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          hi = classChar();
        }
        // Go accepts an inverted range and it simply never matches; JavaScript would throw.
        if ((lo.codePointAt(0) ?? 0) <= (hi.codePointAt(0) ?? 0)) ranges += `${literal(lo)}-${literal(hi)}`;
        count++;
      }
      i++; // the closing ]
      out += ranges === '' ? (negated ? '[\\s\\S]' : '[]') : `[${negated ? '^' : ''}${ranges}]`;
    } else {
      out += literal(ch);
      i++;
    }
  }
  return new RegExp(`^${out}$`, 'u');
}
