/**
 * Deterministic blob generators: pseudo-random bytes and real gzip'd tar layers.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sha256 } from './push-client.ts';

/**
 * `size` pseudo-random bytes fully determined by `seed` (AES-256-CTR keystream keyed by
 * sha256(seed)), fast enough for blobs of hundreds of MiB.
 */
export function randomBlob(size: number, seed: string | number): Buffer {
  const key = createHash('sha256').update(`copycat-test-blob:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

/** A layer's compressed bytes with the digests a manifest and config need. */
export interface GeneratedLayer {
  /** The bytes pushed as the blob. */
  bytes: Buffer;
  /** sha256 of `bytes`. */
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar (for the config's `rootfs.diff_ids`); equals `digest` for raw layers. */
  diffId: string;
}

/** How layers are made: a real gzip'd tar (default) or raw random bytes of exactly the requested size. */
export type LayerFormat = 'tar+gzip' | 'random';

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** A one-file ustar archive (POSIX.1-1988 header layout) holding `content` as `name`. */
export function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, 100, 8, 0o644); // mode
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, content.length); // size
  writeOctal(header, 136, 12, 0); // mtime: fixed for reproducible layers
  header.write('0', 156, 1, 'ascii'); // typeflag: regular file
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  // The checksum is computed with its own field filled with spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/**
 * A layer around `size` bytes of seeded random content. `tar+gzip` wraps them in a one-file tar
 * and gzips it (so the blob is a few hundred bytes larger than `size`); `random` returns exactly
 * `size` random bytes, which registries accept just as well (they never unpack layers).
 */
export function makeLayer(size: number, seed: string, format: LayerFormat = 'tar+gzip'): GeneratedLayer {
  const content = randomBlob(size, seed);
  if (format === 'random') {
    const digest = sha256(content);
    return { bytes: content, digest, size: content.length, diffId: digest };
  }
  const name = `layer-${createHash('sha256').update(seed).digest('hex').slice(0, 12)}.bin`;
  const tar = tarOneFile(name, content);
  const bytes = gzipSync(tar, { level: 1 });
  return { bytes, digest: sha256(bytes), size: bytes.length, diffId: sha256(tar) };
}
