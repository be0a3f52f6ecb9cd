import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedQueue } from './queue.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('a key waits once however often it is added', async () => {
    const runs: string[] = [];
    const q = new KeyedQueue(async (k) => void runs.push(k), { concurrency: 1 });
    for (let i = 0; i < 200; i++) q.add('image');
    q.add('other');
    assert.equal(q.depth, 2);
    q.start();
    await q.whenIdle();
    assert.deepEqual(runs, ['image', 'other']);
  });

  it('adding a key while it runs makes it run once more afterwards, never twice at once', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const gate = deferred();
    const q = new KeyedQueue(
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        if (runs === 1) await gate.promise;
        running--;
      },
      { concurrency: 4 },
    );
    q.start();
    q.add('k');
    await new Promise((r) => setImmediate(r));
    q.add('k');
    q.add('k');
    gate.resolve();
    await q.whenIdle();
    assert.equal(runs, 2);
    assert.equal(maxRunning, 1);
  });

  it('runs at most `concurrency` keys at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const q = new KeyedQueue(
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
      { concurrency: 2 },
    );
    q.start();
    for (let i = 0; i < 8; i++) q.add(`k${i}`);
    await q.whenIdle();
    assert.equal(maxRunning, 2);
  });

  it('addAfter runs later; an earlier schedule wins; add() now supersedes the schedule', async () => {
    const runs: string[] = [];
    const q = new KeyedQueue(async (k) => void runs.push(k), { concurrency: 1 });
    q.start();
    q.addAfter('a', 30);
    q.addAfter('a', 10_000);
    assert.equal(q.delayed, 1);
    const due = q.dueAt('a')!;
    assert.ok(due - Date.now() <= 30);
    await new Promise((r) => setTimeout(r, 60));
    await q.whenIdle();
    assert.deepEqual(runs, ['a']);
    q.addAfter('b', 10_000);
    q.add('b');
    await q.whenIdle();
    assert.deepEqual(runs, ['a', 'b']);
    assert.equal(q.delayed, 0);
  });

  it('retry() backs off exponentially per key and succeeded() resets it', () => {
    const q = new KeyedQueue(async () => {}, { concurrency: 1, backoff: { initialMs: 100, maxMs: 1_000, jitter: 0 } });
    assert.equal(q.retry('k'), 100);
    assert.equal(q.retry('k'), 200);
    assert.equal(q.retry('k'), 400);
    assert.equal(q.retry('other'), 100);
    q.succeeded('k');
    assert.equal(q.retry('k'), 100);
    q.remove('k');
    q.remove('other');
    assert.equal(q.delayed, 0);
  });

  it('remove() drops a waiting key; depth is reported', async () => {
    const depths: number[] = [];
    const runs: string[] = [];
    const q = new KeyedQueue(async (k) => void runs.push(k), { concurrency: 1, onDepth: (n) => depths.push(n) });
    q.add('a');
    q.add('b');
    q.remove('a');
    q.start();
    await q.whenIdle();
    assert.deepEqual(runs, ['b']);
    assert.deepEqual(depths, [1, 2, 1, 0]);
  });

  it('a throwing handler is reported and the queue goes on', async () => {
    const errors: string[] = [];
    const runs: string[] = [];
    const q = new KeyedQueue(
      async (k) => {
        runs.push(k);
        if (k === 'bad') throw new Error('boom');
      },
      { concurrency: 1, onError: (k, e) => errors.push(`${k}: ${(e as Error).message}`) },
    );
    q.start();
    q.add('bad');
    q.add('good');
    await q.whenIdle();
    assert.deepEqual(runs, ['bad', 'good']);
    assert.deepEqual(errors, ['bad: boom']);
  });

  it('stop() aborts running handlers, cancels schedules and ignores later adds', async () => {
    let aborted = false;
    const q = new KeyedQueue(
      (_k, signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
      { concurrency: 1 },
    );
    q.start();
    q.add('k');
    q.addAfter('later', 10_000);
    await new Promise((r) => setImmediate(r));
    await q.stop();
    assert.equal(aborted, true);
    assert.equal(q.delayed, 0);
    q.add('x');
    assert.equal(q.depth, 0);
  });

  it('refuses a concurrency below 1', () => {
    assert.throws(() => new KeyedQueue(async () => {}, { concurrency: 0 }), RangeError);
  });
});
