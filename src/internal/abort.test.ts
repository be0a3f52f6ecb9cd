import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anySignal, sleep } from './abort.ts';
import { isAbortError } from './errors.ts';

describe('sleep', () => {
  it('resolves after roughly the delay', async () => {
    const started = performance.now();
    await sleep(30);
    assert.ok(performance.now() - started >= 25);
  });

  it('rejects at once with the reason of an already aborted signal', async () => {
    const reason = new Error('already gone');
    await assert.rejects(sleep(10_000, AbortSignal.abort(reason)), (err) => err === reason);
  });

  it('rejects early when the signal aborts while sleeping', async () => {
    const ctl = new AbortController();
    const started = performance.now();
    const p = sleep(10_000, ctl.signal);
    setTimeout(() => ctl.abort(), 20);
    await assert.rejects(p, (err) => isAbortError(err));
    assert.ok(performance.now() - started < 5_000);
  });

  it('rejects with a TimeoutError from AbortSignal.timeout', async () => {
    await assert.rejects(sleep(10_000, AbortSignal.timeout(10)), (err) => err instanceof Error && err.name === 'TimeoutError');
  });
});

describe('anySignal', () => {
  it('returns undefined without signals and the signal itself for one', () => {
    assert.equal(anySignal(undefined, undefined), undefined);
    const s = new AbortController().signal;
    assert.equal(anySignal(undefined, s), s);
  });

  it('aborts when any of several aborts', () => {
    const a = new AbortController();
    const b = new AbortController();
    const any = anySignal(a.signal, undefined, b.signal);
    assert.ok(any);
    assert.equal(any.aborted, false);
    b.abort(new Error('b'));
    assert.equal(any.aborted, true);
    assert.equal((any.reason as Error).message, 'b');
  });
});
