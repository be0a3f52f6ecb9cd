import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedLookup } from './lookup.ts';

describe('cachedLookup', () => {
  it('caches hits and misses for the TTL, per namespace and name, and can be invalidated', async () => {
    let now = 0;
    const calls: string[] = [];
    const cached = cachedLookup(
      async (name: string, namespace?: string) => {
        calls.push(`${namespace}/${name}`);
        return name === 'there' ? { name } : undefined;
      },
      { ttlMs: 1_000, now: () => now },
    );
    assert.deepEqual(await cached('there', 'a'), { name: 'there' });
    assert.equal(await cached('absent', 'a'), undefined);
    assert.deepEqual(await cached('there', 'a'), { name: 'there' });
    assert.equal(await cached('absent', 'a'), undefined);
    await cached('there', 'b');
    assert.deepEqual(calls, ['a/there', 'a/absent', 'b/there']);
    now = 1_000;
    await cached('there', 'a');
    assert.equal(calls.length, 4);
    cached.invalidate('there', 'a');
    await cached('there', 'a');
    assert.equal(calls.length, 5);
    cached.invalidate();
    await cached('there', 'b');
    assert.equal(calls.length, 6);
  });
});
