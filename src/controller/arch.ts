/**
 * The `$arch` value of what a mirror pushes (behaviour inventory §3.9, `resolveArchitecture`): for an index, its
 * architectures sorted and joined with `-` (only the selected platforms when platforms are filtered); for a
 * single image, the `architecture` of its config.
 */
import { isAttestation, parseManifest, platformMatches, type Platform } from '../oci/index.ts';
import type { FetchedManifest, RegistryClient, Repo } from '../registry/index.ts';
import { architectureLabel } from '../targets/index.ts';

// An image config is a few kB; anything this large is not one.
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The architectures of an index's runnable entries, restricted to `platforms` when any of them match. */
export function indexArchitectures(manifest: FetchedManifest, platforms: readonly Platform[]): string {
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind !== 'index') return '';
  const runnable = parsed.index.manifests.filter((d) => !isAttestation(d) && d.platform !== undefined);
  const chosen = platforms.length === 0 ? runnable : runnable.filter((d) => platforms.some((p) => d.platform !== undefined && platformMatches(p, d.platform)));
  return architectureLabel((chosen.length > 0 ? chosen : runnable).map((d) => d.platform?.architecture));
}

/**
 * `$arch` for a fetched top manifest: the index's architectures, or the image config's `architecture` (one
 * small blob read). Empty when nothing is known; an unreadable config also gives empty (upstream kept the
 * previous value), never an error.
 */
export async function architectureOf(client: RegistryClient, repo: Repo, manifest: FetchedManifest, platforms: readonly Platform[], signal?: AbortSignal): Promise<string> {
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind === 'index') return indexArchitectures(manifest, platforms);
  if (parsed.kind !== 'image' || parsed.manifest.config.size > MAX_CONFIG_BYTES) return '';
  try {
    const stream = await client.getBlob(repo, parsed.manifest.config, signal ? { signal } : {});
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    const config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { architecture?: unknown };
    return typeof config.architecture === 'string' ? architectureLabel([config.architecture]) : '';
  } catch (err) {
    if (signal?.aborted) throw err;
    return '';
  }
}
