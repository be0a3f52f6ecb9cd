import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, DEFAULT_LEADER_TIMINGS, releaseSpec, validateTimings } from './leader.ts';
import { formatMicroTime, parseMicroTime } from './lease.ts';
import type { LeaseSpec } from './types.ts';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const opts = { leaseDurationSeconds: 15 };
const held = (holder: string, extra: Partial<LeaseSpec> = {}): LeaseSpec => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: formatMicroTime(T0 - 60_000),
  renewTime: formatMicroTime(T0 - 1_000),
  leaseTransitions: 3,
  ...extra,
});

describe('decide', () => {
  it('acquires a missing lease with transitions 0 and both times now', () => {
    const d = decide(undefined, 'me', T0, T0, opts);
    assert.deepEqual(d, { action: 'acquire', spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2025-03-01T10:00:00.000000Z', renewTime: '2025-03-01T10:00:00.000000Z', leaseTransitions: 0 } });
  });

  it('renews its own lease, keeping acquireTime and transitions', () => {
    const d = decide(held('me'), 'me', T0, T0 - 1_000, opts);
    assert.equal(d.action, 'renew');
    assert.ok(d.action === 'renew');
    assert.equal(d.spec.acquireTime, held('me').acquireTime);
    assert.equal(d.spec.leaseTransitions, 3);
    assert.equal(d.spec.renewTime, formatMicroTime(T0));
  });

  it('follows a live lease of another holder, counting from its own observation', () => {
    const d = decide(held('other'), 'me', T0, T0 - 5_000, opts);
    assert.deepEqual(d, { action: 'follow', holder: 'other', expiresAt: T0 + 10_000 });
  });

  it('ignores renewTime (clock skew): a lease observed just now is live even if renewTime is ancient', () => {
    const d = decide(held('other', { renewTime: formatMicroTime(T0 - 3_600_000) }), 'me', T0, T0, opts);
    assert.equal(d.action, 'follow');
  });

  it('takes over once the holder’s own duration passed since we observed it, bumping transitions', () => {
    const d = decide(held('other', { leaseDurationSeconds: 5 }), 'me', T0, T0 - 5_000, opts);
    assert.equal(d.action, 'acquire');
    assert.ok(d.action === 'acquire');
    assert.equal(d.spec.holderIdentity, 'me');
    assert.equal(d.spec.leaseTransitions, 4);
    assert.equal(d.spec.acquireTime, formatMicroTime(T0));
    // One millisecond earlier it is still the other's.
    assert.equal(decide(held('other', { leaseDurationSeconds: 5 }), 'me', T0 - 1, T0 - 5_000, opts).action, 'follow');
  });

  it('takes a released lease (empty holder) at once', () => {
    const d = decide(releaseSpec(held('other'), T0), 'me', T0, T0, opts);
    assert.equal(d.action, 'acquire');
    assert.ok(d.action === 'acquire');
    assert.equal(d.spec.leaseTransitions, 4);
  });

  it('uses our duration when the lease has none', () => {
    const d = decide(held('other', { leaseDurationSeconds: undefined }), 'me', T0, T0 - 14_000, opts);
    assert.deepEqual(d, { action: 'follow', holder: 'other', expiresAt: T0 + 1_000 });
  });
});

describe('releaseSpec', () => {
  it('clears the holder, sets a 1 s duration and keeps transitions (client-go release)', () => {
    assert.deepEqual(releaseSpec(held('me'), T0), { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: formatMicroTime(T0), renewTime: formatMicroTime(T0), leaseTransitions: 3 });
  });
});

describe('validateTimings', () => {
  it('accepts client-go’s defaults and short test timings', () => {
    validateTimings(DEFAULT_LEADER_TIMINGS);
    validateTimings({ leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 500 });
  });

  it('refuses inconsistent timings with KUBE_LEADER_CONFIG_INVALID', () => {
    const bad = [
      { leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
      { leaseDurationMs: 15_000, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 },
      { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 0 },
      { leaseDurationMs: Number.NaN, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    ];
    for (const t of bad) assert.throws(() => validateTimings(t), { code: 'KUBE_LEADER_CONFIG_INVALID' }, JSON.stringify(t));
  });
});

describe('MicroTime', () => {
  it('formats exactly six fractional digits in UTC and parses back', () => {
    const ms = Date.parse('2025-03-01T10:00:00.123Z');
    assert.equal(formatMicroTime(ms), '2025-03-01T10:00:00.123000Z');
    assert.equal(parseMicroTime(formatMicroTime(ms)), ms);
    assert.equal(parseMicroTime('2025-03-01T10:00:00Z'), Date.parse('2025-03-01T10:00:00Z'));
    assert.equal(parseMicroTime(''), undefined);
    assert.equal(parseMicroTime('yesterday'), undefined);
  });
});
