import { computeDigest } from './digest.ts';
import { OciError } from './errors.ts';
import { describeJson, isJsonObject, parseJsonObject } from './json.ts';

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * The digest a registry reports for a Docker schema 1 manifest.
 *
 * A signed schema 1 manifest (`+prettyjws`) is identified by its JWS payload, not its raw bytes:
 * the payload is the raw bytes up to `formatLength` followed by the base64url-decoded `formatTail`,
 * both taken from each signature's `protected` header (docker/libtrust `jsonsign.go`). Unsigned
 * schema 1 manifests are hashed as they are. See `shared/testdata/real-manifests.json` notes.
 *
 * @throws OciError `MANIFEST_INVALID` when the bytes are not JSON or a signature header is malformed or
 *   signatures disagree about the payload.
 */
export function schema1Digest(bytes: Uint8Array): string {
  const doc = parseJsonObject(bytes, 'schema 1 manifest');
  const signatures = doc['signatures'];
  if (signatures === undefined) return computeDigest(bytes);
  if (!Array.isArray(signatures)) {
    throw new OciError('MANIFEST_INVALID', `schema 1 manifest field "signatures" must be an array, got ${describeJson(signatures)}`);
  }
  if (signatures.length === 0) return computeDigest(bytes);

  let formatLength: number | undefined;
  let formatTail: string | undefined;
  signatures.forEach((sig: unknown, i) => {
    const header = protectedHeader(sig, i);
    const length = header['formatLength'];
    const tail = header['formatTail'];
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || length > bytes.byteLength) {
      throw new OciError('MANIFEST_INVALID', `schema 1 manifest field "signatures[${i}].protected.formatLength" must be an integer between 0 and ${bytes.byteLength}, got ${describeJson(length)}`);
    }
    if (typeof tail !== 'string' || !BASE64URL.test(tail)) {
      throw new OciError('MANIFEST_INVALID', `schema 1 manifest field "signatures[${i}].protected.formatTail" must be base64url, got ${describeJson(tail)}`);
    }
    if (formatLength === undefined) {
      formatLength = length;
      formatTail = tail;
    } else if (formatLength !== length || formatTail !== tail) {
      // libtrust refuses a JWS whose signatures cover different payloads; so do we.
      throw new OciError('MANIFEST_INVALID', `schema 1 manifest signatures[${i}] covers a different payload than signatures[0]`);
    }
  });

  const payload = Buffer.concat([bytes.subarray(0, formatLength), Buffer.from(formatTail ?? '', 'base64url')]);
  return computeDigest(payload);
}

/** Decodes `signatures[i].protected` (base64url JSON) into an object. */
function protectedHeader(sig: unknown, i: number): Record<string, unknown> {
  if (!isJsonObject(sig)) {
    throw new OciError('MANIFEST_INVALID', `schema 1 manifest field "signatures[${i}]" must be an object, got ${describeJson(sig)}`);
  }
  const encoded = sig['protected'];
  if (typeof encoded !== 'string' || !BASE64URL.test(encoded)) {
    throw new OciError('MANIFEST_INVALID', `schema 1 manifest field "signatures[${i}].protected" must be base64url, got ${describeJson(encoded)}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (err) {
    throw new OciError('MANIFEST_INVALID', `schema 1 manifest field "signatures[${i}].protected" is not base64url JSON`, { cause: err });
  }
  if (!isJsonObject(header)) {
    throw new OciError('MANIFEST_INVALID', `schema 1 manifest field "signatures[${i}].protected" must decode to an object, got ${describeJson(header)}`);
  }
  return header;
}
