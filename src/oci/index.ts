// Public surface of src/oci: the vocabulary of images (media types, descriptors, manifests,
// digests, platforms). No network I/O.
export { OciError, OciErrorCodes, type OciErrorCode } from './errors.ts';
export {
  MediaTypes,
  MANIFEST_ACCEPT,
  baseMediaType,
  isIndexMediaType,
  isImageManifestMediaType,
  isSchema1MediaType,
  isManifestMediaType,
  isNonDistributableMediaType,
  type KnownMediaType,
} from './media-types.ts';
export { validateDescriptor, validatePlatform, descriptorData, type Descriptor, type Platform } from './descriptor.ts';
export { parseManifest, manifestKindOf, type ImageManifest, type ImageIndex, type ParsedManifest, type ManifestKind } from './manifest.ts';
export { childrenOf, isForeignLayer, foreignLayersOf } from './children.ts';
export { computeDigest, parseDigest, isDigest, verifyBytes, type DigestAlgorithm } from './digest.ts';
export { createVerifier, type VerifierOptions } from './verifier.ts';
export { schema1Digest } from './schema1.ts';
export { parsePlatform, normalizePlatform, platformMatches, formatPlatform, isAttestation } from './platform.ts';
