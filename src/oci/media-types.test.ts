import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  baseMediaType,
  isImageManifestMediaType,
  isIndexMediaType,
  isManifestMediaType,
  isNonDistributableMediaType,
  isSchema1MediaType,
  MANIFEST_ACCEPT,
  MediaTypes,
} from './media-types.ts';

describe('MANIFEST_ACCEPT', () => {
  it('lists both index types first, then both image manifest types, then both schema 1 types', () => {
    assert.deepEqual(MANIFEST_ACCEPT.slice(0, 2).toSorted(), [MediaTypes.dockerManifestList, MediaTypes.ociIndex].toSorted());
    assert.deepEqual(MANIFEST_ACCEPT.slice(2, 4).toSorted(), [MediaTypes.dockerManifest, MediaTypes.ociManifest].toSorted());
    assert.deepEqual(MANIFEST_ACCEPT.slice(4).toSorted(), [MediaTypes.dockerSchema1, MediaTypes.dockerSchema1Signed].toSorted());
  });

  it('contains only types parseManifest reads and is frozen', () => {
    for (const mt of MANIFEST_ACCEPT) assert.ok(isManifestMediaType(mt), mt);
    assert.ok(Object.isFrozen(MANIFEST_ACCEPT));
  });
});

describe('media type predicates', () => {
  const table: Array<[mt: string | undefined, index: boolean, image: boolean, schema1: boolean]> = [
    [MediaTypes.ociIndex, true, false, false],
    [MediaTypes.dockerManifestList, true, false, false],
    [MediaTypes.ociManifest, false, true, false],
    [MediaTypes.dockerManifest, false, true, false],
    [MediaTypes.dockerSchema1, false, false, true],
    [MediaTypes.dockerSchema1Signed, false, false, true],
    [`${MediaTypes.ociIndex}; charset=utf-8`, true, false, false],
    [`  ${MediaTypes.dockerManifest.toUpperCase()}  `, false, true, false],
    [MediaTypes.ociConfig, false, false, false],
    [MediaTypes.ociEmpty, false, false, false],
    ['application/vnd.oci.artifact.manifest.v1+json', false, false, false],
    ['application/json', false, false, false],
    ['', false, false, false],
    [undefined, false, false, false],
  ];
  for (const [mt, index, image, schema1] of table) {
    it(`classifies ${JSON.stringify(mt)}`, () => {
      assert.equal(isIndexMediaType(mt), index);
      assert.equal(isImageManifestMediaType(mt), image);
      assert.equal(isSchema1MediaType(mt), schema1);
      assert.equal(isManifestMediaType(mt), index || image || schema1);
    });
  }

  it('knows which layer types may be absent from a registry', () => {
    assert.equal(isNonDistributableMediaType(MediaTypes.dockerForeignLayer), true);
    assert.equal(isNonDistributableMediaType(MediaTypes.ociLayerNondistributable), true);
    assert.equal(isNonDistributableMediaType(MediaTypes.ociLayerNondistributableGzip), true);
    assert.equal(isNonDistributableMediaType(MediaTypes.ociLayerNondistributableZstd), true);
    assert.equal(isNonDistributableMediaType(MediaTypes.dockerLayer), false);
    assert.equal(isNonDistributableMediaType(MediaTypes.ociLayerGzip), false);
    assert.equal(isNonDistributableMediaType(undefined), false);
  });

  it('strips parameters and case in baseMediaType', () => {
    assert.equal(baseMediaType('Application/JSON; charset=utf-8'), 'application/json');
    assert.equal(baseMediaType(' ; x=y'), undefined);
    assert.equal(baseMediaType(undefined), undefined);
  });
});
