import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { childrenOf } from './children.ts';
import { parseManifest, type ParsedManifest } from './manifest.ts';
import { MediaTypes } from './media-types.ts';
import { byDigestPrefix, bytesOf, loadRealManifests } from './real-manifests.fixture.ts';

const docs = loadRealManifests();
const enc = new TextEncoder();

// What each recorded document is, written down by hand from reading it (keyed by sha256 prefix).
const EXPECTED: Array<[prefix: string, kind: ParsedManifest['kind'], mediaType: string, children: number]> = [
  ['d8df0436', 'index', MediaTypes.ociIndex, 7], // spegel BuildKit index, no mediaType field
  ['dce62353', 'image', MediaTypes.ociManifest, 12],
  ['7ceb9b6b', 'index', MediaTypes.ociIndex, 4],
  ['dfae8f42', 'index', MediaTypes.ociIndex, 3],
  ['0484e93c', 'image', MediaTypes.ociManifest, 2],
  ['741132f9', 'image', MediaTypes.ociManifest, 2],
  ['90569397', 'image', MediaTypes.ociManifest, 2],
  ['d69399e0', 'index', MediaTypes.ociIndex, 1],
  ['ae55d2bd', 'index', MediaTypes.dockerManifestList, 5],
  ['6e40af1c', 'index', MediaTypes.dockerManifestList, 7],
  ['20bf21ed', 'image', MediaTypes.dockerManifest, 4],
  ['e7648e33', 'image', MediaTypes.dockerManifest, 1], // schema 2 without mediaType
  ['e028c450', 'schema1', MediaTypes.dockerSchema1Signed, 0],
  ['7364fea9', 'schema1', MediaTypes.dockerSchema1, 0],
  ['d59976e8', 'index', MediaTypes.ociIndex, 2],
  ['bb76e395', 'image', MediaTypes.ociManifest, 4],
];

const invalid = (field: string) => (e: unknown) => hasCode(e, 'MANIFEST_INVALID') && e.message.includes(field);

describe('parseManifest on real documents', () => {
  it('has an expectation for every recorded document', () => {
    assert.equal(EXPECTED.length, docs.length);
    for (const [prefix] of EXPECTED) byDigestPrefix(docs, prefix);
  });

  for (const [prefix, kind, mediaType, children] of EXPECTED) {
    const doc = byDigestPrefix(docs, prefix);
    it(`reads ${doc.source} as ${kind} ${mediaType}`, () => {
      const parsed = parseManifest(bytesOf(doc));
      assert.equal(parsed.kind, kind);
      assert.equal(parsed.mediaType, mediaType);
      // The recorded own field wins, else the media type containers/image guesses.
      const recorded = doc.mediaType ?? doc.guessedMediaType;
      if (recorded !== undefined) assert.equal(parsed.mediaType, recorded);
      assert.equal(childrenOf(parsed).length, children);
    });

    it(`reads ${doc.source} the same with its media type as Content-Type`, () => {
      assert.deepEqual(parseManifest(bytesOf(doc), mediaType), parseManifest(bytesOf(doc)));
    });
  }

  for (const doc of docs) {
    it(`enumerates the children of ${doc.source} straight from its JSON, subject excluded`, () => {
      const json = JSON.parse(doc.raw) as { manifests?: Array<{ digest: string }>; config?: { digest: string }; layers?: Array<{ digest: string }> };
      const parsed = parseManifest(bytesOf(doc));
      const digests = childrenOf(parsed).map((d) => d.digest);
      if (parsed.kind === 'index') assert.deepEqual(digests, json.manifests?.map((m) => m.digest));
      else if (parsed.kind === 'image') assert.deepEqual(digests, [json.config?.digest, ...(json.layers ?? []).map((l) => l.digest)]);
      else assert.deepEqual(digests, []);
      if (doc.subject) {
        const subject = parsed.kind === 'index' ? parsed.index.subject : parsed.kind === 'image' ? parsed.manifest.subject : undefined;
        assert.deepEqual(subject, doc.subject);
        // d69399e0's only child is also its subject; elsewhere the subject is never a child.
        if (!prefixIs(doc.sha256, 'd69399e0')) assert.ok(!digests.includes(doc.subject.digest));
      }
      if (doc.artifactType) {
        const artifactType = parsed.kind === 'index' ? parsed.index.artifactType : parsed.kind === 'image' ? parsed.manifest.artifactType : undefined;
        assert.equal(artifactType, doc.artifactType);
      }
    });
  }

  it('keeps the document fields it validated and invents none', () => {
    const oci = parseManifest(bytesOf(byDigestPrefix(docs, 'bb76e395')));
    assert.equal(oci.kind, 'image');
    assert.deepEqual(oci.manifest.annotations, { 'com.example.key1': 'value1', 'com.example.key2': 'value2' });
    const nomime = parseManifest(bytesOf(byDigestPrefix(docs, 'e7648e33')));
    assert.equal(nomime.kind, 'image');
    assert.equal('mediaType' in nomime.manifest, false);
    assert.equal('annotations' in nomime.manifest, false);
    assert.deepEqual(nomime.manifest.layers, []);
    const list = parseManifest(bytesOf(byDigestPrefix(docs, 'ae55d2bd')));
    assert.equal(list.kind, 'index');
    assert.deepEqual(list.index.manifests[1]?.platform, { architecture: 'amd64', os: 'linux', features: ['sse'] });
    const withData = parseManifest(bytesOf(byDigestPrefix(docs, '90569397')));
    assert.equal(withData.kind === 'image' && withData.manifest.config.data, 'e30=');
  });
});

