import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapLimit } from './map-limit.ts';

test('keeps input order and never runs more than the limit at once', async () => {
  let active = 0;
  let most = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n, i) => {
    active++;
    most = Math.max(most, active);
    await new Promise((r) => setTimeout(r, n));
    active--;
    return `${i}:${n}`;
  });
  assert.deepEqual(out, ['0:5', '1:1', '2:4', '3:2', '4:3']);
  assert.equal(most, 2);
});

test('rejects on the first failure and refuses a bad limit', async () => {
  await assert.rejects(mapLimit([1, 2], 2, async (n) => { if (n === 2) throw new Error('two'); return n; }), /two/);
  await assert.rejects(mapLimit([1], 0, async (n) => n), /positive whole number, got 0/);
});
