import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { onTerminationSignals, type SignalSource } from './signals.ts';

function source(): SignalSource & { emit(signal: NodeJS.Signals): void; count(): number } {
  const e = new EventEmitter();
  return {
    on: (s, l) => e.on(s, l),
    off: (s, l) => e.off(s, l),
    emit: (s) => void e.emit(s, s),
    count: () => e.listenerCount('SIGTERM') + e.listenerCount('SIGINT'),
  };
}

describe('onTerminationSignals', () => {
  it('shuts down on the first SIGTERM or SIGINT and forces the exit on the second', () => {
    const s = source();
    const calls: string[] = [];
    onTerminationSignals((sig) => calls.push(`shutdown ${sig}`), { source: s, forceExit: (sig) => calls.push(`force ${sig}`) });
    s.emit('SIGTERM');
    assert.deepEqual(calls, ['shutdown SIGTERM']);
    s.emit('SIGINT');
    assert.deepEqual(calls, ['shutdown SIGTERM', 'force SIGINT']);
  });

  it('removes its listeners when disposed', () => {
    const s = source();
    const dispose = onTerminationSignals(() => assert.fail('no shutdown after dispose'), { source: s, forceExit: () => assert.fail('no exit') });
    assert.equal(s.count(), 2);
    dispose();
    assert.equal(s.count(), 0);
    s.emit('SIGTERM');
  });
});
