/**
 * The source images of the controller benchmark, as a pure plan: which repositories and tags exist, which are
 * multi-arch indexes (OCI indexes with and without BuildKit attestations, Docker manifest lists) and which are
 * single-arch images (OCI and Docker schema2, on a few shared base layers). Layers are tiny on purpose: the
 * benchmark measures the controller, not bandwidth.
 */

/** What one source image is. */
export type ImageKind = 'oci-index' | 'docker-list' | 'oci-image' | 'docker-image';

/** One image to push. */
export interface ImageSpec {
  /** Repository path (no registry host). */
  repo: string;
  tag: string;
  kind: ImageKind;
  /** `os/arch[/variant]` of each platform image (one entry for single-arch images). */
  platforms: string[];
  /** OCI indexes: attestation manifests for the first N platforms. */
  attestations: number;
  /** Single-arch images: which shared base layer sits below their own layers (`undefined` for indexes). */
  base?: number | undefined;
  /** Sizes of the image's own layers in bytes (each platform image of an index gets the same sizes). */
  layers: number[];
}

/** Options of {@link planImages}. */
export interface ImagePlanOptions {
  /** Unique images in all (default 300). */
  count: number;
  /** How many of them are multi-arch indexes (default half). */
  indexes?: number;
  /** Own layer sizes of every image (default `[2048, 512]`). */
  layers?: readonly number[];
  /** Shared base layers the single-arch images sit on (default 5). */
  bases?: number;
}

/**
 * Platform sets of the indexes, cycled. Every set has amd64 and arm64, so a multi-arch image can run on every
 * node of the fake cluster.
 */
export const INDEX_PLATFORM_SETS: readonly (readonly string[])[] = [
  ['linux/amd64', 'linux/arm64'],
  ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
  ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/s390x'],
  ['linux/amd64', 'linux/arm64', 'linux/ppc64le'],
];

/** Teams the repositories are spread over (`team-NN/app-NNN`). */
const TEAMS = 8;

/**
 * Plans `count` images, indexes and single-arch images interleaved (index first while both remain), so every
 * part of the list mixes both kinds. Deterministic: the same options give the same plan.
 */
export function planImages(options: ImagePlanOptions): ImageSpec[] {
  const count = options.count;
  const indexes = options.indexes ?? Math.floor(count / 2);
  if (!Number.isInteger(count) || count < 1) throw new Error(`image count must be a positive whole number, got ${count}`);
  if (!Number.isInteger(indexes) || indexes < 0 || indexes > count) throw new Error(`index count must be between 0 and ${count}, got ${indexes}`);
  const layers = [...(options.layers ?? [2048, 512])];
  const bases = Math.max(1, options.bases ?? 5);
  const digits = String(count - 1).length < 3 ? 3 : String(count - 1).length;
  const out: ImageSpec[] = [];
  let indexesLeft = indexes;
  let singlesLeft = count - indexes;
  let indexNo = 0;
  let singleNo = 0;
  for (let i = 0; i < count; i++) {
    // Interleave: an index on even positions while indexes remain, else a single-arch image.
    const wantIndex = indexesLeft > 0 && (singlesLeft === 0 || i % 2 === 0);
    const repo = `team-${String(i % TEAMS).padStart(2, '0')}/app-${String(i).padStart(digits, '0')}`;
    const tag = `v1.${i % 20}.${i % 7}`;
    if (wantIndex) {
      indexesLeft--;
      const platforms = [...INDEX_PLATFORM_SETS[indexNo % INDEX_PLATFORM_SETS.length]!];
      // Every fifth index is a Docker manifest list (no attestations); OCI indexes carry none, some or all.
      const docker = indexNo % 5 === 4;
      const attestations = docker ? 0 : [0, Math.min(2, platforms.length), platforms.length][indexNo % 3]!;
      out.push({ repo, tag, kind: docker ? 'docker-list' : 'oci-index', platforms, attestations, layers });
      indexNo++;
    } else {
      singlesLeft--;
      out.push({ repo, tag, kind: singleNo % 2 === 0 ? 'oci-image' : 'docker-image', platforms: ['linux/amd64'], attestations: 0, base: singleNo % bases, layers });
      singleNo++;
    }
  }
  return out;
}

/** True for the kinds that are indexes (several platforms behind one digest). */
export function isMultiArch(kind: ImageKind): boolean {
  return kind === 'oci-index' || kind === 'docker-list';
}

/** How many manifests and blobs a plan pushes, for the workload description. */
export function planSize(specs: readonly ImageSpec[]): { indexes: number; singles: number; platformImages: number; attestations: number } {
  let indexes = 0;
  let platformImages = 0;
  let attestations = 0;
  for (const s of specs) {
    if (isMultiArch(s.kind)) indexes++;
    platformImages += s.platforms.length;
    attestations += s.attestations;
  }
  return { indexes, singles: specs.length - indexes, platformImages, attestations };
}
