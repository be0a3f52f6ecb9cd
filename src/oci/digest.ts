import { createHash } from 'node:crypto';
import { OciError } from './errors.ts';

/** The digest algorithms copycat computes and verifies (image-spec `descriptor.md`, "Registered algorithms"). */
export type DigestAlgorithm = 'sha256' | 'sha512';

/** Hex length of each supported algorithm's encoded part. */
const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

// The general grammar from descriptor.md §Digests; anything matching it but not a registered
// algorithm is well-formed yet unsupported.
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Hashes `bytes` and returns the digest string, e.g. `sha256:…` (lowercase hex). */
export function computeDigest(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/**
 * Splits a digest into algorithm and hex, accepting only the registered sha256/sha512 forms with
 * lowercase hex (the spec requires it, and registries compare digests as strings).
 *
 * @throws OciError `DIGEST_INVALID` naming the input when it is malformed or its algorithm is unsupported.
 */
export function parseDigest(d: string): { algorithm: DigestAlgorithm; hex: string } {
  if (typeof d !== 'string') {
    throw new OciError('DIGEST_INVALID', `digest must be a string, got ${typeof d}`);
  }
  const colon = d.indexOf(':');
  if (colon === -1 || !DIGEST_GRAMMAR.test(d)) {
    throw new OciError('DIGEST_INVALID', `invalid digest ${JSON.stringify(d)}: expected "<algorithm>:<hex>"`);
  }
  const algorithm = d.slice(0, colon);
  const hex = d.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new OciError('DIGEST_INVALID', `unsupported digest algorithm ${JSON.stringify(algorithm)} in ${JSON.stringify(d)}: only sha256 and sha512`);
  }
  const want = HEX_LENGTH[algorithm];
  if (hex.length !== want || !/^[a-f0-9]+$/.test(hex)) {
    throw new OciError('DIGEST_INVALID', `invalid digest ${JSON.stringify(d)}: ${algorithm} needs ${want} lowercase hex characters`);
  }
  return { algorithm, hex };
}

/** True when `d` is a digest {@link parseDigest} accepts. */
export function isDigest(d: string): boolean {
  try {
    parseDigest(d);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks fully buffered content (e.g. a manifest) against its descriptor: size first, as
 * descriptor.md §Verification recommends, then digest.
 *
 * @throws OciError `SIZE_MISMATCH`, `DIGEST_MISMATCH`, or `DIGEST_INVALID` when the expected digest is malformed.
 */
export function verifyBytes(bytes: Uint8Array, expected: { digest: string; size?: number }): void {
  const { algorithm } = parseDigest(expected.digest);
  if (expected.size !== undefined && bytes.byteLength !== expected.size) {
    throw new OciError('SIZE_MISMATCH', `content of ${expected.digest} is ${bytes.byteLength} bytes, expected ${expected.size}`);
  }
  const actual = computeDigest(bytes, algorithm);
  if (actual !== expected.digest) {
    throw new OciError('DIGEST_MISMATCH', `content hashes to ${actual}, expected ${expected.digest}`);
  }
}