describe('parseManifest and Content-Type', () => {
  const ociIndex = bytesOf(byDigestPrefix(docs, 'd59976e8'));
  const nomime = bytesOf(byDigestPrefix(docs, 'e7648e33'));
  const spegelIndex = bytesOf(byDigestPrefix(docs, 'd8df0436'));
  const unsigned = bytesOf(byDigestPrefix(docs, '7364fea9'));

  it('rejects a Content-Type of another kind than the document mediaType', () => {
    assert.throws(() => parseManifest(ociIndex, MediaTypes.ociManifest), invalid('Content-Type'));
    assert.throws(() => parseManifest(ociIndex, MediaTypes.dockerSchema1Signed), invalid('Content-Type'));
  });

  it('keeps the document mediaType when the Content-Type is the same kind from the other family', () => {
    assert.equal(parseManifest(ociIndex, MediaTypes.dockerManifestList).mediaType, MediaTypes.ociIndex);
  });

  it('takes the media type from Content-Type when the document has none, ignoring parameters and case', () => {
    assert.equal(parseManifest(nomime, MediaTypes.ociManifest).mediaType, MediaTypes.ociManifest);
    assert.equal(parseManifest(nomime, 'Application/VND.docker.distribution.manifest.v2+json; charset=utf-8').mediaType, MediaTypes.dockerManifest);
    assert.equal(parseManifest(spegelIndex, MediaTypes.dockerManifestList).mediaType, MediaTypes.dockerManifestList);
    assert.equal(parseManifest(unsigned, MediaTypes.dockerSchema1Signed).mediaType, MediaTypes.dockerSchema1Signed);
  });

  it('rejects a Content-Type whose kind contradicts the shape of a document without mediaType', () => {
    assert.throws(() => parseManifest(nomime, MediaTypes.ociIndex), invalid('manifests'));
    assert.throws(() => parseManifest(nomime, MediaTypes.dockerSchema1), invalid('schemaVersion'));
    assert.throws(() => parseManifest(spegelIndex, MediaTypes.ociManifest), invalid('manifests'));
    assert.throws(() => parseManifest(unsigned, MediaTypes.dockerManifest), invalid('schemaVersion'));
  });

  it('ignores generic Content-Types and guesses from the shape', () => {
    for (const ct of ['application/json', 'text/plain', 'application/octet-stream', '']) {
      assert.equal(parseManifest(nomime, ct).mediaType, MediaTypes.dockerManifest);
      assert.equal(parseManifest(unsigned, ct).mediaType, MediaTypes.dockerSchema1);
    }
  });
});

