import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { computeDigest } from '../../oci/index.ts';
import { errorBody, startCannedServer, type CannedServer, type SeenRequest } from '../transport/canned-server.fixture.ts';
import { RegistryError } from '../transport/errors.ts';
import { RegistryClient } from './client.ts';

const SIZE = 300_000;
const CUT = 100_000;

/** Everything a stream produced, and the error it ended with (if any). */
async function drain(stream: Readable): Promise<{ bytes: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(chunk);
    return { bytes: Buffer.concat(parts), error: undefined };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}

/** Writes `data` in 16 KiB pieces, then ends the response (or, with `drop`, closes the socket mid-body). */
function send(res: ServerResponse, status: number, headers: Record<string, string>, data: Buffer, drop = false): void {
  res.writeHead(status, headers);
  for (let off = 0; off < data.length; off += 16_384) res.write(data.subarray(off, off + 16_384));
  if (!drop) {
    res.end();
    return;
  }
  // The callback runs once every byte is handed to the kernel; a FIN then follows them, so the client
  // gets exactly `data` and then a connection closed before Content-Length was reached.
  res.write(Buffer.alloc(0), () => res.socket?.end());
}

/** Answers a blob GET: the full blob, a 206 from a Range, or a cut-off first response. */
function blobHandler(blob: Buffer, opts: { dropFirstAt?: number; ignoreRange?: boolean }) {
  let calls = 0;
  return (req: SeenRequest, res: ServerResponse): void => {
    calls++;
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
    if (calls === 1 && opts.dropFirstAt !== undefined) {
      send(res, 200, { 'content-length': String(blob.length) }, blob.subarray(0, opts.dropFirstAt), true);
      return;
    }
    if (range && !opts.ignoreRange) {
      const start = Number(range[1]);
      send(res, 206, { 'content-length': String(blob.length - start), 'content-range': `bytes ${start}-${blob.length - 1}/${blob.length}` }, blob.subarray(start));
      return;
    }
    send(res, 200, { 'content-length': String(blob.length) }, blob);
  };
}

describe('RegistryClient.getBlob', () => {
  let server: CannedServer;
  let client: RegistryClient;
  const blob = randomBytes(SIZE);
  const digest = computeDigest(blob);
  const desc = { digest, size: SIZE };
  const repo = (repository: string) => ({ registry: server.host, repository });
  const path = (repository: string) => `/v2/${repository}/blobs/${digest}`;

  before(async () => {
    const bad = Buffer.from(blob);
    bad[SIZE - 1] = (bad[SIZE - 1] ?? 0) ^ 0xff;
    server = await startCannedServer([
      { method: 'GET', path: path('whole'), reply: blobHandler(blob, {}) },
      { method: 'GET', path: path('resumed'), reply: blobHandler(blob, { dropFirstAt: CUT }) },
      { method: 'GET', path: path('norange'), reply: blobHandler(blob, { dropFirstAt: CUT, ignoreRange: true }) },
      { method: 'GET', path: path('corrupt'), reply: blobHandler(bad, {}) },
      { method: 'GET', path: path('always-drops'), reply: (_req, res) => send(res, 200, { 'content-length': String(SIZE) }, blob.subarray(0, CUT), true) },
      { method: 'GET', path: path('missing'), reply: { status: 404, body: errorBody('BLOB_UNKNOWN') } },
    ]);
    client = new RegistryClient({ transportOptions: { attempts: 1 } });
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('streams a blob byte for byte', async () => {
    const { bytes, error } = await drain(await client.getBlob(repo('whole'), desc));
    assert.equal(error, undefined);
    assert.ok(bytes.equals(blob));
  });

  it('resumes a dropped download with Range: bytes=N- and delivers identical, verified bytes', async () => {
    const { bytes, error } = await drain(await client.getBlob(repo('resumed'), desc));
    assert.equal(error, undefined);
    assert.ok(bytes.equals(blob));
    const seen = server.seen('GET', path('resumed'));
    assert.deepEqual(seen.map((r) => r.headers.range), [undefined, `bytes=${CUT}-`]);
  });

  it('skips the bytes it already has when the server ignores Range and sends the whole blob', async () => {
    const { bytes, error } = await drain(await client.getBlob(repo('norange'), desc));
    assert.equal(error, undefined);
    assert.equal(bytes.length, SIZE);
    assert.ok(bytes.equals(blob));
    assert.equal(server.seen('GET', path('norange'))[1]?.headers.range, `bytes=${CUT}-`);
  });

  it('errors with DIGEST_MISMATCH and never releases the last chunk of wrong bytes', async () => {
    const { bytes, error } = await drain(await client.getBlob(repo('corrupt'), desc));
    assert.ok(hasCode(error, 'DIGEST_MISMATCH'), String(error));
    assert.ok(bytes.length < SIZE, `consumer got ${bytes.length} of ${SIZE} bytes`);
    // What was released is the (correct) head of the blob, nothing past it.
    assert.ok(bytes.equals(blob.subarray(0, bytes.length)));
  });

  it('gives up after `resumes` attempts and errors the stream', async () => {
    const { bytes, error } = await drain(await client.getBlob(repo('always-drops'), desc, { resumes: 1 }));
    assert.ok(error instanceof Error, String(error));
    assert.ok(bytes.length < SIZE);
    assert.equal(server.seen('GET', path('always-drops')).length, 2);
  });

  it('fails before returning a stream when the blob is missing', async () => {
    await assert.rejects(client.getBlob(repo('missing'), desc), (err: unknown) => err instanceof RegistryError && err.code === 'BLOB_UNKNOWN' && err.notFound);
  });
});
