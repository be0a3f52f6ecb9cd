/**
 * Pushes the planned source images into the source registry with the test-support fixture pushers (exact
 * bytes, known digests) and returns what each pushed: the top digest a pod reports as its `imageID` and the
 * digest of every platform image.
 */
import { formatPlatform, makeLayer, pushDockerManifestList, pushImage, pushMultiArchIndex, type GeneratedLayer, type PushTarget } from '../../test/support/fixtures.ts';
import type { ImageSpec } from './image-plan.ts';
import { mapLimit } from '../../test/support/map-limit.ts';

/** One pushed image. */
export interface SeededImage {
  spec: ImageSpec;
  /** Digest of the top manifest (the index for multi-arch images): what a pod's `imageID` names. */
  digest: string;
  mediaType: string;
  /** `os/arch[/variant]` → digest of that platform's image manifest. */
  platformDigests: Record<string, string>;
}

/** Size of each shared base layer of the single-arch images. */
const BASE_LAYER_BYTES = 4096;

/** Pushes every spec, `concurrency` images at a time; a failed push rejects. */
export async function seedImages(registry: PushTarget, specs: readonly ImageSpec[], concurrency = 8): Promise<SeededImage[]> {
  const bases = new Map<number, GeneratedLayer>();
  const baseLayer = (n: number): GeneratedLayer => {
    let layer = bases.get(n);
    if (layer === undefined) {
      layer = makeLayer(BASE_LAYER_BYTES, `bench-controller/base/${n}`);
      bases.set(n, layer);
    }
    return layer;
  };
  return mapLimit(specs, concurrency, async (spec): Promise<SeededImage> => {
    const seed = `bench-controller/${spec.repo}:${spec.tag}`;
    if (spec.kind === 'oci-index' || spec.kind === 'docker-list') {
      const common = { platforms: spec.platforms, tag: spec.tag, layers: spec.layers, seed };
      const index = spec.kind === 'oci-index' ? await pushMultiArchIndex(registry, spec.repo, { ...common, attestations: spec.attestations }) : await pushDockerManifestList(registry, spec.repo, common);
      const platformDigests: Record<string, string> = {};
      for (const m of index.manifests) platformDigests[formatPlatform(m.platform)] = m.digest;
      return { spec, digest: index.digest, mediaType: index.mediaType, platformDigests };
    }
    const image = await pushImage(registry, spec.repo, {
      tag: spec.tag,
      layers: spec.layers,
      seed,
      platform: spec.platforms[0] ?? 'linux/amd64',
      mediaType: spec.kind === 'docker-image' ? 'docker' : 'oci',
      ...(spec.base !== undefined ? { baseLayers: [baseLayer(spec.base)] } : {}),
    });
    return { spec, digest: image.digest, mediaType: image.mediaType, platformDigests: { [formatPlatform(image.platform)]: image.digest } };
  });
}
