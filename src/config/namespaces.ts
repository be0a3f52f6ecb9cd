/**
 * Namespace selection (inventory §2.5, §2.6). `includeNamespaces` holds `*`, names and `path.Match`
 * globs; at start-up the controller lists the cluster's namespaces and calls
 * {@link expandIncludeNamespaces}, which fails on names that do not exist and expands globs.
 *
 * Deliberate difference from k8s-copycat: when every entry is a glob and none matches, upstream's
 * empty result meant "no restriction" and it watched **every** namespace while logging that it would
 * watch none ([BUG], §2.6, §7.1 #3). Here the result is an explicit empty selection: nothing is watched.
 */
import { ConfigError } from './errors.ts';
import { compileGlob, isGlob } from './glob.ts';

/** What to watch: every namespace, or exactly these (possibly none). */
export type NamespaceSelection = { readonly all: true } | { readonly all: false; readonly names: readonly string[] };

/** The include list as configured: `['*']` when empty or when any entry is `*`, else the entries. */
export function normalizeIncludeNamespaces(values: readonly string[]): string[] {
  const trimmed = values.map((v) => v.trim()).filter((v) => v !== '');
  if (trimmed.length === 0 || trimmed.includes('*')) return ['*'];
  return [...new Set(trimmed)];
}

/** Start-up warnings for include/skip entries that cannot do what they look like. */
export function namespaceListWarnings(include: readonly string[], includeKey: string, skip: readonly string[], skipKey: string): string[] {
  const warnings: string[] = [];
  for (const entry of include) {
    if (entry === '*' || !isGlob(entry)) continue;
    try {
      compileGlob(entry);
    } catch (err) {
      warnings.push(`${includeKey} entry ${JSON.stringify(entry)} is not a valid pattern (${(err as Error).message}); it matches nothing`);
    }
  }
  for (const entry of skip) {
    if (isGlob(entry)) warnings.push(`${skipKey} entry ${JSON.stringify(entry)} is an exact name, not a pattern; it only skips a namespace with that literal name`);
  }
  return warnings;
}

/**
 * Expands an include list against the namespaces that exist now. `*` (or an empty list) selects
 * all; names must exist, else a `ConfigError` (`CONFIG_INVALID`, key `includeNamespaces`) lists every
 * missing one, sorted; globs select the existing namespaces they match. The result is sorted and
 * deduplicated. `warnings` reports globs that matched nothing (invalid globs were reported by
 * `loadConfig` and match nothing).
 */
export function expandIncludeNamespaces(
  include: readonly string[],
  existing: readonly string[],
): { selection: NamespaceSelection; warnings: string[] } {
  const selections = normalizeIncludeNamespaces(include);
  if (selections.length === 1 && selections[0] === '*') return { selection: { all: true }, warnings: [] };
  const present = new Set(existing.map((n) => n.trim()).filter((n) => n !== ''));
  const names = new Set<string>();
  const missing: string[] = [];
  const warnings: string[] = [];
  for (const entry of selections) {
    if (!isGlob(entry)) {
      if (present.has(entry)) names.add(entry);
      else missing.push(entry);
      continue;
    }
    let pattern: RegExp;
    try {
      pattern = compileGlob(entry);
    } catch {
      continue;
    }
    const matched = [...present].filter((n) => pattern.test(n));
    if (matched.length === 0) warnings.push(`includeNamespaces pattern ${JSON.stringify(entry)} matches no namespace`);
    for (const n of matched) names.add(n);
  }
  if (missing.length > 0) {
    missing.sort();
    throw new ConfigError(
      'CONFIG_INVALID',
      'includeNamespaces',
      missing.join(', '),
      `configured namespace${missing.length > 1 ? 's do' : ' does'} not exist (INCLUDE_NAMESPACES / includeNamespaces)`,
    );
  }
  return { selection: { all: false, names: [...names].sort() }, warnings };
}
