import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INDEX_PLATFORM_SETS, isMultiArch, planImages, planSize } from './image-plan.ts';

test('300 images: half indexes, interleaved, unique repositories, amd64 and arm64 in every index', () => {
  const specs = planImages({ count: 300 });
  assert.equal(specs.length, 300);
  assert.equal(specs.filter((s) => isMultiArch(s.kind)).length, 150);
  assert.equal(new Set(specs.map((s) => s.repo)).size, 300);
  assert.ok(isMultiArch(specs[0]!.kind) && !isMultiArch(specs[1]!.kind), 'indexes and single-arch images alternate');
  for (const s of specs.filter((x) => isMultiArch(x.kind))) {
    assert.ok(s.platforms.includes('linux/amd64') && s.platforms.includes('linux/arm64'), `${s.repo}: ${s.platforms.join(',')}`);
    assert.ok(s.platforms.length >= 2 && s.platforms.length <= 4);
    assert.ok(s.attestations <= s.platforms.length);
    if (s.kind === 'docker-list') assert.equal(s.attestations, 0, 'Docker manifest lists carry no attestations');
    assert.equal(s.base, undefined);
  }
  for (const s of specs.filter((x) => !isMultiArch(x.kind))) {
    assert.deepEqual(s.platforms, ['linux/amd64']);
    assert.ok(s.base !== undefined && s.base >= 0 && s.base < 5);
  }
  assert.deepEqual(new Set(specs.map((s) => s.kind)), new Set(['oci-index', 'docker-list', 'oci-image', 'docker-image']));
});

test('every platform set and attestation variant appears; the plan is deterministic', () => {
  const specs = planImages({ count: 60, indexes: 40 });
  const sets = new Set(specs.filter((s) => isMultiArch(s.kind)).map((s) => s.platforms.join(',')));
  assert.equal(sets.size, INDEX_PLATFORM_SETS.length);
  const oci = specs.filter((s) => s.kind === 'oci-index');
  assert.ok(oci.some((s) => s.attestations === 0) && oci.some((s) => s.attestations > 0 && s.attestations < s.platforms.length) && oci.some((s) => s.attestations === s.platforms.length));
  assert.deepEqual(planImages({ count: 60, indexes: 40 }), specs);
  // Once single-arch images run out, the rest are indexes.
  assert.ok(specs.slice(-20).every((s) => isMultiArch(s.kind)));
});

test('planSize counts indexes, platform images and attestations', () => {
  const specs = planImages({ count: 4, indexes: 2 });
  const size = planSize(specs);
  assert.equal(size.indexes, 2);
  assert.equal(size.singles, 2);
  assert.equal(size.platformImages, specs.reduce((a, s) => a + s.platforms.length, 0));
  assert.equal(size.attestations, specs.reduce((a, s) => a + s.attestations, 0));
});

test('impossible counts are refused, naming the value', () => {
  assert.throws(() => planImages({ count: 0 }), /positive whole number, got 0/);
  assert.throws(() => planImages({ count: 3, indexes: 4 }), /between 0 and 3, got 4/);
});
