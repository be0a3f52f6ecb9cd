import { validateDescriptor, type Descriptor } from './descriptor.ts';
import { OciError } from './errors.ts';
import { isJsonObject, parseJsonObject, type JsonObject } from './json.ts';
import { baseMediaType, isImageManifestMediaType, isIndexMediaType, isSchema1MediaType, MediaTypes } from './media-types.ts';
import { invalidField, optionalAnnotations, optionalString, withoutUndefined } from './validate.ts';

/** An image manifest: OCI `application/vnd.oci.image.manifest.v1+json` or Docker schema 2 (same shape). */
export interface ImageManifest {
  schemaVersion: 2;
  /** The document's own `mediaType` field, absent when the document has none. */
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An image index: OCI `application/vnd.oci.image.index.v1+json` or Docker manifest list (same shape). */
export interface ImageIndex {
  schemaVersion: 2;
  /** The document's own `mediaType` field, absent when the document has none. */
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** The three kinds of manifest document a registry can serve. */
export type ManifestKind = 'index' | 'image' | 'schema1';

/**
 * A validated manifest document; `mediaType` is the resolved media type (document field, else
 * Content-Type, else guessed from the shape) to send as `Content-Type` when pushing it.
 */
export type ParsedManifest =
  | { kind: 'index'; mediaType: string; index: ImageIndex }
  | { kind: 'image'; mediaType: string; manifest: ImageManifest }
  | { kind: 'schema1'; mediaType: string };

/** The kind a manifest media type denotes, or `undefined` for a type that is not a manifest we read. */
export function manifestKindOf(mt: string | undefined): ManifestKind | undefined {
  if (isIndexMediaType(mt)) return 'index';
  if (isImageManifestMediaType(mt)) return 'image';
  if (isSchema1MediaType(mt)) return 'schema1';
  return undefined;
}

/**
 * Parses manifest bytes with runtime validation.
 *
 * The media type comes from the document's own `mediaType` field, else from `contentType` (when it
 * names a manifest type; `application/json` and the like are ignored), else is guessed from the
 * shape: `manifests[]` → OCI index, `config`+`layers` → Docker schema 2 when the config is a Docker
 * config, OCI manifest otherwise; `schemaVersion: 1` → schema 1 (signed when it has `signatures`).
 * This is the same guess containers/image's `GuessMIMEType` makes; real registries serve both
 * OCI documents and Docker schema 2 without `mediaType`.
 *
 * The bytes are never re-serialised from the result: push the original bytes.
 *
 * @throws OciError `MANIFEST_INVALID` naming the bad field; also when the document's `mediaType`
 *   and `contentType` denote different kinds, and when a document has both `manifests` and
 *   `config`/`layers` (the ambiguity behind CVE-2021-41190, GHSA-mc8v-mgrf-8f4m;
 *   containers/image#1409 rejects the same documents).
 */
export function parseManifest(bytes: Uint8Array, contentType?: string): ParsedManifest {
  const doc = parseJsonObject(bytes);
  const declared = optionalString(doc, 'mediaType', '');
  const headerType = baseMediaType(contentType);
  const headerKind = manifestKindOf(headerType);

  let mediaType: string;
  let kind: ManifestKind;
  if (declared !== undefined) {
    const declaredKind = manifestKindOf(declared);
    if (declaredKind === undefined) {
      throw new OciError('MANIFEST_INVALID', `manifest field "mediaType" is not a manifest media type copycat reads: ${JSON.stringify(declared)}`);
    }
    if (headerKind !== undefined && headerKind !== declaredKind) {
      throw new OciError(
        'MANIFEST_INVALID',
        `manifest field "mediaType" ${JSON.stringify(declared)} (${declaredKind}) disagrees with Content-Type ${JSON.stringify(contentType)} (${headerKind})`,
      );
    }
    mediaType = declared;
    kind = declaredKind;
  } else if (headerType !== undefined && headerKind !== undefined) {
    mediaType = headerType;
    kind = headerKind;
  } else {
    mediaType = guessMediaType(doc);
    kind = manifestKindOf(mediaType) ?? 'image';
  }

  checkShape(doc, kind, declared !== undefined ? 'manifest field "mediaType"' : `Content-Type ${JSON.stringify(contentType)}`, mediaType);

  switch (kind) {
    case 'index':
      return { kind, mediaType, index: toIndex(doc) };
    case 'image':
      return { kind, mediaType, manifest: toImageManifest(doc) };
    case 'schema1':
      return { kind, mediaType };
  }
}

/** The media type a document without a usable `mediaType` or Content-Type has, judged from its fields. */
function guessMediaType(doc: JsonObject): string {
  const version = doc['schemaVersion'];
  if (version === 1) {
    return doc['signatures'] !== undefined ? MediaTypes.dockerSchema1Signed : MediaTypes.dockerSchema1;
  }
  const hasManifests = doc['manifests'] !== undefined;
  const hasImageFields = doc['config'] !== undefined || doc['layers'] !== undefined;
  if (hasManifests && hasImageFields) {
    throw new OciError('MANIFEST_INVALID', 'manifest has both "manifests" and "config"/"layers" and no "mediaType": cannot tell an index from an image manifest');
  }
  // Docker manifest lists always carry mediaType (manifest-v2-2.md); only OCI makes it optional.
  if (hasManifests) return MediaTypes.ociIndex;
  if (hasImageFields) {
    const config = doc['config'];
    const configType = isJsonObject(config) ? baseMediaType(typeof config['mediaType'] === 'string' ? config['mediaType'] : undefined) : undefined;
    return configType === MediaTypes.dockerConfig || configType === MediaTypes.dockerPluginConfig ? MediaTypes.dockerManifest : MediaTypes.ociManifest;
  }
  throw new OciError(
    'MANIFEST_INVALID',
    `cannot tell what kind of manifest this is: no "mediaType", no "manifests", no "config"/"layers", and "schemaVersion" is ${JSON.stringify(version)}`,
  );
}

/** Rejects documents whose fields contradict the kind their media type names. */
function checkShape(doc: JsonObject, kind: ManifestKind, source: string, mediaType: string): void {
  const version = doc['schemaVersion'];
  if (kind === 'schema1') {
    if (version !== 1) invalidField('schemaVersion', `must be 1 for ${mediaType}`, version);
    return;
  }
  if (version !== 2) invalidField('schemaVersion', `must be 2 for ${mediaType}`, version);
  if (kind === 'index') {
    if (doc['manifests'] === undefined) {
      throw new OciError('MANIFEST_INVALID', `${source} says ${mediaType} (an index) but the document has no "manifests"`);
    }
    for (const field of ['config', 'layers']) {
      if (doc[field] !== undefined) {
        throw new OciError('MANIFEST_INVALID', `${source} says ${mediaType} (an index) but the document has an image manifest's "${field}"`);
      }
    }
  } else {
    if (doc['manifests'] !== undefined) {
      throw new OciError('MANIFEST_INVALID', `${source} says ${mediaType} (an image manifest) but the document has an index's "manifests"`);
    }
  }
}

function toIndex(doc: JsonObject): ImageIndex {
  const manifests = doc['manifests'];
  if (!Array.isArray(manifests)) invalidField('manifests', 'must be an array of descriptors', manifests);
  return withoutUndefined<ImageIndex>({
    schemaVersion: 2,
    mediaType: optionalString(doc, 'mediaType', ''),
    artifactType: optionalString(doc, 'artifactType', ''),
    manifests: manifests.map((d: unknown, i) => validateDescriptor(d, `manifests[${i}]`)),
    subject: doc['subject'] === undefined ? undefined : validateDescriptor(doc['subject'], 'subject'),
    annotations: optionalAnnotations(doc, 'annotations', ''),
  });
}

function toImageManifest(doc: JsonObject): ImageManifest {
  const layers = doc['layers'];
  if (doc['config'] === undefined) invalidField('config', 'is required', undefined);
  if (!Array.isArray(layers)) invalidField('layers', 'must be an array of descriptors', layers);
  return withoutUndefined<ImageManifest>({
    schemaVersion: 2,
    mediaType: optionalString(doc, 'mediaType', ''),
    artifactType: optionalString(doc, 'artifactType', ''),
    config: validateDescriptor(doc['config'], 'config'),
    layers: layers.map((d: unknown, i) => validateDescriptor(d, `layers[${i}]`)),
    subject: doc['subject'] === undefined ? undefined : validateDescriptor(doc['subject'], 'subject'),
    annotations: optionalAnnotations(doc, 'annotations', ''),
  });
}
