import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregatedProbe, runCheck, singleProbe } from './probe.ts';

const q = (s = ''): URLSearchParams => new URLSearchParams(s);

describe('aggregatedProbe (controller-runtime healthz.Handler wording)', () => {
  it('answers a bare "ok" when healthy', () => {
    assert.deepEqual(aggregatedProbe('healthz', { ok: true }, q()), { status: 200, body: 'ok' });
  });
  it('lists the check with ?verbose', () => {
    assert.deepEqual(aggregatedProbe('readyz', { ok: true }, q('verbose')), { status: 200, body: '[+]readyz ok\nhealthz check passed\n' });
  });
  it('is always verbose on failure and withholds the reason', () => {
    assert.deepEqual(aggregatedProbe('readyz', { ok: false }, q()), { status: 500, body: '[-]readyz failed: reason withheld\nhealthz check failed\n' });
  });
  it('skips an excluded check and warns about unknown ones', () => {
    assert.deepEqual(aggregatedProbe('healthz', { ok: false }, q('exclude=healthz')), { status: 200, body: 'ok' });
    assert.deepEqual(aggregatedProbe('healthz', { ok: false }, q('exclude=healthz&exclude=nope&verbose')), {
      status: 200,
      body: '[+]healthz excluded: ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nhealthz check passed\n',
    });
  });
});

describe('singleProbe', () => {
  it('answers ok, or 500 with the error text', () => {
    assert.deepEqual(singleProbe('healthz', { ok: true }), { status: 200, body: 'ok' });
    assert.deepEqual(singleProbe('healthz', { ok: false, error: new Error('watch for pods stalled') }), { status: 500, body: 'internal server error: watch for pods stalled\n' });
    assert.deepEqual(singleProbe('readyz', { ok: false }), { status: 500, body: 'internal server error: check "readyz" failed\n' });
  });
});

describe('runCheck', () => {
  it('turns throws, rejections and non-true values into failures', async () => {
    const boom = new Error('boom');
    assert.deepEqual(await runCheck(() => true), { ok: true });
    assert.deepEqual(await runCheck(async () => true), { ok: true });
    assert.deepEqual(await runCheck(() => false), { ok: false });
    assert.deepEqual(await runCheck(() => { throw boom; }), { ok: false, error: boom });
    assert.deepEqual(await runCheck(() => Promise.reject(boom)), { ok: false, error: boom });
  });
});
