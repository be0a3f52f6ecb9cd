/**
 * `includeNamespaces` expansion at start-up (k8s-copycat behaviour §2.6): `*` or nothing means all
 * namespaces; glob entries (`*`, `?`, `[…]`, Go `path.Match` syntax) are expanded against the
 * namespaces that exist now; plain names must exist.
 *
 * Deliberate difference ([BUG] in §2.6): when every entry is a glob and none matches, k8s-copycat
 * logs "will not watch any namespaces" but then watches all of them. Here the scope is really
 * empty (`[]`): nothing is watched, as the message says.
 */
import type { KubeClient } from './client.ts';
import { KubeError } from './errors.ts';
import { collectionPath, RESOURCES } from './resources.ts';
import type { KubeObject } from './types.ts';
import type { NamespaceScope } from './watch.ts';

/** True when an entry is a glob pattern (contains `*`, `?` or `[`). */
export function isNamespacePattern(entry: string): boolean {
  return /[*?[]/.test(entry);
}

/** Escapes a literal for a `u`-flag RegExp (where only syntax characters may be escaped outside a class). */
const escapeRegex = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
/** Escapes one character inside a `u`-flag character class, where `-` is special too. */
const escapeClass = (c: string): string => c.replace(/[\\^\]\[-]/g, '\\$&');

/** Compiles a Go `path.Match` pattern; throws `KUBE_NAMESPACE_PATTERN_INVALID` for a malformed one. */
export function compileNamespacePattern(pattern: string): RegExp {
  const bad = (why: string): KubeError => new KubeError('KUBE_NAMESPACE_PATTERN_INVALID', `invalid namespace pattern ${JSON.stringify(pattern)}: ${why}`);
  const chars = [...pattern];
  let i = 0;
  // One class character, `\` escapes allowed; `-` and `]` must be escaped there (path.Match getEsc).
  const classChar = (): string => {
    let c = chars[i];
    if (c === undefined) throw bad('unclosed [');
    if (c === '-' || c === ']') throw bad(`unescaped ${c} in a character class`);
    if (c === '\\') {
      i++;
      c = chars[i];
      if (c === undefined) throw bad('trailing \\');
    }
    i++;
    return c;
  };
  let re = '^';
  while (i < chars.length) {
    const c = chars[i] ?? '';
    if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined) throw bad('trailing \\');
      re += escapeRegex(next);
      i += 2;
    } else if (c === '[') {
      i++;
      const negated = chars[i] === '^';
      if (negated) i++;
      const ranges: string[] = [];
      let count = 0;
      for (;;) {
        if (chars[i] === undefined) throw bad('unclosed [');
        if (chars[i] === ']' && count > 0) {
          i++;
          break;
        }
        const lo = classChar();
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          hi = classChar();
        }
        count++;
        // path.Match accepts an inverted range (it simply never matches); a RegExp would throw.
        if (lo <= hi) ranges.push(`${escapeClass(lo)}-${escapeClass(hi)}`);
      }
      if (ranges.length === 0) re += negated ? '[\\s\\S]' : '(?!)';
      else re += `[${negated ? '^' : ''}${ranges.join('')}]`;
    } else {
      re += escapeRegex(c);
      i++;
    }
  }
  return new RegExp(`${re}$`, 'u');
}

/** True when `name` matches the Go `path.Match` pattern; throws `KUBE_NAMESPACE_PATTERN_INVALID` for a malformed one. */
export function matchNamespacePattern(pattern: string, name: string): boolean {
  return compileNamespacePattern(pattern).test(name);
}

/** The result of {@link expandNamespaces}, with what the caller should log. */
export interface NamespaceExpansion {
  /** `'*'` for all namespaces, else the sorted, de-duplicated names (possibly none). */
  scope: NamespaceScope;
  /** Plain names that do not exist (start-up must fail naming them). */
  missing: string[];
  /** Patterns that do not compile, with why ("invalid namespace pattern", skipped). */
  invalidPatterns: Array<{ pattern: string; error: KubeError }>;
  /** Patterns that matched nothing ("namespace wildcard matched no namespaces", skipped). */
  unmatchedPatterns: string[];
}

/** True when the selection means "all namespaces" (empty after trimming, or any entry `*`): no API call needed. */
export function selectsAllNamespaces(selection: readonly string[]): boolean {
  const entries = selection.map((s) => s.trim()).filter((s) => s !== '');
  return entries.length === 0 || entries.includes('*');
}

/** Expands a namespace selection against the namespaces that exist (pure; see the file comment). */
export function expandNamespaces(selection: readonly string[], existing: readonly string[]): NamespaceExpansion {
  const out: NamespaceExpansion = { scope: '*', missing: [], invalidPatterns: [], unmatchedPatterns: [] };
  if (selectsAllNamespaces(selection)) return out;
  const known = new Set(existing);
  const names = new Set<string>();
  for (const entry of selection.map((s) => s.trim()).filter((s) => s !== '')) {
    if (!isNamespacePattern(entry)) {
      if (known.has(entry)) names.add(entry);
      else out.missing.push(entry);
      continue;
    }
    let pattern: RegExp;
    try {
      pattern = compileNamespacePattern(entry);
    } catch (err) {
      if (!(err instanceof KubeError)) throw err;
      out.invalidPatterns.push({ pattern: entry, error: err });
      continue;
    }
    const matched = existing.filter((ns) => pattern.test(ns));
    if (matched.length === 0) out.unmatchedPatterns.push(entry);
    for (const ns of matched) names.add(ns);
  }
  out.missing = [...new Set(out.missing)].sort();
  out.scope = [...names].sort();
  return out;
}

/** Names of every namespace in the cluster (needs `list namespaces`). */
export async function listNamespaceNames(client: KubeClient, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  let cont: string | undefined;
  do {
    const page = await client.list<KubeObject>(collectionPath(RESOURCES.namespaces), { query: { limit: 500, continue: cont }, ...(signal ? { signal } : {}) });
    for (const ns of page.items ?? []) if (ns.metadata?.name) names.push(ns.metadata.name);
    cont = page.metadata?.continue || undefined;
  } while (cont !== undefined);
  return names;
}

/**
 * Start-up validation: expands the selection against the cluster (listing namespaces only when
 * needed) and throws `KUBE_NAMESPACE_MISSING` naming every missing plain name, sorted.
 */
export async function resolveNamespaces(client: KubeClient, selection: readonly string[], signal?: AbortSignal): Promise<NamespaceExpansion> {
  if (selectsAllNamespaces(selection)) return expandNamespaces(selection, []);
  const expansion = expandNamespaces(selection, await listNamespaceNames(client, signal));
  if (expansion.missing.length > 0) {
    throw new KubeError('KUBE_NAMESPACE_MISSING', `configured namespace(s) do not exist: ${expansion.missing.join(', ')}`);
  }
  return expansion;
}
