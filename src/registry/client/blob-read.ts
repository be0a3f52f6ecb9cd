import type { Readable } from 'node:stream';
import { sleep } from '../../internal/abort.ts';
import { backoffDelay } from '../../internal/backoff.ts';
import { createVerifier, type Descriptor } from '../../oci/index.ts';
import { errorFromResponse, type TransportResponse } from '../transport/transport.ts';

/** Options of a blob download. */
export interface BlobReadOptions {
  signal?: AbortSignal | undefined;
  /** How many times a broken download is resumed from where it stopped. */
  resumes?: number;
  /** Called with the size of each verified chunk (progress), without another stream stage. */
  onBytes?: (n: number) => void;
}

/** Issues the blob GET, with a `Range` from `offset` when offset > 0. */
export type BlobRequester = (offset: number, signal: AbortSignal | undefined) => Promise<TransportResponse>;

/**
 * Opens a verified, resumable blob stream. The first request is made before returning, so a missing
 * blob fails here rather than mid-copy. When the connection drops, the download resumes with
 * `Range: bytes=N-` (a server ignoring Range answers 200: its first N bytes are skipped).
 * The returned stream holds back its last chunk until the digest is confirmed, so a consumer piping it
 * into an upload never completes a request body with wrong bytes.
 *
 * Response bodies are written straight into the one verifying stage, with backpressure, rather than
 * through extra stream stages: moving bytes is the CPU cost of a copy (see bench/README.md).
 */
export async function openBlob(request: BlobRequester, desc: Pick<Descriptor, 'digest' | 'size'>, opts: BlobReadOptions = {}): Promise<Readable> {
  const first = await request(0, opts.signal);
  if (first.status !== 200) throw await errorFromResponse(first);
  const maxResumes = opts.resumes ?? 5;
  const out = createVerifier(desc, { holdLastChunk: true, ...(opts.onBytes ? { onBytes: opts.onBytes } : {}) });
  let current: TransportResponse | undefined = first;
  let offset = 0;
  let resumes = 0;
  let finished = false;

  // The consumer went away (an upload failed or was aborted): release the source connection.
  out.once('close', () => {
    finished = true;
    current?.body.on('error', () => {}).destroy();
  });
  out.on('drain', () => current?.body.resume());

  const feed = (res: TransportResponse, skip: number): void => {
    current = res;
    let toSkip = skip;
    res.body.on('data', (chunk: Buffer) => {
      let c = chunk;
      if (toSkip > 0) {
        const n = Math.min(toSkip, c.length);
        toSkip -= n;
        c = c.subarray(n);
        if (c.length === 0) return;
      }
      offset += c.length;
      if (!out.write(c)) res.body.pause();
    });
    res.body.once('end', () => {
      // A short clean end (a proxy closing a chunked response early) is resumed like a dropped one.
      if (offset >= desc.size) end();
      else void resume(undefined);
    });
    res.body.once('error', (err: unknown) => void resume(err));
  };

  const end = (): void => {
    if (finished) return;
    finished = true;
    out.end();
  };

  const fail = (err: unknown): void => {
    if (finished) return;
    finished = true;
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  };

  const resume = async (err: unknown): Promise<void> => {
    if (finished) return;
    if (opts.signal?.aborted || resumes >= maxResumes) {
      // Out of resumes after a clean short end: end, and the verifier reports the short read.
      if (err === undefined) end();
      else fail(err);
      return;
    }
    resumes++;
    try {
      await sleep(backoffDelay(resumes - 1, { initialMs: 100, maxMs: 2_000 }), opts.signal);
      const res = await request(offset, opts.signal);
      if (finished) {
        res.body.on('error', () => {}).destroy();
        return;
      }
      if (res.status === 206) {
        const start = /bytes\s+(\d+)-/.exec(res.headers['content-range'] ?? '');
        if (!start || Number(start[1]) !== offset) {
          // undici errors a destroyed body with `Request aborted`; unheard, that is an uncaughtException.
          res.body.on('error', () => {}).destroy();
          throw new Error(`resume of blob ${desc.digest} at byte ${offset} got range ${res.headers['content-range'] ?? 'none'}`);
        }
        feed(res, 0);
      } else if (res.status === 200) {
        feed(res, offset);
      } else {
        throw await errorFromResponse(res);
      }
    } catch (e) {
      fail(e);
    }
  };

  feed(first, 0);
  return out;
}
