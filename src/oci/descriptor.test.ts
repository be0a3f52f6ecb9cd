import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { descriptorData, validateDescriptor, validatePlatform } from './descriptor.ts';
import { MediaTypes } from './media-types.ts';

const EMPTY_JSON = { mediaType: MediaTypes.ociEmpty, digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };

describe('descriptorData', () => {
  it('decodes and verifies embedded data', () => {
    assert.deepEqual(descriptorData({ ...EMPTY_JSON, data: 'e30=' }), new TextEncoder().encode('{}'));
  });

  it('is undefined without data', () => {
    assert.equal(descriptorData(EMPTY_JSON), undefined);
  });

  it('rejects data that is not the described content', () => {
    assert.throws(() => descriptorData({ ...EMPTY_JSON, data: 'e3g=' }), (e: unknown) => hasCode(e, 'DIGEST_MISMATCH'));
    assert.throws(() => descriptorData({ ...EMPTY_JSON, data: 'e30geyB9' }), (e: unknown) => hasCode(e, 'SIZE_MISMATCH'));
  });
});

describe('validateDescriptor / validatePlatform', () => {
  it('keeps every known field and drops unknown ones', () => {
    const d = validateDescriptor(
      {
        ...EMPTY_JSON,
        urls: ['https://example.com/x'],
        annotations: { a: 'b' },
        platform: { architecture: 'arm', os: 'linux', variant: 'v7', 'os.version': '1', 'os.features': ['f'], features: ['sse'] },
        artifactType: 'application/x',
        data: 'e30=',
        extra: true,
      },
      'config',
    );
    assert.deepEqual(d, {
      ...EMPTY_JSON,
      urls: ['https://example.com/x'],
      annotations: { a: 'b' },
      platform: { architecture: 'arm', os: 'linux', variant: 'v7', 'os.version': '1', 'os.features': ['f'], features: ['sse'] },
      artifactType: 'application/x',
      data: 'e30=',
    });
  });

  it('keeps an annotation named __proto__ as data', () => {
    const d = validateDescriptor(JSON.parse(`{"mediaType":"a/b","digest":"${EMPTY_JSON.digest}","size":2,"annotations":{"__proto__":"x"}}`), 'd');
    assert.equal(Object.getPrototypeOf(d.annotations), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(d.annotations, '__proto__')?.value, 'x');
  });

  it('names the path it was given', () => {
    assert.throws(() => validatePlatform({ architecture: 'amd64', os: 3 }, 'manifests[4].platform'), (e: unknown) => hasCode(e, 'MANIFEST_INVALID') && e.message.includes('"manifests[4].platform.os"'));
    assert.throws(() => validateDescriptor(null, 'subject'), (e: unknown) => hasCode(e, 'MANIFEST_INVALID') && e.message.includes('"subject"'));
  });

  it('accepts size 0 and the largest safe integer, rejects beyond', () => {
    assert.equal(validateDescriptor({ ...EMPTY_JSON, size: 0 }, 'x').size, 0);
    assert.equal(validateDescriptor({ ...EMPTY_JSON, size: Number.MAX_SAFE_INTEGER }, 'x').size, Number.MAX_SAFE_INTEGER);
    assert.throws(() => validateDescriptor({ ...EMPTY_JSON, size: 2 ** 60 }, 'x'), (e: unknown) => hasCode(e, 'MANIFEST_INVALID'));
  });
});