describe('parseManifest rejects invalid documents naming the field', () => {
  const D = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
  const layer = { mediaType: MediaTypes.ociLayerGzip, digest: D(2), size: 10 };
  const manifest = (over: Record<string, unknown>) =>
    JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: { mediaType: MediaTypes.ociConfig, digest: D(1), size: 5 }, layers: [layer], ...over });
  const index = (over: Record<string, unknown>) =>
    JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [{ mediaType: MediaTypes.ociManifest, digest: D(3), size: 7, platform: { architecture: 'amd64', os: 'linux' } }], ...over });

  it('accepts the baselines used below', () => {
    assert.equal(parseManifest(enc.encode(manifest({}))).kind, 'image');
    assert.equal(parseManifest(enc.encode(index({}))).kind, 'index');
  });

  const cases: Array<[name: string, text: string | Uint8Array, field: string]> = [
    ['truncated JSON', '{"schemaVersion":2,', 'JSON'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'UTF-8'],
    ['a JSON array', '[]', 'object'],
    ['a JSON string', '"manifest"', 'object'],
    ['mediaType not a string', manifest({ mediaType: 5 }), '"mediaType"'],
    ['unknown mediaType', manifest({ mediaType: 'application/vnd.oci.artifact.manifest.v1+json' }), 'application/vnd.oci.artifact.manifest.v1+json'],
    ['schemaVersion 3', manifest({ schemaVersion: 3 }), '"schemaVersion"'],
    ['schemaVersion as string', index({ schemaVersion: '2' }), '"schemaVersion"'],
    ['schemaVersion missing', index({ schemaVersion: undefined }), '"schemaVersion"'],
    ['config missing', manifest({ config: undefined }), '"config"'],
    ['config not an object', manifest({ config: 'sha256' }), '"config"'],
    ['layers not an array', manifest({ layers: {} }), '"layers"'],
    ['layers missing', manifest({ layers: undefined }), '"layers"'],
    ['bad layer digest', manifest({ layers: [layer, { ...layer, digest: 'sha256:abc' }] }), '"layers[1].digest"'],
    ['unsupported layer digest', manifest({ layers: [{ ...layer, digest: `sha384:${'a'.repeat(96)}` }] }), '"layers[0].digest"'],
    ['negative size', manifest({ layers: [{ ...layer, size: -1 }] }), '"layers[0].size"'],
    ['fractional size', manifest({ layers: [{ ...layer, size: 1.5 }] }), '"layers[0].size"'],
    ['size as string', manifest({ layers: [{ ...layer, size: '10' }] }), '"layers[0].size"'],
    ['layer mediaType missing', manifest({ layers: [{ ...layer, mediaType: undefined }] }), '"layers[0].mediaType"'],
    ['config urls not an array', manifest({ config: { mediaType: MediaTypes.ociConfig, digest: D(1), size: 5, urls: 'https://x' } }), '"config.urls"'],
    ['annotation value a number', manifest({ config: { mediaType: MediaTypes.ociConfig, digest: D(1), size: 5, annotations: { k: 1 } } }), '"config.annotations.k"'],
    ['data not base64', manifest({ config: { mediaType: MediaTypes.ociEmpty, digest: D(1), size: 2, data: '{}' } }), '"config.data"'],
    ['manifest annotations an array', manifest({ annotations: [] }), '"annotations"'],
    ['artifactType a number', manifest({ artifactType: 1 }), '"artifactType"'],
    ['subject without digest', manifest({ subject: { mediaType: MediaTypes.ociManifest, size: 1 } }), '"subject.digest"'],
    ['manifests not an array', index({ manifests: {} }), '"manifests"'],
    ['platform without architecture', index({ manifests: [{ mediaType: MediaTypes.ociManifest, digest: D(3), size: 7, platform: { os: 'linux' } }] }), '"manifests[0].platform.architecture"'],
    ['os.features not an array', index({ manifests: [{ mediaType: MediaTypes.ociManifest, digest: D(3), size: 7, platform: { os: 'linux', architecture: 'amd64', 'os.features': 'x' } }] }), '"manifests[0].platform.os.features"'],
    ['index mediaType with layers (CVE-2021-41190)', index({ layers: [layer] }), '"layers"'],
    ['index mediaType with config', index({ config: { mediaType: MediaTypes.ociConfig, digest: D(1), size: 5 } }), '"config"'],
    ['image mediaType with manifests', manifest({ manifests: [] }), '"manifests"'],
    ['no mediaType with both manifests and layers', index({ mediaType: undefined, layers: [layer] }), 'cannot tell'],
    ['no mediaType and no telling fields', '{"schemaVersion":2}', 'cannot tell'],
    ['schema 1 mediaType with schemaVersion 2', manifest({ mediaType: MediaTypes.dockerSchema1 }), '"schemaVersion"'],
  ];
  for (const [name, text, field] of cases) {
    it(`rejects ${name}`, () => {
      const bytes = typeof text === 'string' ? enc.encode(text) : text;
      assert.throws(() => parseManifest(bytes), invalid(field));
    });
  }
});

function prefixIs(digest: string, prefix: string): boolean {
  return digest.startsWith(`sha256:${prefix}`);
}
