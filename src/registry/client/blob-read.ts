import { pipeline, Readable, Transform } from 'node:stream';
import { sleep } from '../../internal/abort.ts';
import { backoffDelay } from '../../internal/backoff.ts';
import { createVerifier, type Descriptor } from '../../oci/index.ts';
import { errorFromResponse, type TransportResponse } from '../transport/transport.ts';

/** Options of a blob download. */
export interface BlobReadOptions {
  signal?: AbortSignal | undefined;
  /** How many times a broken download is resumed from where it stopped. */
  resumes?: number;
}

/** Issues the blob GET, with a `Range` from `offset` when offset > 0. */
export type BlobRequester = (offset: number, signal: AbortSignal | undefined) => Promise<TransportResponse>;

/**
 * Opens a verified, resumable blob stream. The first request is made before returning, so a missing
 * blob fails here rather than mid-copy. When the connection drops, the download resumes with
 * `Range: bytes=N-` (a server ignoring Range answers 200: its first N bytes are skipped).
 * The returned stream holds back its last chunk until the digest is confirmed, so a consumer piping it
 * into an upload never completes a request body with wrong bytes.
 */
export async function openBlob(request: BlobRequester, desc: Pick<Descriptor, 'digest' | 'size'>, opts: BlobReadOptions = {}): Promise<Readable> {
  const first = await request(0, opts.signal);
  if (first.status !== 200) throw await errorFromResponse(first);
  const maxResumes = opts.resumes ?? 5;

  async function* chunks(): AsyncGenerator<Buffer> {
    let res = first;
    let offset = 0;
    let skip = 0;
    for (let resumes = 0; ; ) {
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          let c = chunk;
          if (skip > 0) {
            const n = Math.min(skip, c.length);
            skip -= n;
            c = c.subarray(n);
            if (c.length === 0) continue;
          }
          offset += c.length;
          yield c;
        }
        if (offset >= desc.size) return;
        // Ended cleanly but short (a proxy closed a chunked response early): resume below.
      } catch (err) {
        if (opts.signal?.aborted || resumes >= maxResumes) throw err;
      }
      if (resumes >= maxResumes) return; // the verifier reports the short read
      await sleep(backoffDelay(resumes, { initialMs: 100, maxMs: 2_000 }), opts.signal);
      resumes++;
      res = await request(offset, opts.signal);
      if (res.status === 206) {
        const start = /bytes\s+(\d+)-/.exec(res.headers['content-range'] ?? '');
        if (!start || Number(start[1]) !== offset) {
          // undici errors a destroyed body with `Request aborted`; unheard, that is an uncaughtException.
          res.body.on('error', () => {}).destroy();
          throw new Error(`resume of blob ${desc.digest} at byte ${offset} got range ${res.headers['content-range'] ?? 'none'}`);
        }
      } else if (res.status === 200) {
        skip = offset;
      } else {
        throw await errorFromResponse(res);
      }
    }
  }

  const verifier = createVerifier(desc);
  const holdback = holdLastChunk();
  pipeline(Readable.from(chunks(), { objectMode: false }), verifier, holdback, () => {
    // Errors surface on `holdback`, the stream the caller reads.
  });
  return holdback;
}

/**
 * Passes chunks through one step behind, releasing the last only when the upstream ends cleanly.
 * Upstream of it sits the digest verifier, which fails at its end on a mismatch: the final chunk is
 * then never released, so an upload with a declared Content-Length can never complete.
 */
function holdLastChunk(): Transform {
  let held: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      done(null, held);
    },
  });
}
