import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alternate, scenarioResult, type RunSample, type Tool } from './series.ts';

const sample = (run: number, seconds: number, peakRssBytes?: number): RunSample => ({ run, seconds, peakRssBytes });

test('alternate rotates which tool goes first each round', async () => {
  const order: string[] = [];
  await alternate(3, ['copycat', 'skopeo', 'copycat-tuned'], async (tool: Tool, run) => {
    order.push(`${run}:${tool}`);
    return sample(run, 1);
  });
  assert.deepEqual(order, ['0:copycat', '0:skopeo', '0:copycat-tuned', '1:skopeo', '1:copycat-tuned', '1:copycat', '2:copycat-tuned', '2:copycat', '2:skopeo']);
});

test('a ratio target passes on the median ratio, not the best run', () => {
  const base = { id: 'x', title: 'x', workload: 'w', target: { kind: 'ratio', max: 0.8 } as const };
  const pass = scenarioResult(base, { copycat: [sample(0, 1), sample(1, 9), sample(2, 1.5)], skopeo: [sample(0, 2), sample(1, 2), sample(2, 2)] });
  assert.equal(pass.ratio, 0.75);
  assert.equal(pass.pass, true);
  const miss = scenarioResult(base, { copycat: [sample(0, 0.1), sample(1, 1.7), sample(2, 1.8)], skopeo: [sample(0, 2), sample(1, 2), sample(2, 2)] });
  assert.equal(miss.pass, false);
});

test('an RSS target judges the largest peak over the runs, and needs a measurement', () => {
  const base = { id: 'x', title: 'x', workload: 'w', target: { kind: 'rss', maxBytes: 150e6 } as const };
  const skopeo = [sample(0, 1, 20e6)];
  assert.equal(scenarioResult(base, { copycat: [sample(0, 1, 100e6), sample(1, 1, 140e6)], skopeo }).pass, true);
  assert.equal(scenarioResult(base, { copycat: [sample(0, 1, 100e6), sample(1, 1, 151e6)], skopeo }).pass, false);
  assert.equal(scenarioResult(base, { copycat: [sample(0, 1)], skopeo }).pass, false);
});

test('the tuned variant is judged separately and never changes the verdict', () => {
  const base = { id: 'x', title: 'x', workload: 'w', target: { kind: 'ratio', max: 0.5 } as const };
  const r = scenarioResult(base, { copycat: [sample(0, 2)], skopeo: [sample(0, 2)], 'copycat-tuned': [sample(0, 0.5)] });
  assert.equal(r.pass, false);
  assert.equal(r.tuned?.ratio, 0.25);
  assert.equal(r.tuned?.pass, true);
});
