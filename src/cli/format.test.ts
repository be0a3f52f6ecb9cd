import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, shortDigest, table } from './format.ts';

describe('formatBytes', () => {
  it('uses decimal units with one decimal above bytes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1000), '1.0 kB');
    assert.equal(formatBytes(53_200_000), '53.2 MB');
    assert.equal(formatBytes(1_500_000_000), '1.5 GB');
    assert.equal(formatBytes(2e15), '2000.0 TB');
  });
});

describe('table', () => {
  it('left-aligns columns two spaces apart without trailing spaces', () => {
    const out = table(['TAG', 'DIGEST', 'PLATFORMS'], [
      ['latest', 'sha256:aaa', 'linux/amd64'],
      ['1.25.3-alpine', 'sha256:b', ''],
    ]);
    assert.equal(out, ['TAG            DIGEST      PLATFORMS', 'latest         sha256:aaa  linux/amd64', '1.25.3-alpine  sha256:b'].join('\n'));
  });

  it('prints just the header for no rows', () => {
    assert.equal(table(['A', 'B'], []), 'A  B');
  });
});

describe('shortDigest', () => {
  it('keeps the algorithm and 12 hex digits', () => {
    assert.equal(shortDigest(`sha256:${'0123456789abcdef'.repeat(4)}`), 'sha256:0123456789ab');
    assert.equal(shortDigest('not-a-digest'), 'not-a-digest');
  });
});
