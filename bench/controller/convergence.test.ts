import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convergence } from './convergence.ts';

const expected = new Set(['a:1', 'b:1']);

test('done when every expected source has a mirrored or partial job and nothing is busy or failing', () => {
  const view = convergence(
    [
      { source: 'a:1', state: 'mirrored', running: false },
      { source: 'b:1', state: 'partial', running: false },
      { source: 'b:1', state: 'mirrored', running: false },
      { source: 'a:1', state: 'skipped', running: false },
    ],
    expected,
  );
  assert.deepEqual({ covered: view.covered, busy: view.busy, failing: view.failing, done: view.done }, { covered: 2, busy: 0, failing: 0, done: true });
});

test('not done while a job is pending or running, a source is missing, or a job fails', () => {
  assert.equal(convergence([{ source: 'a:1', state: 'mirrored', running: false }], expected).done, false);
  const running = convergence([{ source: 'a:1', state: 'mirrored', running: true }, { source: 'b:1', state: 'mirrored', running: false }], expected);
  assert.equal(running.busy, 1);
  assert.equal(running.done, false);
  const pending = convergence([{ source: 'a:1', state: 'mirrored', running: false }, { source: 'b:1', state: 'mirrored', running: false }, { source: 'b:1', state: 'pending', running: false }], expected);
  assert.equal(pending.done, false);
  const failing = convergence([{ source: 'a:1', state: 'mirrored', running: false }, { source: 'b:1', state: 'mirrored', running: false }, { source: 'c:1', state: 'cooldown', running: false, lastError: 'boom' }], expected);
  assert.equal(failing.done, false);
  assert.deepEqual(failing.failures, [{ source: 'c:1', state: 'cooldown', error: 'boom' }]);
});

test('mirrored sources the cluster does not expect do not count', () => {
  const view = convergence([{ source: 'x:1', state: 'mirrored', running: false }], expected);
  assert.equal(view.covered, 0);
});
