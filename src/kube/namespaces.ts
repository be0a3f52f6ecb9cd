/**
 * `includeNamespaces` expansion at start-up (k8s-copycat behaviour §2.6): `*` or nothing means all
 * namespaces; glob entries (`*`, `?`, `[…]`, Go `path.Match` syntax) are expanded against the
 * namespaces that exist now; plain names must exist.
 *
 * Deliberate difference ([BUG] in §2.6): when every entry is a glob and none matches, k8s-copycat
 * logs "will not watch any namespaces" but then watches all of them. Here the scope is really
 * empty (`[]`): nothing is watched, as the message says.
 */
import { compileGoGlob, GlobError, isGlob, type GlobProblem } from '../internal/go-glob.ts';
import type { KubeClient } from './client.ts';
import { KubeError } from './errors.ts';
import { collectionPath, RESOURCES } from './resources.ts';
import type { KubeObject } from './types.ts';
import type { NamespaceScope } from './watch.ts';

/** True when an entry is a glob pattern (contains `*`, `?` or `[`). */
export function isNamespacePattern(entry: string): boolean {
  return isGlob(entry);
}

/** This module's wording of each malformed-pattern problem (kept from before the shared matcher). */
const WHY: Record<GlobProblem, string> = {
  'unclosed-class': 'unclosed [',
  'unescaped-dash': 'unescaped - in a character class',
  'unescaped-bracket': 'unescaped ] in a character class',
  'trailing-backslash': 'trailing \\',
};

/** Compiles a Go `path.Match` pattern; throws `KUBE_NAMESPACE_PATTERN_INVALID` for a malformed one. */
export function compileNamespacePattern(pattern: string): RegExp {
  try {
    return compileGoGlob(pattern).regex;
  } catch (err) {
    // Re-thrown as a KubeError: callers (expandNamespaces, setup logging) branch on the kube code.
    if (err instanceof GlobError) {
      throw new KubeError('KUBE_NAMESPACE_PATTERN_INVALID', `invalid namespace pattern ${JSON.stringify(pattern)}: ${WHY[err.problem]}`);
    }
    throw err;
  }
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
