import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, formatMB, maxKnown, median } from './stats.ts';

test('median of odd and even counts, unsorted input', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('maxKnown ignores unknown values', () => {
  assert.equal(maxKnown([undefined, 5, 7, undefined, 6]), 7);
  assert.equal(maxKnown([undefined]), undefined);
});

test('units', () => {
  assert.equal(formatMB(150_000_000), '150.0 MB');
  assert.equal(formatBytes(1024 ** 3), '1.0 GiB');
  assert.equal(formatBytes(512), '512 B');
});
