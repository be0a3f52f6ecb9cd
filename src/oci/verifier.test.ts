import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { computeDigest } from './digest.ts';
import { createVerifier } from './verifier.ts';

const CHUNK = 64 * 1024;

/** Yields `total` bytes of `data`-derived content in `chunk`-sized pieces, recording how many it produced. */
function* chunksOf(data: Uint8Array, chunk = CHUNK): Generator<Uint8Array> {
  for (let off = 0; off < data.byteLength; off += chunk) yield data.subarray(off, Math.min(off + chunk, data.byteLength));
}

/** A sink that keeps every byte it receives. */
function collector(): { sink: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      cb();
    },
  });
  return { sink, bytes: () => Buffer.concat(parts) };
}

describe('createVerifier', () => {
  const data = randomBytes(1024 * 1024 + 123);
  const digest = computeDigest(data);

  it('passes a correct stream through byte for byte and counts it', async () => {
    const verifier = createVerifier({ digest, size: data.byteLength });
    const { sink, bytes } = collector();
    await pipeline(Readable.from(chunksOf(data)), verifier, sink);
    assert.ok(bytes().equals(data));
    assert.equal(verifier.bytesSeen, data.byteLength);
  });

  it('passes a correct stream when no size is given', async () => {
    const { sink, bytes } = collector();
    await pipeline(Readable.from(chunksOf(data, 1000)), createVerifier({ digest }), sink);
    assert.ok(bytes().equals(data));
  });

  it('verifies sha512 digests', async () => {
    const { sink } = collector();
    await pipeline(Readable.from(chunksOf(data)), createVerifier({ digest: computeDigest(data, 'sha512'), size: data.byteLength }), sink);
  });

  it('passes an empty stream for the empty digest', async () => {
    const { sink, bytes } = collector();
    await pipeline(Readable.from([]), createVerifier({ digest: computeDigest(new Uint8Array()), size: 0 }), sink);
    assert.equal(bytes().byteLength, 0);
  });

  it('fails with DIGEST_MISMATCH when the content differs but the size is right', async () => {
    const tampered = Buffer.from(data);
    tampered[500_000] = (tampered[500_000] ?? 0) ^ 0xff;
    const { sink } = collector();
    await assert.rejects(
      pipeline(Readable.from(chunksOf(tampered)), createVerifier({ digest, size: data.byteLength }), sink),
      (e: unknown) => hasCode(e, 'DIGEST_MISMATCH') && e.message.includes(digest) && e.message.includes(computeDigest(tampered)),
    );
  });

  it('fails with SIZE_MISMATCH when the stream ends short', async () => {
    const short = data.subarray(0, data.byteLength - 1);
    const verifier = createVerifier({ digest, size: data.byteLength });
    const { sink } = collector();
    await assert.rejects(pipeline(Readable.from(chunksOf(short)), verifier, sink), (e: unknown) => hasCode(e, 'SIZE_MISMATCH'));
    assert.equal(verifier.bytesSeen, short.byteLength);
  });

  it('fails with SIZE_MISMATCH as soon as the stream runs long, before the source ends', async () => {
    const size = 10 * CHUNK;
    const expected = randomBytes(size);
    let produced = 0;
    let finished = false;
    // A source that would go on for 100 MiB past the declared size.
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield* chunksOf(expected);
      for (let i = 0; i < 1600; i++) {
        produced += CHUNK;
        yield new Uint8Array(CHUNK);
      }
      finished = true;
    }
    const verifier = createVerifier({ digest: computeDigest(expected), size });
    const { sink, bytes } = collector();
    await assert.rejects(pipeline(Readable.from(endless()), verifier, sink), (e: unknown) => hasCode(e, 'SIZE_MISMATCH'));
    assert.equal(finished, false, 'the source was read to its end before the error');
    assert.ok(produced <= 4 * CHUNK, `read ${produced} bytes past the limit`);
    assert.ok(bytes().byteLength <= size, 'bytes past the declared size reached the destination');
  });

  it('fails SIZE_MISMATCH on the first byte past the size even within one chunk', async () => {
    const verifier = createVerifier({ digest: computeDigest(new Uint8Array(4)), size: 4 });
    const { sink, bytes } = collector();
    await assert.rejects(pipeline(Readable.from([new Uint8Array(5)]), verifier, sink), (e: unknown) => hasCode(e, 'SIZE_MISMATCH'));
    assert.equal(bytes().byteLength, 0);
  });

  it('throws DIGEST_INVALID at creation for a malformed digest, RangeError for a bad size', () => {
    assert.throws(() => createVerifier({ digest: 'sha256:xyz' }), (e: unknown) => hasCode(e, 'DIGEST_INVALID'));
    assert.throws(() => createVerifier({ digest, size: -1 }), RangeError);
    assert.throws(() => createVerifier({ digest, size: 1.5 }), RangeError);
  });

  it('streams 50 MiB without holding more than a few chunks at any moment', async () => {
    const total = 50 * 1024 * 1024;
    const block = randomBytes(CHUNK);
    const hash = createHash('sha256');
    for (let off = 0; off < total; off += CHUNK) hash.update(block);
    const expected = { digest: `sha256:${hash.digest('hex')}`, size: total };

    let produced = 0;
    let consumed = 0;
    let maxLead = 0;
    let maxHeld = 0;
    const verifier = createVerifier(expected);
    function* source(): Generator<Uint8Array> {
      for (let off = 0; off < total; off += CHUNK) {
        maxLead = Math.max(maxLead, produced - consumed);
        produced += CHUNK;
        yield block;
      }
    }
    // A slow consumer: if the verifier held data back (e.g. until it had seen everything), the
    // producer would run ahead of it by up to the whole 50 MiB.
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        consumed += chunk.byteLength;
        maxHeld = Math.max(maxHeld, verifier.readableLength + verifier.writableLength);
        setImmediate(cb);
      },
    });
    await pipeline(Readable.from(source()), verifier, sink);
    assert.equal(consumed, total);
    assert.equal(verifier.bytesSeen, total);
    const bound = 8 * CHUNK; // high-water marks of source, verifier (both sides) and sink
    assert.ok(maxLead <= bound, `producer ran ${maxLead} bytes ahead of the consumer`);
    assert.ok(maxHeld <= 2 * CHUNK, `verifier held ${maxHeld} bytes at once`);
  });
});

