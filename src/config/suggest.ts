/** "Did you mean" hints for unknown config keys. */

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? Math.max(a.length, b.length);
}

/**
 * The candidate closest to `key`, ignoring case, `-`, `_` and blanks, when it is close enough to be
 * a likely typo (at most one edit per four characters); each candidate is `[name to compare, hint]`.
 */
export function suggest(key: string, candidates: Iterable<readonly [string, string]>): string | undefined {
  const wanted = normalize(key);
  let best: { hint: string; d: number } | undefined;
  for (const [name, hint] of candidates) {
    const d = distance(wanted, normalize(name));
    if (d <= Math.max(1, Math.floor(wanted.length / 4)) && (!best || d < best.d)) best = { hint, d };
  }
  return best?.hint;
}
