/**
 * Only a correct run counts: after convergence the target registry is asked directly (not through the counting
 * proxy, so the check costs the measured figures nothing) whether it serves what the pods run. In `tag` mode
 * each image's tag must resolve to the pushed top digest; in `digest` mode the platform image of every
 * architecture an image's pods run on must be there by digest (the whole index when the image is single-arch).
 */
import { ACCEPT_ALL_MANIFESTS } from '../../test/support/push-client.ts';
import { isMultiArch } from './image-plan.ts';
import { mapLimit } from '../../test/support/map-limit.ts';
import type { Mode } from './modes.ts';
import type { SeededImage } from './seed.ts';

/** One manifest the target must serve. */
export interface Expectation {
  repo: string;
  /** A tag or a digest. */
  reference: string;
  digest: string;
}

/** What the target must serve after convergence in `mode`; `arches[i]` are the node architectures image `i` runs on. */
export function expectationsFor(mode: Pick<Mode, 'digestPull' | 'checkNodePlatform'>, images: readonly SeededImage[], arches: readonly (readonly string[])[]): Expectation[] {
  const out: Expectation[] = [];
  images.forEach((img, i) => {
    const { repo, tag } = img.spec;
    if (!mode.digestPull || !mode.checkNodePlatform || !isMultiArch(img.spec.kind)) {
      out.push(mode.digestPull ? { repo, reference: img.digest, digest: img.digest } : { repo, reference: tag, digest: img.digest });
      return;
    }
    for (const arch of arches[i] ?? []) {
      const digest = img.platformDigests[`linux/${arch}`];
      if (digest === undefined) throw new Error(`${repo}:${tag} has no linux/${arch} image, yet pods on ${arch} nodes run it`);
      out.push({ repo, reference: digest, digest });
    }
  });
  return out;
}

/** How the check went. */
export interface VerifyResult {
  checked: number;
  ok: number;
  /** The first few failures. */
  failures: string[];
}

/** HEADs every expectation at `registryUrl` (`http://host:port`), 16 at a time. */
export async function verifyTarget(registryUrl: string, expectations: readonly Expectation[]): Promise<VerifyResult> {
  const failures: string[] = [];
  let ok = 0;
  await mapLimit(expectations, 16, async (e) => {
    const res = await fetch(`${registryUrl}/v2/${e.repo}/manifests/${e.reference}`, { method: 'HEAD', headers: { accept: ACCEPT_ALL_MANIFESTS } });
    const got = res.headers.get('docker-content-digest');
    if (res.status === 200 && got === e.digest) ok++;
    else if (failures.length < 5) failures.push(`${e.repo}:${e.reference} answered ${res.status}${got ? ` ${got}` : ''}, expected ${e.digest}`);
  });
  return { checked: expectations.length, ok, failures };
}
