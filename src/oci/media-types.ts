/**
 * Media types of the OCI image-spec (`media-types.md`) and of Docker's manifest v2 schema 2
 * (`distribution/docs/content/spec/manifest-v2-2.md`), plus the deprecated schema 1 types that
 * registries still serve for very old images.
 */
export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',

  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerPluginConfig: 'application/vnd.docker.plugin.v1+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',

  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  // Deprecated by image-spec PR #965 but still found in Windows images.
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** Any of the {@link MediaTypes} values. */
export type KnownMediaType = (typeof MediaTypes)[keyof typeof MediaTypes];

/**
 * Every manifest media type copycat can read, for the `Accept` header of manifest requests.
 *
 * Indexes come first so a registry holding a multi-platform image answers with the index rather
 * than picking a platform. Every type we can read is listed, schema 1 included, so a registry never
 * has a reason to convert what it stores into something we asked for: a converted manifest has a
 * different digest, which would break the digest-exact guarantee (distribution converts schema 2
 * down to schema 1 for clients that do not accept schema 2; some registries refuse schema 1 to
 * clients that do not list it).
 */
export const MANIFEST_ACCEPT: readonly string[] = Object.freeze([
  MediaTypes.ociIndex,
  MediaTypes.dockerManifestList,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifest,
  MediaTypes.dockerSchema1Signed,
  MediaTypes.dockerSchema1,
]);

/**
 * The bare media type of a media type or `Content-Type` value: parameters dropped, trimmed, lowercased
 * (RFC 9110 §8.3.1 makes type and subtype case-insensitive), `undefined` for empty input.
 */
export function baseMediaType(mt: string | undefined): string | undefined {
  if (mt === undefined) return undefined;
  const semi = mt.indexOf(';');
  const base = (semi === -1 ? mt : mt.slice(0, semi)).trim().toLowerCase();
  return base === '' ? undefined : base;
}

/** True for the OCI image index and the Docker manifest list media types. */
export function isIndexMediaType(mt: string | undefined): boolean {
  const base = baseMediaType(mt);
  return base === MediaTypes.ociIndex || base === MediaTypes.dockerManifestList;
}

/** True for the OCI image manifest and the Docker schema 2 image manifest media types. */
export function isImageManifestMediaType(mt: string | undefined): boolean {
  const base = baseMediaType(mt);
  return base === MediaTypes.ociManifest || base === MediaTypes.dockerManifest;
}

/** True for the deprecated Docker schema 1 manifest media types (signed and unsigned). */
export function isSchema1MediaType(mt: string | undefined): boolean {
  const base = baseMediaType(mt);
  return base === MediaTypes.dockerSchema1 || base === MediaTypes.dockerSchema1Signed;
}

/** True for any media type in {@link MANIFEST_ACCEPT}, i.e. anything {@link parseManifest} understands. */
export function isManifestMediaType(mt: string | undefined): boolean {
  return isIndexMediaType(mt) || isImageManifestMediaType(mt) || isSchema1MediaType(mt);
}

/**
 * True for layer media types a registry may legitimately not hold: Docker foreign layers and the
 * deprecated OCI non-distributable layers (Windows base layers, fetched from `urls` instead).
 */
export function isNonDistributableMediaType(mt: string | undefined): boolean {
  const base = baseMediaType(mt);
  return (
    base === MediaTypes.dockerForeignLayer ||
    base === MediaTypes.ociLayerNondistributable ||
    base === MediaTypes.ociLayerNondistributableGzip ||
    base === MediaTypes.ociLayerNondistributableZstd
  );
}
