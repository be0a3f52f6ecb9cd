import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from './ttl-cache.ts';

describe('TtlCache', () => {
  it('reuses answers for the TTL, shares a running load, serves the stale answer when a refresh fails', async () => {
    let now = 0;
    let loads = 0;
    let fail = false;
    const cache = new TtlCache<number>({ ttlMs: 100, now: () => now });
    const load = async (): Promise<number> => {
      loads++;
      await new Promise((r) => setImmediate(r));
      if (fail) throw new Error('api down');
      return loads;
    };
    assert.deepEqual(await Promise.all([cache.get('k', load), cache.get('k', load)]), [1, 1]);
    assert.equal(loads, 1);
    now = 99;
    assert.equal(await cache.get('k', load), 1);
    now = 100;
    assert.equal(await cache.get('k', load), 2);
    now = 200;
    fail = true;
    assert.equal(await cache.get('k', load), 2, 'stale answer');
    await assert.rejects(cache.get('other', load), /api down/);
    fail = false;
    cache.invalidate('k');
    assert.equal(await cache.get('k', load), 5);
  });

  it('sweeps expired entries once it reaches its size limit', async () => {
    let now = 0;
    const cache = new TtlCache<string>({ ttlMs: 10, now: () => now, sweepAt: 2 });
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    now = 20;
    await cache.get('c', async () => 'c');
    assert.equal(cache.size, 1);
  });
});