describe('createVerifier with holdLastChunk and onBytes', () => {
  const chunks = [Buffer.from('first-'), Buffer.from('second-'), Buffer.from('last')];
  const all = Buffer.concat(chunks);

  it('releases every byte, the last chunk only after the digest is confirmed, and reports progress', async () => {
    const seen: number[] = [];
    const v = createVerifier({ digest: computeDigest(all), size: all.length }, { holdLastChunk: true, onBytes: (n) => seen.push(n) });
    const received: Buffer[] = [];
    v.on('data', (c: Buffer) => received.push(c));
    v.write(chunks[0]);
    v.write(chunks[1]);
    v.write(chunks[2]);
    await new Promise((r) => setImmediate(r));
    assert.equal(Buffer.concat(received).toString(), 'first-second-', 'the last chunk waits for the end');
    v.end();
    await new Promise((r) => v.once('end', r));
    assert.deepEqual(Buffer.concat(received), all);
    assert.deepEqual(seen, chunks.map((c) => c.length));
  });

  it('never releases the last chunk of content that fails verification', async () => {
    const v = createVerifier({ digest: computeDigest(Buffer.from('something else')), size: all.length }, { holdLastChunk: true });
    const received: Buffer[] = [];
    v.on('data', (c: Buffer) => received.push(c));
    const failed = new Promise<unknown>((r) => v.once('error', r));
    for (const c of chunks) v.write(c);
    v.end();
    const err = await failed;
    assert.ok(hasCode(err, 'DIGEST_MISMATCH'));
    assert.ok(Buffer.concat(received).length < all.length, 'a consumer never saw the whole body');
  });
});
