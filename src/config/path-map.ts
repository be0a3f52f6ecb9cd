/**
 * `pathMap` rules (inventory §3.10): kept in order, regex rules compiled once. Applying them is the
 * targets' job; this only validates.
 */
import { quote } from './errors.ts';
import type { PathMapEntry } from './file.ts';
import { compileGoRegex } from './regex.ts';
import type { PathMapping } from './types.ts';

/**
 * Compiles the rules. `from` and `to` are kept exactly as written (upstream does not trim them). A
 * regex rule whose pattern does not compile is dropped with a warning — upstream dropped it
 * silently — and a plain rule with an empty `from`, which matches every path, gets a warning.
 */
export function compilePathMap(entries: readonly PathMapEntry[], warnings: string[]): PathMapping[] {
  const out: PathMapping[] = [];
  for (const entry of entries) {
    const from = entry.from ?? '';
    const to = entry.to ?? '';
    if (entry.regex === true) {
      try {
        out.push({ regex: true, from, to, pattern: compileGoRegex(from) });
      } catch (err) {
        warnings.push(`${entry.key}.from ${quote(from)} is not a valid regular expression (${(err as Error).message}); the rule is ignored`);
      }
      continue;
    }
    if (from === '') warnings.push(`${entry.key}.from is empty, so the rule matches every repository and later rules never apply`);
    out.push({ regex: false, from, to });
  }
  return out;
}
