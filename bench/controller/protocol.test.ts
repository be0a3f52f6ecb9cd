import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLine, LineBuffer, parseChildMessage, parseCommand } from './protocol.ts';

test('LineBuffer joins lines split across chunks and keeps a partial line for later', () => {
  const b = new LineBuffer();
  assert.deepEqual(b.push('{"type":"sta'), []);
  assert.deepEqual(b.push('rted","ms":1}\n{"type":"synced"'), ['{"type":"started","ms":1}']);
  assert.deepEqual(b.push(',"ms":2}\n\n'), ['{"type":"synced","ms":2}']);
  assert.deepEqual(b.push('tail'), []);
  assert.deepEqual(b.flush(), ['tail']);
  assert.deepEqual(b.flush(), []);
});

test('child messages round-trip; stray output and unknown types are not messages', () => {
  const line = formatLine({ type: 'resynced', ms: 5, seconds: 0.2, checked: 300, requeued: 0, counts: { mirrored: 300 }, memory: { heapUsed: 1, heapTotal: 2, external: 3, arrayBuffers: 4 }, cpuSeconds: 1 });
  assert.ok(line.endsWith('\n'));
  assert.equal(parseChildMessage(line)?.type, 'resynced');
  assert.equal(parseChildMessage('(node:1) Warning: something'), undefined);
  assert.equal(parseChildMessage('{"type":"bogus"}'), undefined);
  assert.equal(parseChildMessage('{not json'), undefined);
  assert.equal(parseChildMessage('[1]'), undefined);
});

test('commands: resync, status with a file, exit; anything else is refused with the line quoted', () => {
  assert.deepEqual(parseCommand(formatLine({ cmd: 'resync' }).trim()), { cmd: 'resync' });
  assert.deepEqual(parseCommand('{"cmd":"status","file":"/tmp/s.json"}'), { cmd: 'status', file: '/tmp/s.json' });
  assert.deepEqual(parseCommand('{"cmd":"exit","extra":1}'), { cmd: 'exit' });
  assert.throws(() => parseCommand('{"cmd":"status"}'), /not a command: "\{\\"cmd\\":\\"status\\"\}"/);
  assert.throws(() => parseCommand('resync'), /not a command: "resync"/);
});
