import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childrenOf, foreignLayersOf, isForeignLayer } from './children.ts';
import type { Descriptor } from './descriptor.ts';
import { parseManifest } from './manifest.ts';
import { MediaTypes } from './media-types.ts';

const D = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const enc = new TextEncoder();
const URLS = ['https://mcr.microsoft.com/v2/windows/servercore/blobs/' + D(9)];

// A Windows-style Docker schema 2 manifest: a foreign base layer with urls, then ordinary layers.
const windows = {
  schemaVersion: 2,
  mediaType: MediaTypes.dockerManifest,
  config: { mediaType: MediaTypes.dockerConfig, digest: D(1), size: 100 },
  layers: [
    { mediaType: MediaTypes.dockerForeignLayer, digest: D(2), size: 1000, urls: URLS },
    { mediaType: MediaTypes.dockerForeignLayer, digest: D(3), size: 1000 }, // foreign type but no urls
    { mediaType: MediaTypes.dockerLayer, digest: D(4), size: 10, urls: URLS }, // urls but an ordinary type
    { mediaType: MediaTypes.ociLayerNondistributableGzip, digest: D(5), size: 10, urls: URLS },
    { mediaType: MediaTypes.dockerLayer, digest: D(6), size: 10 },
  ],
  subject: { mediaType: MediaTypes.ociManifest, digest: D(7), size: 5 },
};

describe('childrenOf / isForeignLayer', () => {
  const parsed = parseManifest(enc.encode(JSON.stringify(windows)));

  it('lists config first, then distributable layers in order, never the subject', () => {
    assert.deepEqual(childrenOf(parsed).map((d) => d.digest), [D(1), D(3), D(4), D(6)]);
  });

  it('reports the layers it skipped separately', () => {
    assert.deepEqual(foreignLayersOf(parsed).map((d) => d.digest), [D(2), D(5)]);
  });

  const layer = (mediaType: string, urls?: string[]): Descriptor => ({ mediaType, digest: D(1), size: 1, ...(urls ? { urls } : {}) });
  const table: Array<[Descriptor, boolean]> = [
    [layer(MediaTypes.dockerForeignLayer, URLS), true],
    [layer(MediaTypes.ociLayerNondistributable, URLS), true],
    [layer(MediaTypes.ociLayerNondistributableGzip, URLS), true],
    [layer(MediaTypes.ociLayerNondistributableZstd, URLS), true],
    [layer(MediaTypes.dockerForeignLayer), false],
    [layer(MediaTypes.dockerForeignLayer, []), false],
    [layer(MediaTypes.dockerLayer, URLS), false],
    [layer(MediaTypes.ociLayerGzip, URLS), false],
    [layer(MediaTypes.ociLayerZstd), false],
  ];
  for (const [d, want] of table) {
    it(`isForeignLayer(${d.mediaType}${d.urls ? ` with ${d.urls.length} urls` : ''}) is ${want}`, () => {
      assert.equal(isForeignLayer(d), want);
    });
  }

  it('gives an index all its manifests, attestations included, and schema 1 nothing', () => {
    const index = parseManifest(
      enc.encode(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaTypes.ociIndex,
          manifests: [
            { mediaType: MediaTypes.ociManifest, digest: D(1), size: 1, platform: { architecture: 'amd64', os: 'linux' } },
            { mediaType: MediaTypes.ociManifest, digest: D(2), size: 1, platform: { architecture: 'unknown', os: 'unknown' } },
            { mediaType: MediaTypes.ociIndex, digest: D(3), size: 1 },
          ],
          subject: { mediaType: MediaTypes.ociManifest, digest: D(4), size: 1 },
        }),
      ),
    );
    assert.deepEqual(childrenOf(index).map((d) => d.digest), [D(1), D(2), D(3)]);
    assert.deepEqual(foreignLayersOf(index), []);
    assert.deepEqual(childrenOf({ kind: 'schema1', mediaType: MediaTypes.dockerSchema1 }), []);
  });

  it('returns a copy the caller may change without touching the parsed manifest', () => {
    const children = childrenOf(parsed);
    children.pop();
    assert.equal(childrenOf(parsed).length, 4);
  });
});
