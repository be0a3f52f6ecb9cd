import { CopycatError } from '../internal/errors.ts';
import { Limiter } from '../internal/limiter.ts';
import { formatPlatform, isAttestation, MediaTypes, normalizePlatform, parseManifest, platformMatches, type Descriptor, type Platform } from '../oci/index.ts';
import type { Reference } from '../reference/index.ts';
import type { FetchedManifest, RegistryClient, Repo } from '../registry/index.ts';

/** One platform image of an index. */
export interface PlatformEntry {
  platform: string;
  digest: string;
  mediaType: string;
  size: number;
  /** The config blob digest: the image ID `docker images` and the kubelet show. */
  configDigest?: string | undefined;
}

/** A BuildKit attestation manifest (provenance, SBOM) and the image it describes. */
export interface AttestationEntry {
  digest: string;
  size: number;
  /** Digest of the platform manifest it is about (`vnd.docker.reference.digest`). */
  refersTo?: string | undefined;
}

/** What `copycat inspect` reports: the facts the seeds gather with skopeo and jq. */
export interface ImageDescription {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  kind: 'index' | 'image' | 'schema1';
  /** Single image: its config digest (image ID). */
  configDigest?: string | undefined;
  /** Single image: platform from its config blob. */
  platform?: string | undefined;
  /** Index: runnable platform images, in index order. */
  platforms: PlatformEntry[];
  attestations: AttestationEntry[];
  /** The manifest's exact bytes. */
  raw: Buffer;
}

const CONFIG_LIMIT = 8 * 1024 * 1024;

/**
 * Describes an image: digest, media type and size of what the reference names; for an index, each
 * platform's digest and config digest and the attestation entries; with `platform`, the matching
 * platform image of an index instead of the index itself.
 */
export async function describeImage(client: RegistryClient, ref: Reference, opts: { platform?: Platform; signal?: AbortSignal } = {}): Promise<ImageDescription> {
  const repo: Repo = { registry: ref.registry, repository: ref.repository };
  let manifest = await client.getManifest(repo, ref.digest ?? ref.tag ?? 'latest', opts.signal);
  let shown = ref.toString();
  let parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (opts.platform && parsed.kind === 'index') {
    const want = opts.platform;
    const match = parsed.index.manifests.find((d) => !isAttestation(d) && d.platform !== undefined && platformMatches(want, d.platform));
    if (!match) {
      const offered = parsed.index.manifests.filter((d) => !isAttestation(d) && d.platform).map((d) => formatPlatform(d.platform as Platform));
      throw new CopycatError('PLATFORM_NOT_FOUND', `${shown} has no ${formatPlatform(want)} image (it has: ${offered.join(', ') || 'none'})`);
    }
    manifest = await client.getManifest(repo, match.digest, opts.signal);
    shown = `${ref.name()}@${match.digest}`;
    parsed = parseManifest(manifest.bytes, manifest.mediaType);
  }
  const base = { reference: shown, digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size, raw: manifest.bytes, platforms: [], attestations: [] };
  if (parsed.kind === 'schema1') return { ...base, kind: 'schema1' };
  if (parsed.kind === 'image') {
    const platform = await configPlatform(client, repo, parsed.manifest.config, opts.signal);
    return { ...base, kind: 'image', configDigest: parsed.manifest.config.digest, platform };
  }
  const limiter = new Limiter(8);
  const entries = parsed.index.manifests;
  const platforms = await Promise.all(
    entries
      .filter((d) => !isAttestation(d))
      .map((d) => limiter.run(() => platformEntry(client, repo, d, opts.signal))),
  );
  const attestations = entries.filter(isAttestation).map((d) => ({ digest: d.digest, size: d.size, refersTo: d.annotations?.['vnd.docker.reference.digest'] }));
  return { ...base, kind: 'index', platforms, attestations };
}

async function platformEntry(client: RegistryClient, repo: Repo, d: Descriptor, signal: AbortSignal | undefined): Promise<PlatformEntry> {
  const entry: PlatformEntry = { platform: d.platform ? formatPlatform(normalizePlatform(d.platform)) : 'unknown', digest: d.digest, mediaType: d.mediaType, size: d.size };
  let child: FetchedManifest;
  try {
    child = await client.getManifest(repo, d.digest, signal);
  } catch {
    // A missing child (sparse mirror) is worth showing without its config rather than failing the listing.
    return entry;
  }
  const parsed = parseManifest(child.bytes, child.mediaType);
  if (parsed.kind === 'image') entry.configDigest = parsed.manifest.config.digest;
  return entry;
}

/** The `os/arch[/variant]` an image config declares, or undefined when it is not an image config. */
export async function configPlatform(client: RegistryClient, repo: Repo, config: Descriptor, signal?: AbortSignal): Promise<string | undefined> {
  // Docker's config type (`application/vnd.docker.container.image.v1+json`) has no "config" in its name:
  // matching on the word alone left every Docker schema2 image without a platform (found by
  // test/inspect-tags.test.ts).
  if (config.size > CONFIG_LIMIT || !(config.mediaType === MediaTypes.dockerConfig || /config/.test(config.mediaType))) return undefined;
  const stream = await client.getBlob(repo, config, { signal });
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  try {
    const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { os?: unknown; architecture?: unknown; variant?: unknown };
    if (typeof doc.os !== 'string' || typeof doc.architecture !== 'string') return undefined;
    const p: Platform = { os: doc.os, architecture: doc.architecture, ...(typeof doc.variant === 'string' ? { variant: doc.variant } : {}) };
    return formatPlatform(normalizePlatform(p));
  } catch {
    return undefined;
  }
}
