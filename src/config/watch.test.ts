import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWatchResources } from './watch.ts';

describe('parseWatchResources', () => {
  // Upstream TestParseWatchResources (inventory §6.5), both cases.
  it('parses case-insensitively, dropping duplicates, keeping order', () => {
    assert.deepEqual(parseWatchResources(['Pods', 'deployments', 'pods', 'DaemonSets']), { parsed: ['pods', 'deployments', 'daemonsets'], invalid: [] });
  });

  it('returns unknown entries raw and skips blanks', () => {
    assert.deepEqual(parseWatchResources(['unknown', '']), { parsed: [], invalid: ['unknown'] });
    assert.deepEqual(parseWatchResources([' Jobs ', 'Deployment']), { parsed: ['jobs'], invalid: ['Deployment'] });
  });
});
