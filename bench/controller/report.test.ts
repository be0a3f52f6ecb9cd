import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTargets, DEFAULT_LIMITS, renderReport, type ModeResult } from './report.ts';
import { summariseRequests } from './requests.ts';

const phase = (perImage: number) => ({ source: summariseRequests([], 300), target: summariseRequests([], 300), total: Math.round(perImage * 300), perImage, topShapes: [], nonSuccess: {}, perRepository: {} });

test('targets: ≤ 1 request per unique image and ≤ 250 MB pass at the limit, miss above it or when unmeasured', () => {
  const at = checkTargets({ resync: { ...phase(1), seconds: 1, checked: 300, requeued: 0 }, memory: { peakRssBytes: 250e6 } }, DEFAULT_LIMITS);
  assert.deepEqual(at.map((t) => t.pass), [true, true]);
  const over = checkTargets({ resync: { ...phase(1.217), seconds: 1, checked: 365, requeued: 0 }, memory: { peakRssBytes: 250e6 + 1 } }, DEFAULT_LIMITS);
  assert.deepEqual(over.map((t) => t.pass), [false, false]);
  assert.deepEqual(checkTargets({}, DEFAULT_LIMITS).map((t) => t.pass), [false, false]);
});

test('the report shows PASS, MISS and ERROR per mode', () => {
  const ok: ModeResult = { mode: 'tag', title: 'tag pulls', seconds: { started: 1, synced: 2, converged: 30 }, resync: { ...phase(1), seconds: 0.5, checked: 300, requeued: 0 }, memory: { peakRssBytes: 300e6 }, targets: [], notes: ['a note'] };
  ok.targets = checkTargets(ok, DEFAULT_LIMITS);
  const broken: ModeResult = { mode: 'digest', title: 'digest pulls', targets: checkTargets({}, DEFAULT_LIMITS), notes: [], error: 'no "converged" within 240 s' };
  const text = renderReport([ok, broken], DEFAULT_LIMITS, '5000 pods');
  const [header, , row1, row2] = text.split('\n');
  assert.match(header!, /resync req\/img \(≤ 1\)/);
  assert.match(row1!, /^tag .*\| 1\.000 .*\| PASS .*\| 300\.0 MB .*\| MISS/);
  assert.match(row2!, /^digest .*\| ERROR .*\| ERROR/);
  assert.match(text, /note: a note/);
  assert.match(text, /ERROR: no "converged" within 240 s/);
});
