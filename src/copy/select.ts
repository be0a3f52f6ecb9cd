import { formatPlatform, isAttestation, platformMatches, type Descriptor, type Platform } from '../oci/index.ts';
import { CopyError } from './errors.ts';

/** Children of an index chosen for a platform-filtered copy. */
export interface Selection {
  /** Platform manifests matching a requested platform, plus the attestations that describe them. */
  chosen: Descriptor[];
  /** Requested platforms that no child offers. */
  missing: Platform[];
}

const REFERENCE_DIGEST = 'vnd.docker.reference.digest';

/**
 * Picks the children of an index to copy for `platforms`: every runnable child matching one of them,
 * and the BuildKit attestation manifests whose `vnd.docker.reference.digest` points at a chosen child,
 * so provenance and SBOMs travel with the images they describe. Throws `PLATFORM_NOT_FOUND`
 * when nothing matches.
 */
export function selectChildren(manifests: readonly Descriptor[], platforms: readonly Platform[], where: string): Selection {
  const runnable = manifests.filter((d) => !isAttestation(d) && d.platform !== undefined);
  const chosen = new Set<Descriptor>();
  const missing: Platform[] = [];
  for (const want of platforms) {
    const hits = runnable.filter((d) => d.platform !== undefined && platformMatches(want, d.platform));
    if (hits.length === 0) missing.push(want);
    for (const h of hits) chosen.add(h);
  }
  if (chosen.size === 0) {
    const offered = runnable.map((d) => (d.platform ? formatPlatform(d.platform) : '?')).join(', ') || 'none';
    throw new CopyError('PLATFORM_NOT_FOUND', `${where} offers none of ${platforms.map(formatPlatform).join(', ')} (it has: ${offered})`);
  }
  const digests = new Set([...chosen].map((d) => d.digest));
  for (const d of manifests) {
    if (isAttestation(d) && digests.has(d.annotations?.[REFERENCE_DIGEST] ?? '')) chosen.add(d);
  }
  // Keep the index's own order: it is the order a runtime resolves platforms in.
  return { chosen: manifests.filter((d) => chosen.has(d)), missing };
}
