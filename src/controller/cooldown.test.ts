import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureCooldown, RegistryBackoff } from './cooldown.ts';

const HOUR = 3_600_000;

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('FailureCooldown (§3.13)', () => {
  it('TestBeginProcessingSkipsDuringCooldown: failed 30 min ago with a 1 h cooldown → retry at failedAt + 1 h', () => {
    const c = clock();
    const cd = new FailureCooldown(HOUR, c.now);
    const failedAt = c.now();
    assert.equal(cd.fail('t'), failedAt + HOUR);
    c.advance(HOUR / 2);
    assert.equal(cd.check('t'), failedAt + HOUR);
  });

  it('TestBeginProcessingAllowsAfterCooldown: failed 2 h ago → allowed and the entry removed', () => {
    const c = clock();
    const cd = new FailureCooldown(HOUR, c.now);
    cd.fail('t');
    c.advance(2 * HOUR);
    assert.equal(cd.check('t'), undefined);
    assert.equal(cd.size, 0);
  });

  it('TestFailureResultRecordsState / WithoutCooldown: a failure is recorded only when enabled', () => {
    const c = clock();
    assert.equal(new FailureCooldown(HOUR, c.now).fail('t'), c.now() + HOUR);
    const off = new FailureCooldown(0, c.now);
    assert.equal(off.fail('t'), undefined);
    assert.equal(off.size, 0);
    assert.equal(off.check('t'), undefined);
    assert.equal(new FailureCooldown(-5).enabled, false);
  });

  it('TestResetCooldown: (2, true), then (0, true); disabled → (0, false)', () => {
    const cd = new FailureCooldown(HOUR);
    cd.fail('a');
    cd.fail('b');
    assert.deepEqual(cd.reset(), { cleared: 2, enabled: true });
    assert.deepEqual(cd.reset(), { cleared: 0, enabled: true });
    assert.deepEqual(new FailureCooldown(0).reset(), { cleared: 0, enabled: false });
  });

  it('succeed forgets; prune drops expired entries; keys are independent', () => {
    const c = clock();
    const cd = new FailureCooldown(HOUR, c.now);
    cd.fail('a');
    cd.fail('b');
    cd.succeed('a');
    assert.equal(cd.check('a'), undefined);
    assert.notEqual(cd.check('b'), undefined);
    c.advance(HOUR);
    cd.prune();
    assert.equal(cd.size, 0);
  });
});

describe('RegistryBackoff', () => {
  it('a 429 holds the registry for Retry-After, capped', () => {
    const c = clock();
    const b = new RegistryBackoff({ now: c.now, maxMs: 60_000 });
    assert.equal(b.throttled('Docker.io', 5_000), 5_000);
    assert.equal(b.remaining('docker.io'), 5_000);
    assert.equal(b.reason('docker.io'), 'Retry-After');
    c.advance(5_000);
    assert.equal(b.remaining('docker.io'), 0);
    assert.equal(b.throttled('docker.io', 10 * 60_000), 60_000);
  });

  it('429s without Retry-After double from the initial wait; clear() after the hold forgets the strikes', () => {
    const c = clock();
    const b = new RegistryBackoff({ now: c.now, initialMs: 1_000, maxMs: 10_000 });
    assert.equal(b.throttled('r'), 1_000);
    assert.equal(b.throttled('r'), 2_000);
    assert.equal(b.throttled('r'), 4_000);
    b.clear('r');
    assert.equal(b.remaining('r'), 4_000, 'clear does not lift a hold in force');
    c.advance(4_000);
    b.clear('r');
    assert.equal(b.throttled('r'), 1_000);
  });

  it('RateLimit-Remaining: 0 holds for the window (capped); a budget left changes nothing', () => {
    const c = clock();
    const b = new RegistryBackoff({ now: c.now, maxMs: 15 * 60_000 });
    assert.equal(b.rateLimit('docker.io', { limit: 100, remaining: 3, windowSeconds: 21600 }), undefined);
    assert.equal(b.remaining('docker.io'), 0);
    assert.equal(b.rateLimit('docker.io', { limit: 100, remaining: 0, windowSeconds: 60 }), 60_000);
    assert.equal(b.rateLimit('docker.io', { remaining: 0, windowSeconds: 60 }), undefined, 'already held');
    c.advance(60_000);
    assert.equal(b.rateLimit('docker.io', { remaining: 0, windowSeconds: 21600 }), 15 * 60_000);
    assert.equal(b.reason('docker.io'), 'RateLimit-Remaining: 0');
  });
});
