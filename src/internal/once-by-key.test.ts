import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlight, OnceByKey } from './once-by-key.ts';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('OnceByKey', () => {
  it('lets concurrent callers of one key share a single run', async () => {
    const once = new OnceByKey<string>();
    let calls = 0;
    let release!: (v: string) => void;
    const fn = (): Promise<string> => {
      calls++;
      return new Promise((r) => (release = r));
    };
    const a = once.do('k', fn);
    const b = once.do('k', fn);
    assert.equal(a, b);
    assert.equal(calls, 1);
    release('done');
    assert.deepEqual(await Promise.all([a, b]), ['done', 'done']);
  });

  it('remembers a success: later callers get the result without running again', async () => {
    const once = new OnceByKey<number>();
    let calls = 0;
    assert.equal(await once.do('k', async () => ++calls), 1);
    assert.equal(await once.do('k', async () => ++calls), 1);
    assert.equal(calls, 1);
    assert.ok(once.has('k'));
    assert.equal(once.size, 1);
  });

  it('forgets a failure so the next caller runs again', async () => {
    const once = new OnceByKey<string>();
    const failed = once.do('k', () => Promise.reject(new Error('first try fails')));
    await assert.rejects(failed, /first try fails/);
    await tick();
    assert.equal(once.has('k'), false);
    assert.equal(await once.do('k', async () => 'second try'), 'second try');
    assert.ok(once.has('k'));
  });

  it('keys are independent', async () => {
    const once = new OnceByKey<string>();
    assert.equal(await once.do('a', async () => 'A'), 'A');
    assert.equal(await once.do('b', async () => 'B'), 'B');
    assert.equal(once.size, 2);
  });
});

describe('InFlight', () => {
  it('shares a run between concurrent callers and forgets it once it succeeds', async () => {
    const inflight = new InFlight<number>();
    let calls = 0;
    let release!: (v: number) => void;
    const fn = (): Promise<number> => {
      calls++;
      return new Promise((r) => (release = r));
    };
    const a = inflight.run('k', fn);
    const b = inflight.run('k', fn);
    assert.equal(calls, 1);
    release(7);
    assert.deepEqual(await Promise.all([a, b]), [7, 7]);
    // Settled: a new caller starts a fresh run.
    const c = inflight.run('k', async () => ++calls);
    assert.equal(await c, 2);
  });

  it('forgets a failed run too', async () => {
    const inflight = new InFlight<string>();
    await assert.rejects(inflight.run('k', () => Promise.reject(new Error('nope'))), /nope/);
    assert.equal(await inflight.run('k', async () => 'fresh'), 'fresh');
  });
});
