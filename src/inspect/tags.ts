import { Limiter } from '../internal/limiter.ts';
import { formatPlatform, isAttestation, normalizePlatform, parseManifest } from '../oci/index.ts';
import type { RegistryClient, Repo } from '../registry/index.ts';
import { configPlatform } from './describe.ts';

/** Tags that name the same manifest. */
export interface TagGroup {
  digest: string;
  mediaType: string;
  tags: string[];
  platforms: string[];
}

/**
 * Lists a repository's tags grouped by the digest they point to, with the platforms of each
 * (the "which tags are the same image" list of Docker Hub's supported-tags section).
 * One HEAD per tag and one GET per distinct digest, bounded in flight.
 */
export async function groupTags(client: RegistryClient, repo: Repo, signal?: AbortSignal): Promise<TagGroup[]> {
  const tags = await client.listTags(repo, signal);
  const limiter = new Limiter(8);
  const heads = await Promise.all(tags.map((tag) => limiter.run(async () => ({ tag, head: await client.headManifest(repo, tag, signal) }))));
  const groups = new Map<string, TagGroup>();
  for (const { tag, head } of heads) {
    if (!head) continue; // deleted between the listing and the HEAD
    const group = groups.get(head.digest) ?? { digest: head.digest, mediaType: head.mediaType, tags: [], platforms: [] };
    group.tags.push(tag);
    groups.set(head.digest, group);
  }
  await Promise.all(
    [...groups.values()].map((g) =>
      limiter.run(async () => {
        const m = await client.getManifest(repo, g.digest, signal);
        const parsed = parseManifest(m.bytes, m.mediaType);
        if (parsed.kind === 'index') {
          g.platforms = parsed.index.manifests.filter((d) => !isAttestation(d) && d.platform).map((d) => formatPlatform(normalizePlatform(d.platform!)));
        } else if (parsed.kind === 'image') {
          const p = await configPlatform(client, repo, parsed.manifest.config, signal);
          if (p) g.platforms = [p];
        }
      }),
    ),
  );
  for (const g of groups.values()) g.tags.sort();
  return [...groups.values()].sort((a, b) => (a.tags[0] ?? '').localeCompare(b.tags[0] ?? ''));
}
