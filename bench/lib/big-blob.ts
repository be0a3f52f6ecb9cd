/**
 * Blobs too large to hold in memory: a deterministic byte stream and a streaming pusher.
 *
 * The test-support pusher (`pushBlob`) takes the whole blob as one buffer, which is fine for test
 * fixtures but not for a 1 GiB layer. Here the bytes are generated on the fly (AES-256-CTR keystream,
 * the same construction as test/support `randomBlob`, so a small stream equals `randomBlob(size, seed)`),
 * hashed in one pass, then generated again and streamed into a monolithic upload (POST + PUT).
 */
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { PushTarget } from '../../test/support/push-client.ts';

const CHUNK = 1024 * 1024;

/** Exactly `size` pseudo-random bytes fully determined by `seed`, generated 1 MiB at a time. */
export function deterministicStream(size: number, seed: string): Readable {
  const key = createHash('sha256').update(`copycat-test-blob:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  let left = size;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, left);
      left -= n;
      this.push(cipher.update(n === CHUNK ? zeros : zeros.subarray(0, n)));
    },
  });
}

/** `sha256:<hex>` of the stream {@link deterministicStream} yields for `size` and `seed`. */
export async function deterministicDigest(size: number, seed: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of deterministicStream(size, seed)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Uploads a blob from a stream with one `POST /blobs/uploads/` and one monolithic `PUT ?digest=`
 * whose body is streamed (`duplex: 'half'`), so memory stays flat whatever the size. Anonymous
 * registries only (the bench registries run without auth). Skips the upload when the blob exists.
 */
export async function pushBlobStream(target: PushTarget, repo: string, digest: string, open: () => Readable): Promise<void> {
  const head = await fetch(`${target.url}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return;
  const start = await fetch(`${target.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (start.status !== 202 || location === null) throw new Error(`POST /v2/${repo}/blobs/uploads/ answered ${start.status} (Location: ${String(location)})`);
  const url = new URL(location, target.url);
  url.searchParams.set('digest', digest);
  const body = Readable.toWeb(open()) as ReadableStream<Uint8Array>;
  const put = await fetch(url, { method: 'PUT', body, duplex: 'half', headers: { 'content-type': 'application/octet-stream' } });
  const text = await put.text();
  if (put.status !== 201) throw new Error(`PUT of blob ${digest} into ${repo} answered ${put.status}: ${text.slice(0, 500)}`);
}
