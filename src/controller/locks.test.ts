import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedLock } from './locks.ts';

describe('KeyedLock', () => {
  it('serialises runs per key, in order, and lets other keys run alongside', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const job = (key: string, name: string, ms: number) =>
      lock.run(key, async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
      });
    await Promise.all([job('t', 'a', 20), job('t', 'b', 1), job('u', 'c', 1)]);
    assert.ok(events.indexOf('end a') < events.indexOf('start b'));
    assert.ok(events.indexOf('start c') < events.indexOf('end a'));
    assert.equal(lock.size, 0);
  });

  it('a failing run releases the key', async () => {
    const lock = new KeyedLock();
    await assert.rejects(lock.run('t', () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await lock.run('t', () => Promise.resolve(7)), 7);
  });
});
