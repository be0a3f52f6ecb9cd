/**
 * `.dockerignore` rules as BuildKit applies them (moby/patternmatcher): patterns are Go `filepath.Match` globs per
 * path segment plus `**` for any number of segments, relative to the context root; a pattern matching a file or
 * any of its parent directories decides, the last deciding pattern wins, and `!` re-includes.
 * https://docs.docker.com/build/concepts/context/#dockerignore-files
 */

/** One line of a `.dockerignore`. */
export interface IgnoreRule {
  /** The pattern's segments after cleaning (`./a//b/` is `a`, `b`). */
  segments: string[];
  /** A `!pattern` line: matching paths are included again. */
  exception: boolean;
  /** The line as written, for messages. */
  source: string;
}

/** Parses `.dockerignore` text: blank lines and `#` comments are skipped, a leading `/` is dropped. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    const pattern = (exception ? line.slice(1) : line).trim();
    const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.length === 0) continue;
    if (segments.includes('..')) throw new Error(`.dockerignore: "${line}" points outside the context`);
    rules.push({ segments, exception, source: line });
  }
  return rules;
}

/** Go's `filepath.Match` for one segment: `*`, `?`, `[…]` classes (with `^`/`!` negation and ranges), `\` escapes. */
function matchSegment(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error(`.dockerignore: unterminated character class in "${pattern}"`);
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^') || body.startsWith('!');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^' : ''}${body.replace(/[\]\\^]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`).test(name);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= path.length; skip++) if (matchSegments(rest, path.slice(skip))) return true;
    return false;
  }
  return path.length > 0 && matchSegment(head!, path[0]!) && matchSegments(rest, path.slice(1));
}

/** Whether `relPath` (relative to the context root, `/`-separated) is left out of the build context. */
export function isIgnored(rules: readonly IgnoreRule[], relPath: string): boolean {
  const path = relPath.split('/').filter((s) => s !== '' && s !== '.');
  let ignored = false;
  for (const rule of rules) {
    // A rule that cannot change the outcome is skipped, as moby's matcher does.
    if (rule.exception !== ignored) continue;
    let hit = false;
    for (let n = path.length; n > 0 && !hit; n--) hit = matchSegments(rule.segments, path.slice(0, n));
    if (hit) ignored = !rule.exception;
  }
  return ignored;
}
