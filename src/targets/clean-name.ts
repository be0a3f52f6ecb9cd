import { createHash } from 'node:crypto';

/** Longest repository name produced (ECR's limit; k8s-copycat `CleanRepoName`, reference §3.9). */
export const MAX_REPOSITORY_LENGTH = 256;
/** Part of an over-long name kept before the hash suffix: 256 − `-` − 12 hex. */
const KEEP = MAX_REPOSITORY_LENGTH - 13;
/** What an input that cleans to nothing becomes (k8s-copycat's choice, kept for drop-in naming). */
export const UNKNOWN_REPOSITORY = 'library/unknown';

/**
 * Turns any path into a repository name registries accept, exactly as k8s-copycat's `CleanRepoName` for every
 * input it handled correctly (reference §3.9): lowercase, one leading `/` dropped, characters outside
 * `[a-z0-9_/.-]` become `-`, `-/.` trimmed from both ends, names over 256 characters cut to 243 plus `-` and
 * the first 12 hex of the SHA-1 of the name, and `library/unknown` for nothing.
 *
 * Beyond k8s-copycat, which let such names fail at push time (reference §7.2 "Repo names are not validated"),
 * each path segment is also made valid for the distribution grammar: empty segments (`a//b`) are dropped,
 * separators are trimmed from segment ends and a run of separators that is not `.`, `_`, `__` or dashes
 * becomes `-`. Names that were already valid are never changed by this.
 */
export function cleanRepoName(path: string): string {
  let p = path.toLowerCase();
  if (p.startsWith('/')) p = p.slice(1);
  p = p.replace(/[^a-z0-9_/.-]/g, '-');
  p = trimEnds(p, '-/.');
  p = p
    .split('/')
    .map(tidySegment)
    .filter((s) => s !== '')
    .join('/');
  if (p.length > MAX_REPOSITORY_LENGTH) {
    const hash = createHash('sha1').update(p).digest('hex').slice(0, 12);
    const kept = trimEnds(p.slice(0, KEEP), '-/._', 'end');
    p = kept === '' ? hash : `${kept}-${hash}`;
    p = trimEnds(p, '-/.').slice(0, MAX_REPOSITORY_LENGTH);
  }
  return p === '' ? UNKNOWN_REPOSITORY : p;
}

/** One path component made to match `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*` (distribution reference grammar). */
function tidySegment(segment: string): string {
  const fixed = segment.replace(/[._-]{2,}/g, (run) => (run === '__' || /^-+$/.test(run) ? run : '-'));
  return trimEnds(fixed, '-._');
}

function trimEnds(text: string, chars: string, side: 'both' | 'end' = 'both'): string {
  let start = 0;
  let end = text.length;
  if (side === 'both') while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}
