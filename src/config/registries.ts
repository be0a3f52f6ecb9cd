/**
 * `excludeRegistries` entries, normalised once at start-up exactly as k8s-copycat does
 * (`normalizeRegistryPrefix`, inventory §3.11) so the controller only compares prefixes.
 */

/**
 * One exclusion prefix: trimmed, lowercased, `https://` or `http://` stripped, one trailing `/`
 * stripped, and `index.docker.io[/…]` rewritten to `docker.io[/…]`. `registry-1.docker.io` is kept
 * as written, as upstream does. Returns `''` for a blank entry.
 */
export function normalizeRegistryPrefix(value: string): string {
  let out = value.trim().toLowerCase();
  if (out.startsWith('https://')) out = out.slice('https://'.length);
  if (out.startsWith('http://')) out = out.slice('http://'.length);
  if (out.endsWith('/')) out = out.slice(0, -1);
  if (out === 'index.docker.io' || out.startsWith('index.docker.io/')) out = `docker.io${out.slice('index.docker.io'.length)}`;
  return out;
}

/** Every entry normalised, blanks dropped, deduplicated and sorted (upstream checks them in sorted order). */
export function normalizeExcludedRegistries(values: readonly string[]): string[] {
  const unique = new Set<string>();
  for (const value of values) {
    const normalized = normalizeRegistryPrefix(value);
    if (normalized !== '') unique.add(normalized);
  }
  return [...unique].sort();
}
