import type { Readable } from 'node:stream';
import type { Descriptor } from '../../oci/index.ts';
import { RegistryError } from '../transport/errors.ts';
import { discard, errorFromResponse, type TransportRequest, type TransportResponse } from '../transport/transport.ts';

/** How a blob is sent (`auto` tries them in this order). */
export type UploadMode = 'auto' | 'monolithic' | 'streamed' | 'chunked';

/** Options of one blob upload. */
export interface UploadOptions {
  signal?: AbortSignal | undefined;
  mode?: UploadMode;
  /** Chunk size of the chunked protocol; registries may demand a minimum (`OCI-Chunk-Min-Length`). */
  chunkSize?: number;
}

/** The two registry calls an upload needs, bound to a repository and its credentials. */
export interface UploadSession {
  /** `POST /blobs/uploads/`; resolves to the absolute upload URL. */
  start(signal: AbortSignal | undefined): Promise<string>;
  send(req: Omit<TransportRequest, 'insecure'>): Promise<TransportResponse>;
}

// Answers meaning "this registry does not do uploads that way", as opposed to "these bytes are wrong".
const UNSUPPORTED = new Set([400, 404, 405, 411, 413, 415, 416, 501]);
const DEFAULT_CHUNK = 8 * 1024 * 1024;

/**
 * Runs the blob upload protocol (distribution spec "Pushing blobs"): a monolithic `PUT` with the whole
 * body first (the most widely supported, as regclient found), then a single streamed `PATCH` + `PUT`,
 * then fixed-size chunks for registries that insist on `Content-Range`. Each attempt re-opens the
 * source stream; an error that is about the bytes themselves is never papered over by a fallback.
 */
export async function uploadBlob(session: UploadSession, desc: Pick<Descriptor, 'digest' | 'size'>, open: () => Promise<Readable>, opts: UploadOptions = {}): Promise<void> {
  const modes: UploadMode[] = !opts.mode || opts.mode === 'auto' ? ['monolithic', 'streamed', 'chunked'] : [opts.mode];
  let last: unknown;
  for (const mode of modes) {
    try {
      if (mode === 'monolithic') await monolithic(session, desc, open, opts);
      else if (mode === 'streamed') await streamed(session, desc, open, opts);
      else await chunked(session, desc, open, opts);
      return;
    } catch (err) {
      last = err;
      if (!(err instanceof RegistryError) || !UNSUPPORTED.has(err.status) || err.code === 'DIGEST_INVALID') throw err;
    }
  }
  throw last;
}

async function monolithic(session: UploadSession, desc: Pick<Descriptor, 'digest' | 'size'>, open: () => Promise<Readable>, opts: UploadOptions): Promise<void> {
  const location = await session.start(opts.signal);
  const body = await open();
  const res = await session.send({
    method: 'PUT',
    url: withDigest(location, desc.digest),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
    body,
    signal: opts.signal,
  }).catch((err: unknown) => failWith(body, err));
  await expectCommitted(res, desc.digest);
}

async function streamed(session: UploadSession, desc: Pick<Descriptor, 'digest' | 'size'>, open: () => Promise<Readable>, opts: UploadOptions): Promise<void> {
  const location = await session.start(opts.signal);
  const body = await open();
  const patched = await session.send({
    method: 'PATCH',
    url: location,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
    body,
    signal: opts.signal,
  }).catch((err: unknown) => failWith(body, err));
  const next = await expectAccepted(patched, location);
  const res = await session.send({ method: 'PUT', url: withDigest(next, desc.digest), headers: { 'content-length': '0' }, signal: opts.signal });
  await expectCommitted(res, desc.digest);
}

async function chunked(session: UploadSession, desc: Pick<Descriptor, 'digest' | 'size'>, open: () => Promise<Readable>, opts: UploadOptions): Promise<void> {
  let location = await session.start(opts.signal);
  const size = opts.chunkSize ?? DEFAULT_CHUNK;
  const body = await open();
  let offset = 0;
  // One chunk is buffered at a time: bounded memory whatever the blob size.
  for await (const chunk of rechunk(body as AsyncIterable<Buffer>, size)) {
    const res = await session.send({
      method: 'PATCH',
      url: location,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(chunk.length),
        'content-range': `${offset}-${offset + chunk.length - 1}`,
      },
      body: chunk,
      signal: opts.signal,
    });
    location = await expectAccepted(res, location);
    offset += chunk.length;
  }
  const res = await session.send({ method: 'PUT', url: withDigest(location, desc.digest), headers: { 'content-length': '0' }, signal: opts.signal });
  await expectCommitted(res, desc.digest);
}

async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const piece of source) {
    let rest = piece;
    while (length + rest.length >= size) {
      const take = size - length;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts);
      rest = rest.subarray(take);
      parts = [];
      length = 0;
    }
    if (rest.length > 0) {
      parts.push(rest);
      length += rest.length;
    }
  }
  if (length > 0) yield Buffer.concat(parts);
}

/** If the body stream failed, its error (e.g. DIGEST_MISMATCH from the verifier) is the real cause. */
function failWith(body: Readable, err: unknown): never {
  const streamError = (body as Readable & { errored?: unknown }).errored;
  throw streamError ?? err;
}

async function expectAccepted(res: TransportResponse, current: string): Promise<string> {
  // distribution-spec says 202; ECR answers 201 to a PATCH (regclient scheme/reg/blob.go).
  if (res.status !== 202 && res.status !== 201 && res.status !== 204) throw await errorFromResponse(res);
  discard(res);
  return res.headers.location ? new URL(res.headers.location, current).toString() : current;
}

async function expectCommitted(res: TransportResponse, digest: string): Promise<void> {
  if (res.status !== 201 && res.status !== 204 && res.status !== 200) throw await errorFromResponse(res);
  discard(res);
  const stored = res.headers['docker-content-digest'];
  if (stored && stored !== digest) {
    throw new RegistryError({ status: res.status, method: res.method, url: res.url, code: 'DIGEST_INVALID', message: `registry committed blob ${stored}, expected ${digest}` });
  }
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}
