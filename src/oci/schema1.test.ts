import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { computeDigest } from './digest.ts';
import { parseManifest } from './manifest.ts';
import { byDigestPrefix, bytesOf, loadRealManifests } from './real-manifests.fixture.ts';
import { schema1Digest } from './schema1.ts';

const docs = loadRealManifests();
const signed = byDigestPrefix(docs, 'e028c450');
const unsigned = byDigestPrefix(docs, '7364fea9');
const enc = new TextEncoder();
const b64u = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** Builds a libtrust-style signed document around `payload` (a JSON object text) with the given signature headers. */
function sign(payload: string, headers: Array<Record<string, unknown>>): Uint8Array {
  const cut = payload.lastIndexOf('}');
  const sigs = headers.map((h) => ({ header: { alg: 'ES256' }, signature: 'c2ln', protected: b64u(JSON.stringify(h)) }));
  return enc.encode(`${payload.slice(0, cut)},"signatures":${JSON.stringify(sigs)}}`);
}

describe('schema1Digest', () => {
  it('gives the registry digest of the real signed manifest (the JWS payload digest, not the raw hash)', () => {
    assert.ok(signed.statedManifestDigest);
    assert.equal(schema1Digest(bytesOf(signed)), signed.statedManifestDigest);
    assert.equal(schema1Digest(bytesOf(signed)), signed.schema1PayloadSha256);
    assert.notEqual(schema1Digest(bytesOf(signed)), computeDigest(bytesOf(signed)));
  });

  it('hashes the raw bytes of the real unsigned manifest', () => {
    assert.equal(schema1Digest(bytesOf(unsigned)), unsigned.statedManifestDigest);
    assert.equal(schema1Digest(bytesOf(unsigned)), computeDigest(bytesOf(unsigned)));
  });

  it('reports both real schema 1 documents as kind schema1', () => {
    assert.deepEqual(parseManifest(bytesOf(signed)), { kind: 'schema1', mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws' });
    assert.deepEqual(parseManifest(bytesOf(unsigned)), { kind: 'schema1', mediaType: 'application/vnd.docker.distribution.manifest.v1+json' });
  });

  it('hashes a synthetic signed document as its payload, whatever the signatures say', () => {
    const payload = '{\n   "schemaVersion": 1,\n   "name": "x/y",\n   "tag": "1"\n}';
    const header = { formatLength: payload.lastIndexOf('}'), formatTail: b64u('}') };
    const doc = sign(payload, [header, header]);
    assert.equal(schema1Digest(doc), computeDigest(enc.encode(payload)));
  });

  it('changes when a byte inside the payload changes but not when the signature value changes', () => {
    const raw = signed.raw;
    const insidePayload = enc.encode(raw.replace('mitr/busybox', 'mitr/busyboy'));
    assert.notEqual(schema1Digest(insidePayload), signed.statedManifestDigest);
    const otherSignature = enc.encode(raw.replace(/"signature": "[^"]+"/, '"signature": "AAAA"'));
    assert.equal(schema1Digest(otherSignature), signed.statedManifestDigest);
  });

  it('hashes raw bytes when signatures is an empty array', () => {
    const doc = enc.encode('{"schemaVersion":1,"signatures":[]}');
    assert.equal(schema1Digest(doc), computeDigest(doc));
  });

  const payload = '{"schemaVersion":1,"name":"x/y"}';
  const cases: Array<[string, Uint8Array, string]> = [
    ['not JSON', enc.encode('{"schemaVersion":1'), 'JSON'],
    ['signatures not an array', enc.encode('{"schemaVersion":1,"signatures":{}}'), '"signatures"'],
    ['protected missing', enc.encode('{"schemaVersion":1,"signatures":[{"signature":"x"}]}'), '"signatures[0].protected"'],
    ['protected not JSON', enc.encode(`{"schemaVersion":1,"signatures":[{"protected":"${b64u('nope')}"}]}`), '"signatures[0].protected"'],
    ['formatLength past the end', sign(payload, [{ formatLength: 10_000, formatTail: b64u('}') }]), 'formatLength'],
    ['formatLength negative', sign(payload, [{ formatLength: -1, formatTail: b64u('}') }]), 'formatLength'],
    ['formatTail missing', sign(payload, [{ formatLength: 5 }]), 'formatTail'],
    [
      'signatures covering different payloads',
      sign(payload, [
        { formatLength: payload.length - 1, formatTail: b64u('}') },
        { formatLength: payload.length - 2, formatTail: b64u('}') },
      ]),
      'signatures[1]',
    ],
  ];
  for (const [name, bytes, field] of cases) {
    it(`rejects ${name} with MANIFEST_INVALID`, () => {
      assert.throws(() => schema1Digest(bytes), (e: unknown) => hasCode(e, 'MANIFEST_INVALID') && e.message.includes(field));
    });
  }
});
