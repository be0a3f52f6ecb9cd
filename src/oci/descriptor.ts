import { parseDigest, verifyBytes } from './digest.ts';
import { OciError } from './errors.ts';
import { isJsonObject } from './json.ts';
import { invalidField, join, optionalAnnotations, optionalString, optionalStringArray, withoutUndefined } from './validate.ts';

/**
 * The platform an image manifest runs on (image-spec `image-index.md`; Docker's manifest list adds
 * CPU `features`).
 */
export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
  features?: string[];
}

/** A content descriptor (image-spec `descriptor.md`): what a manifest says about one blob or manifest it references. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
  /** Base64 (RFC 4648 §4) embedding of the content; see {@link descriptorData}. */
  data?: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Validates a platform object found at `path` (architecture and os are required strings). */
export function validatePlatform(value: unknown, path: string): Platform {
  if (!isJsonObject(value)) invalidField(path, 'must be an object', value);
  const architecture = value['architecture'];
  const os = value['os'];
  if (typeof architecture !== 'string') invalidField(join(path, 'architecture'), 'must be a string', architecture);
  if (typeof os !== 'string') invalidField(join(path, 'os'), 'must be a string', os);
  return withoutUndefined<Platform>({
    architecture,
    os,
    variant: optionalString(value, 'variant', path),
    'os.version': optionalString(value, 'os.version', path),
    'os.features': optionalStringArray(value, 'os.features', path),
    features: optionalStringArray(value, 'features', path),
  });
}

/**
 * Validates a descriptor found at `path` in a manifest: required `mediaType`, a supported `digest`,
 * a non-negative integer `size`, and well-typed optional fields.
 */
export function validateDescriptor(value: unknown, path: string): Descriptor {
  if (!isJsonObject(value)) invalidField(path, 'must be a descriptor object', value);
  const mediaType = value['mediaType'];
  if (typeof mediaType !== 'string' || mediaType === '') invalidField(join(path, 'mediaType'), 'must be a non-empty string', mediaType);
  const digest = value['digest'];
  if (typeof digest !== 'string') invalidField(join(path, 'digest'), 'must be a digest string', digest);
  try {
    parseDigest(digest);
  } catch (err) {
    throw new OciError('MANIFEST_INVALID', `manifest field "${join(path, 'digest')}" is not a supported digest: ${JSON.stringify(digest)}`, { cause: err });
  }
  const size = value['size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    invalidField(join(path, 'size'), 'must be a non-negative integer', size);
  }
  const data = optionalString(value, 'data', path);
  if (data !== undefined && !BASE64.test(data)) invalidField(join(path, 'data'), 'must be padded base64', data);
  const platform = value['platform'] === undefined ? undefined : validatePlatform(value['platform'], join(path, 'platform'));
  return withoutUndefined<Descriptor>({
    mediaType,
    digest,
    size,
    urls: optionalStringArray(value, 'urls', path),
    annotations: optionalAnnotations(value, 'annotations', path),
    platform,
    artifactType: optionalString(value, 'artifactType', path),
    data,
  });
}

/**
 * The content embedded in a descriptor's `data` field, checked against its digest and size
 * (descriptor.md §Embedded Content says consumers SHOULD verify it), or `undefined` when there is none.
 *
 * @throws OciError `SIZE_MISMATCH` or `DIGEST_MISMATCH` when the embedded bytes are not the described content.
 */
export function descriptorData(d: Descriptor): Uint8Array | undefined {
  if (d.data === undefined) return undefined;
  const bytes = new Uint8Array(Buffer.from(d.data, 'base64'));
  verifyBytes(bytes, d);
  return bytes;
}
