import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { parseDigest } from './digest.ts';
import { OciError } from './errors.ts';

/**
 * A pass-through stream that hashes and counts what flows through it and fails the stream when the
 * content does not match its descriptor.
 *
 * It holds no data of its own: each chunk is hashed and pushed on at once, so memory stays bounded
 * by the stream high-water marks whatever the blob size (ARCHITECTURE.md §4, "stream, never buffer").
 */
class DigestVerifier extends Transform {
  readonly #digest: string;
  readonly #size: number | undefined;
  readonly #hash: Hash;
  readonly #holdLast: boolean;
  readonly #onBytes: ((n: number) => void) | undefined;
  #held: Uint8Array | undefined;
  #seen = 0;

  constructor(expected: { digest: string; size?: number }, options: VerifierOptions = {}) {
    super();
    this.#holdLast = options.holdLastChunk ?? false;
    this.#onBytes = options.onBytes;
    const { algorithm } = parseDigest(expected.digest);
    if (expected.size !== undefined && !(Number.isSafeInteger(expected.size) && expected.size >= 0)) {
      // A programming error (descriptors are validated when manifests are parsed), not bad content.
      throw new RangeError(`expected size of ${expected.digest} must be a non-negative integer, got ${String(expected.size)}`);
    }
    this.#digest = expected.digest;
    this.#size = expected.size;
    this.#hash = createHash(algorithm);
  }

  /** Bytes received so far (also after an error, so callers can report how far a transfer got). */
  get bytesSeen(): number {
    return this.#seen;
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Uint8Array);
    this.#seen += buf.byteLength;
    // Fail on the first byte past the declared size rather than at the end: a lying or broken
    // source could otherwise stream without bound.
    if (this.#size !== undefined && this.#seen > this.#size) {
      callback(new OciError('SIZE_MISMATCH', `content of ${this.#digest} is longer than the expected ${this.#size} bytes (got at least ${this.#seen})`));
      return;
    }
    this.#hash.update(buf);
    this.#onBytes?.(buf.byteLength);
    if (!this.#holdLast) {
      callback(null, buf);
      return;
    }
    const previous = this.#held;
    this.#held = buf;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#size !== undefined && this.#seen < this.#size) {
      callback(new OciError('SIZE_MISMATCH', `content of ${this.#digest} ended after ${this.#seen} bytes, expected ${this.#size}`));
      return;
    }
    const actual = this.#hash.digest('hex');
    const prefix = this.#digest.slice(0, this.#digest.indexOf(':') + 1);
    if (prefix + actual !== this.#digest) {
      callback(new OciError('DIGEST_MISMATCH', `content hashes to ${prefix}${actual}, expected ${this.#digest}`));
      return;
    }
    callback(null, this.#held);
  }
}

/** Options of {@link createVerifier}. */
export interface VerifierOptions {
  /**
   * Keep each chunk until the next one arrives and release the last only once the digest is confirmed.
   * A consumer streaming into an upload with a declared Content-Length then never completes the request
   * body with wrong bytes: the registry sees a short body, not a finished one.
   */
  holdLastChunk?: boolean;
  /** Called with the size of each chunk as it is verified (progress reporting without another stream stage). */
  onBytes?: (n: number) => void;
}

/**
 * Creates a Transform that passes bytes through unchanged while verifying them against `expected`:
 * it errors with `SIZE_MISMATCH` as soon as more than `size` bytes arrive, and at the end with
 * `SIZE_MISMATCH` (too short) or `DIGEST_MISMATCH`. Use it with `stream.pipeline` so an error tears
 * down both the source and the destination.
 *
 * @throws OciError `DIGEST_INVALID` at once when `expected.digest` is malformed or unsupported;
 *   RangeError when `expected.size` is not a non-negative integer.
 */
export function createVerifier(expected: { digest: string; size?: number }, options: VerifierOptions = {}): Transform & { readonly bytesSeen: number } {
  return new DigestVerifier(expected, options);
}
