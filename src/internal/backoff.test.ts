import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, parseRetryAfter } from './backoff.ts';

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 1_000 };

  it('grows exponentially and is capped at maxMs (jitter at its midpoint)', () => {
    const mid = (): number => 0.5;
    assert.deepEqual([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, opts, mid)), [100, 200, 400, 800, 1000, 1000]);
  });

  it('stays within base ± jitter for the extreme random values', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const base = Math.min(1_000, 100 * 2 ** attempt);
      const low = backoffDelay(attempt, opts, () => 0);
      const high = backoffDelay(attempt, opts, () => 0.999999);
      assert.equal(low, Math.round(base * 0.8), `attempt ${attempt} low`);
      assert.ok(high <= Math.round(base * 1.2) && high >= Math.round(base * 1.2) - 1, `attempt ${attempt} high ${high}`);
    }
  });

  it('keeps random delays inside the bounds', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(i % 6, opts);
      assert.ok(d >= 80 && d <= 1200, `delay ${d}`);
    }
  });

  it('is deterministic without jitter and honours a custom factor', () => {
    assert.equal(backoffDelay(2, { initialMs: 10, maxMs: 10_000, factor: 3, jitter: 0 }, () => 0.9), 90);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('1', now), 1_000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('0', now), 0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now), 0);
    // The obsolete rfc850 form RFC 9110 §5.6.7 still requires recipients to accept.
    assert.equal(parseRetryAfter('Wednesday, 01-Jan-25 00:01:00 GMT', now), 60_000);
  });

  it('returns undefined for absent or junk values', () => {
    for (const junk of [undefined, null, '', '   ', 'soon', '-5', '1.5', '5s']) {
      assert.equal(parseRetryAfter(junk, now), undefined, JSON.stringify(junk));
    }
  });
});
