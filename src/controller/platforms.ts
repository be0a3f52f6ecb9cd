/**
 * Which platforms a mirror wants (behaviour inventory §3.4, §2.7) and the `ignoreMissingPlatforms` check
 * (§3.5). Platforms are `src/oci` {@link Platform}s, normalised, so `amd64`, `linux/amd64` and `linux/x86_64`
 * are one platform.
 */
import { formatPlatform, normalizePlatform, parsePlatform, type Platform } from '../oci/index.ts';

/** A node's platform as the kubelet reports it (`status.nodeInfo`); either field may be empty. */
export interface NodePlatformInfo {
  os: string;
  architecture: string;
}

/** The dedupe key of a platform: its normalised `os/arch[/variant]`. */
export function platformKey(p: Platform): string {
  return formatPlatform(normalizePlatform(p));
}

/**
 * Parses `mirrorPlatforms` entries (config keeps them as canonical strings) into platforms, dropping
 * duplicates; an entry that does not parse is reported through `onInvalid` and dropped, as upstream logs
 * "ignoring invalid mirror platform" and goes on.
 */
export function parseMirrorPlatforms(entries: readonly string[], onInvalid: (entry: string, error: unknown) => void = () => {}): Platform[] {
  const out: Platform[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    let p: Platform;
    try {
      p = parsePlatform(entry);
    } catch (err) {
      onInvalid(entry, err);
      continue;
    }
    const key = platformKey(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(normalizePlatform(p));
    }
  }
  return out;
}

/** The node platform as a {@link Platform}: OS defaults to `linux`; undefined when the architecture is unknown. */
export function nodePlatformOf(node: NodePlatformInfo | undefined): Platform | undefined {
  const architecture = (node?.architecture ?? '').trim();
  if (architecture === '') return undefined;
  const os = (node?.os ?? '').trim() || 'linux';
  return normalizePlatform({ os, architecture });
}

/**
 * `desiredPlatforms`: the node's platform first (when known), then `mirrorPlatforms`, without duplicates
 * (k8s-copycat `TestDesiredPlatformsPrioritizesNode`: node amd64 + `[linux/arm64]` → amd64, arm64).
 */
export function desiredPlatforms(node: Platform | undefined, mirrorPlatforms: readonly Platform[]): Platform[] {
  const out: Platform[] = [];
  const seen = new Set<string>();
  for (const p of node ? [node, ...mirrorPlatforms] : mirrorPlatforms) {
    const key = platformKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** True when the node's platform is not among `mirrorPlatforms` (upstream then logs a warning and goes on). */
export function nodePlatformUnlisted(node: Platform | undefined, mirrorPlatforms: readonly Platform[]): boolean {
  if (!node || mirrorPlatforms.length === 0) return false;
  const key = platformKey(node);
  return !mirrorPlatforms.some((p) => platformKey(p) === key);
}

/**
 * True when an `ignoreMissingPlatforms` pattern silences the "does not offer platform" log for this source
 * and platform: the patterns run unanchored against `<source as written>|<os/arch>` (§3.5).
 */
export function isMissingPlatformIgnored(patterns: readonly RegExp[], source: string, platform: string): boolean {
  const candidate = `${source}|${platform}`;
  return patterns.some((re) => {
    re.lastIndex = 0;
    return re.test(candidate);
  });
}
