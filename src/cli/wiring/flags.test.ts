import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { normalizeGoFlags, parseGoBool } from './flags.ts';

describe('parseGoBool', () => {
  it("accepts every strconv.ParseBool spelling and nothing else", () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true, t);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f), false, f);
    for (const bad of ['yes', 'on', 'tRuE', '', ' true']) assert.throws(() => parseGoBool(bad), InvalidArgumentError, JSON.stringify(bad));
  });
});

describe('normalizeGoFlags', () => {
  const known = new Set(['leader-elect', 'kubeconfig', 'metrics-bind-address']);

  it('turns single-dash long flags into double-dash ones, with or without a value', () => {
    assert.deepEqual(normalizeGoFlags(['-leader-elect=false', '-kubeconfig', '/k', '--metrics-bind-address=:8080'], known), [
      '--leader-elect=false',
      '--kubeconfig',
      '/k',
      '--metrics-bind-address=:8080',
    ]);
  });

  it('leaves unknown flags, short flags, values and everything after -- alone', () => {
    assert.deepEqual(normalizeGoFlags(['-unknown', '-h', '-', 'value', '--', '-kubeconfig'], known), ['-unknown', '-h', '-', 'value', '--', '-kubeconfig']);
  });
});
