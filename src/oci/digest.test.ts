import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { computeDigest, isDigest, parseDigest, verifyBytes } from './digest.ts';
import { OciError } from './errors.ts';
import { bytesOf, loadRealManifests } from './real-manifests.fixture.ts';

const EMPTY_SHA256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_SHA512 =
  'sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
// The OCI empty descriptor's digest: sha256 of the two bytes "{}" (image-spec manifest.md).
const EMPTY_JSON_SHA256 = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const enc = new TextEncoder();

describe('computeDigest', () => {
  it('hashes known vectors', () => {
    assert.equal(computeDigest(new Uint8Array()), EMPTY_SHA256);
    assert.equal(computeDigest(new Uint8Array(), 'sha512'), EMPTY_SHA512);
    assert.equal(computeDigest(enc.encode('{}')), EMPTY_JSON_SHA256);
  });

  for (const doc of loadRealManifests()) {
    it(`matches the recorded sha256 and size of ${doc.source}`, () => {
      const bytes = bytesOf(doc);
      assert.equal(bytes.byteLength, doc.size);
      assert.equal(computeDigest(bytes), doc.sha256);
    });
  }

  it('changes when one byte changes (it hashes the exact bytes, not the JSON meaning)', () => {
    const doc = loadRealManifests()[0];
    assert.ok(doc);
    const reformatted = enc.encode(JSON.stringify(JSON.parse(doc.raw)));
    assert.notEqual(computeDigest(reformatted), doc.sha256);
  });
});

describe('parseDigest / isDigest', () => {
  const good: Array<[string, 'sha256' | 'sha512']> = [
    [EMPTY_SHA256, 'sha256'],
    [EMPTY_SHA512, 'sha512'],
    [EMPTY_JSON_SHA256, 'sha256'],
  ];
  for (const [d, algorithm] of good) {
    it(`accepts ${d.slice(0, 20)}…`, () => {
      assert.deepEqual(parseDigest(d), { algorithm, hex: d.slice(algorithm.length + 1) });
      assert.equal(isDigest(d), true);
    });
  }

  const bad: Array<[string, string]> = [
    ['', 'empty'],
    ['sha256', 'no colon'],
    ['sha256:', 'no hex'],
    [':' + 'a'.repeat(64), 'no algorithm'],
    ['sha256:' + 'a'.repeat(63), 'short hex'],
    ['sha256:' + 'a'.repeat(65), 'long hex'],
    ['sha256:' + 'A'.repeat(64), 'uppercase hex'],
    ['SHA256:' + 'a'.repeat(64), 'uppercase algorithm'],
    ['sha256:' + 'g'.repeat(64), 'non-hex'],
    ['sha512:' + 'a'.repeat(64), 'sha512 with sha256 length'],
    ['sha384:' + 'a'.repeat(96), 'unregistered algorithm'],
    ['md5:d41d8cd98f00b204e9800998ecf8427e', 'md5'],
    ['multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8', 'well-formed but unsupported'],
    [' sha256:' + 'a'.repeat(64), 'leading space'],
    ['sha256:' + 'a'.repeat(64) + '\n', 'trailing newline'],
  ];
  for (const [d, why] of bad) {
    it(`rejects ${why} with DIGEST_INVALID naming the input`, () => {
      assert.equal(isDigest(d), false);
      assert.throws(
        () => parseDigest(d),
        (err: unknown) => err instanceof OciError && err.code === 'DIGEST_INVALID' && err.message.includes(JSON.stringify(d)),
      );
    });
  }
});

describe('verifyBytes', () => {
  const bytes = enc.encode('{}');

  it('accepts matching content with and without a size', () => {
    verifyBytes(bytes, { digest: EMPTY_JSON_SHA256, size: 2 });
    verifyBytes(bytes, { digest: EMPTY_JSON_SHA256 });
  });

  it('verifies sha512 digests with sha512', () => {
    verifyBytes(new Uint8Array(), { digest: EMPTY_SHA512, size: 0 });
  });

  it('reports SIZE_MISMATCH before hashing', () => {
    assert.throws(() => verifyBytes(bytes, { digest: EMPTY_JSON_SHA256, size: 3 }), (e: unknown) => hasCode(e, 'SIZE_MISMATCH'));
    assert.throws(() => verifyBytes(bytes, { digest: EMPTY_SHA256, size: 3 }), (e: unknown) => hasCode(e, 'SIZE_MISMATCH'));
  });

  it('reports DIGEST_MISMATCH naming both digests', () => {
    assert.throws(
      () => verifyBytes(bytes, { digest: EMPTY_SHA256, size: 2 }),
      (e: unknown) => hasCode(e, 'DIGEST_MISMATCH') && e.message.includes(EMPTY_SHA256) && e.message.includes(EMPTY_JSON_SHA256),
    );
  });

  it('reports DIGEST_INVALID for a malformed expected digest', () => {
    assert.throws(() => verifyBytes(bytes, { digest: 'sha256:nope' }), (e: unknown) => hasCode(e, 'DIGEST_INVALID'));
  });

  for (const doc of loadRealManifests()) {
    it(`accepts ${doc.source} against its recorded digest and rejects it against another size`, () => {
      verifyBytes(bytesOf(doc), { digest: doc.sha256, size: doc.size });
      assert.throws(() => verifyBytes(bytesOf(doc), { digest: doc.sha256, size: doc.size + 1 }), (e: unknown) => hasCode(e, 'SIZE_MISMATCH'));
    });
  }
});
