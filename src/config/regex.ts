/**
 * Compiles the Go (RE2) regular expressions users wrote for k8s-copycat (`ignoreMissingPlatforms`,
 * `pathMap` with `regex: true`) into JavaScript RegExps. The two dialects agree on everyday syntax;
 * the RE2-only forms people actually use are rewritten here so a pattern keeps its meaning:
 * `(?P<name>…)`, a leading `(?i)`/`(?s)`/`(?m)`, `\A`, `\z`, `\Q…\E`, POSIX classes such as
 * `[[:alpha:]]`, and `\pL`-style Unicode classes. Anything without a faithful translation is
 * refused with a reason instead of silently matching something else.
 */

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;

/** Escapes a literal for use in a JavaScript pattern. */
function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A Unicode class name after `\p`: one-letter/two-letter general categories stay, others are scripts. */
function unicodeClass(name: string): string {
  return /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
}

/**
 * Translates an RE2 pattern to `{ source, flags }` for `new RegExp`. Throws an `Error` whose message
 * says which construct has no JavaScript equivalent.
 */
export function translateGoRegex(pattern: string): { source: string; flags: string } {
  let rest = pattern;
  const flags = new Set<string>();
  // Go allows flag groups anywhere; only a leading one maps onto JavaScript's whole-pattern flags.
  const leading = LEADING_FLAGS.exec(rest);
  if (leading) {
    for (const f of leading[1] ?? '') {
      if (f === 'i' || f === 'm' || f === 's') flags.add(f);
      else throw new Error(`the (?${f}) flag has no JavaScript equivalent`);
    }
    rest = rest.slice(leading[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (c === '\\') {
      const next = rest[i + 1];
      if (next === undefined) throw new Error('trailing backslash');
      if (next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = rest.slice(i + 2, end < 0 ? rest.length : end);
        out += escapeLiteral(literal);
        i = end < 0 ? rest.length : end + 1;
        continue;
      }
      if (!inClass && next === 'A') {
        out += '(?<![\\s\\S])';
        i++;
        continue;
      }
      if (!inClass && next === 'z') {
        out += '(?![\\s\\S])';
        i++;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const brace = rest[i + 2] === '{';
        const name = brace ? rest.slice(i + 3, rest.indexOf('}', i + 3)) : (rest[i + 2] ?? '');
        if (name === '' || (brace && rest.indexOf('}', i + 3) < 0)) throw new Error(`incomplete \\${next} class`);
        if (name.startsWith('^')) throw new Error('negated \\p{^…} classes are not supported; use \\P{…}');
        out += `\\${next}{${unicodeClass(name)}}`;
        flags.add('u');
        i += brace ? name.length + 3 : 2;
        continue;
      }
      out += c + next;
      i++;
      continue;
    }
    if (!inClass && c === '(' && rest.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (!inClass && c === '(' && /^\(\?[a-zA-Z-]*\)/.test(rest.slice(i))) {
      throw new Error('flag groups such as (?i) are only supported at the very start of the pattern');
    }
    if (inClass && c === '[' && rest[i + 1] === ':') {
      const end = rest.indexOf(':]', i + 2);
      if (end > 0) {
        const name = rest.slice(i + 2, end);
        if (name.startsWith('^')) throw new Error(`negated POSIX class [:${name}:] is not supported`);
        const ranges = POSIX_CLASSES[name];
        if (ranges === undefined) throw new Error(`unknown POSIX class [:${name}:]`);
        out += ranges;
        i = end + 1;
        continue;
      }
    }
    if (!inClass && c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in RE2; JavaScript needs it escaped.
      if (rest[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (rest[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (inClass && c === ']') inClass = false;
    out += c;
  }
  return { source: out, flags: [...flags].sort().join('') };
}

/**
 * Compiles a Go (RE2) pattern into a RegExp with the same meaning (no `g` flag, so `test` keeps no
 * state). Throws an `Error` naming the problem when the pattern is invalid or untranslatable.
 */
export function compileGoRegex(pattern: string): RegExp {
  const { source, flags } = translateGoRegex(pattern);
  try {
    return new RegExp(source, flags);
  } catch (err) {
    // V8's message repeats the pattern; keep only the reason after the last colon.
    const reason = err instanceof Error ? (err.message.split(': ').pop() ?? err.message) : String(err);
    throw new Error(reason, { cause: err });
  }
}
