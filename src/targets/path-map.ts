import { TargetError } from './errors.ts';

/**
 * One `pathMap` rule (reference §3.10): rewrites a source repository path (no registry host) before the
 * prefix is added. The first matching rule wins.
 */
export interface PathMapRule {
  /** A path prefix, or a regular expression when `regex` is true. */
  from: string;
  /** The replacement prefix, or a Go-style template (`$1`, `${1}`, `${name}`, `$$`) when `regex` is true. */
  to: string;
  regex?: boolean;
  /**
   * `from` already compiled (the config module translates RE2 with its own, fuller dialect support); used
   * instead of translating `from` here. Its flags are kept, `g` is added.
   */
  pattern?: RegExp;
}

/** A rule ready to apply: regexes compiled once. */
export type CompiledPathMapRule =
  | { kind: 'prefix'; from: string; to: string }
  | { kind: 'regex'; re: RegExp; to: string; names: ReadonlyMap<string, number> };

/**
 * Compiles `pathMap` rules. A regex that does not compile is an error naming the rule (k8s-copycat dropped
 * it silently, reference §7.1 item 8), so a typo fails at start-up instead of mirroring under another name.
 *
 * Regexes are JavaScript regular expressions with the RE2 spellings k8s-copycat users write translated:
 * `(?P<name>…)`, a leading `(?i)`/`(?s)`/`(?m)`, `\A` and `\z`.
 */
export function compilePathMap(rules: readonly PathMapRule[]): CompiledPathMapRule[] {
  return rules.map((rule, i) => {
    if (!rule.regex) return { kind: 'prefix', from: rule.from, to: rule.to };
    try {
      const { source, flags } = rule.pattern ? { source: rule.pattern.source, flags: rule.pattern.flags.replace('g', '') } : translateRe2(rule.from);
      const re = new RegExp(source, rule.pattern ? `${flags}g` : `${flags}gu`);
      return { kind: 'regex', re, to: rule.to, names: groupIndexes(source) };
    } catch (err) {
      throw new TargetError('PATH_MAP_INVALID', `pathMap[${i}].from ${JSON.stringify(rule.from)} is not a valid regular expression: ${(err as Error).message}`, { cause: err });
    }
  });
}

/**
 * Applies the first matching rule to `path` (reference §3.10).
 *
 * - Regex rules: every match is replaced (Go `ReplaceAllString`, including its rule that an empty match right
 *   after a match is not replaced), the template expanded the Go way (`$1x` is the group named `1x`).
 * - Prefix rules match on a path-segment boundary: `from: group/project` rewrites `group/project/app` to
 *   `<to>/app` but leaves `group/projectx` alone. k8s-copycat compared raw strings, so its own README example
 *   produced `prod/project//app` (reference §7.1 item 8); this does what that README promises. An empty
 *   `from` matches every path.
 */
export function applyPathMap(path: string, rules: readonly CompiledPathMapRule[]): string {
  for (const rule of rules) {
    if (rule.kind === 'regex') {
      rule.re.lastIndex = 0;
      if (!rule.re.test(path)) continue;
      return replaceAllGo(path, rule);
    }
    const from = rule.from.replace(/\/+$/, '');
    let rest: string;
    if (rule.from === '') rest = path;
    else if (path === from) rest = '';
    else if (path.startsWith(`${from}/`)) rest = path.slice(from.length + 1);
    else continue;
    const to = rule.to.replace(/\/+$/, '');
    if (to === '') return rest;
    return rest === '' ? to : `${to}/${rest}`;
  }
  return path;
}

/** Go's `Regexp.ReplaceAllString` loop over a JavaScript regex (regexp.go `replaceAll`). */
function replaceAllGo(src: string, rule: Extract<CompiledPathMapRule, { kind: 'regex' }>): string {
  const { re } = rule;
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += src.slice(lastMatchEnd, start);
    // No replacement for an empty match right after another match (Go avoids double replacement).
    if (end > lastMatchEnd || start === 0) out += expandTemplate(rule.to, m, rule.names);
    lastMatchEnd = end;
    const width = (src.codePointAt(searchPos) ?? 0) > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

/**
 * Expands a Go regexp template (`Regexp.Expand`): `$name` takes the longest run of letters, digits and `_`,
 * `${name}` is delimited, a purely numeric name is a group index (no leading zeros), `$$` is `$`, and a
 * missing or unmatched group expands to nothing. A malformed `$` is kept literally.
 */
export function expandTemplate(template: string, match: RegExpExecArray, names: ReadonlyMap<string, number>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const braced = template[i] === '{';
    const nameMatch = /^[\p{L}\p{N}_]+/u.exec(template.slice(braced ? i + 1 : i));
    const name = nameMatch?.[0];
    if (name === undefined || (braced && template[i + 1 + name.length] !== '}')) {
      out += '$';
      continue;
    }
    i += name.length + (braced ? 2 : 0);
    let index: number | undefined;
    if (/^\d+$/.test(name) && (name === '0' || !name.startsWith('0'))) index = Number(name);
    else index = names.get(name);
    if (index !== undefined) out += match[index] ?? '';
  }
  return out;
}

/** Group number of every named group, counting capture groups left to right as the regex engine does. */
function groupIndexes(source: string): Map<string, number> {
  const names = new Map<string, number>();
  let group = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      if (source[i + 1] !== '?') group++;
      else {
        const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(source.slice(i));
        if (named) names.set(named[1]!, ++group);
      }
    }
  }
  return names;
}

/**
 * Rewrites the RE2 syntax JavaScript lacks: `(?P<name>` → `(?<name>`, `\A` → `^`, `\z` → `$` (outside
 * character classes), escaped punctuation → `\xHH`, `\pL` → `\p{L}`, and a leading inline flag group
 * `(?ims)` → regex flags. Other RE2-only syntax is left for `RegExp` (unicode mode) to refuse.
 */
export function translateRe2(pattern: string): { source: string; flags: string } {
  let flags = '';
  let body = pattern;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 's' || f === 'm') {
        if (!flags.includes(f)) flags += f;
      } else {
        throw new SyntaxError(`inline flag "${f}" has no JavaScript equivalent`);
      }
    }
    body = body.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      // RE2 lets any punctuation be escaped; unicode-mode JavaScript only its syntax characters.
      else if (/^[!-/:-@[-`{-~]$/.test(next)) out += `\\x${next.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else if ((next === 'p' || next === 'P') && /^[A-Za-z]$/.test(body[i + 2] ?? '')) {
        out += `\\${next}{${body[i + 2]}}`;
        i++;
      } else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in RE2.
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (body.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    out += c;
  }
  return { source: out, flags };
}
