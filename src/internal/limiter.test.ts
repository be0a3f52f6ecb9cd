import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Limiter } from './limiter.ts';

/** A promise with its resolve exposed, so a test decides when a task finishes. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every queued microtask and promise callback run. */
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Limiter', () => {
  it('refuses limits that are not positive integers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new Limiter(bad), RangeError);
  });

  it('never has more than `limit` tasks running and starts waiters in FIFO order', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, () => deferred());
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.equal(limiter.active, 2);
    assert.equal(limiter.pending, 4);
    // Finish out of order: the next slot must still go to the oldest waiter.
    gates[1]?.resolve();
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    gates[0]?.resolve();
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3]);
    for (const g of gates) g.resolve();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    assert.equal(peak, 2);
    assert.equal(limiter.active, 0);
    assert.equal(limiter.pending, 0);
  });

  it('releases the slot when a task throws', async () => {
    const limiter = new Limiter(1);
    await assert.rejects(limiter.run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(limiter.active, 0);
    assert.equal(await limiter.run(() => Promise.resolve('next')), 'next');
  });

  it('hands a freed slot to a waiter rather than to a newcomer', async () => {
    const limiter = new Limiter(1);
    const order: string[] = [];
    const first = deferred();
    const a = limiter.run(async () => {
      order.push('a');
      await first.promise;
    });
    const b = limiter.run(async () => {
      order.push('b');
    });
    await tick();
    first.resolve();
    // Queued synchronously right after the release: it must not overtake `b`.
    await Promise.resolve();
    const c = limiter.run(async () => {
      order.push('c');
    });
    await Promise.all([a, b, c]);
    assert.deepEqual(order, ['a', 'b', 'c']);
  });
});
