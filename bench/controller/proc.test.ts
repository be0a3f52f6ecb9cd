import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcStatCpu, parseProcStatus, readProcMemory } from './proc.ts';

test('parseProcStatus reads VmHWM and VmRSS in bytes', () => {
  const text = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t  244140 kB\nVmRSS:\t  200000 kB\nThreads:\t11\n';
  assert.deepEqual(parseProcStatus(text), { vmHWM: 244140 * 1024, vmRSS: 200000 * 1024 });
  assert.deepEqual(parseProcStatus('Name:\tx\n'), { vmHWM: undefined, vmRSS: undefined });
});

test('parseProcStatCpu counts fields after the last parenthesis (command names may hold spaces and parentheses)', () => {
  const line = '4242 (node (my) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 1000 1000';
  assert.equal(parseProcStatCpu(line), 3);
  assert.equal(parseProcStatCpu(line, 1000), 0.3);
  assert.equal(parseProcStatCpu('garbage'), undefined);
});

test('readProcMemory of this process has a peak at least its current size; a missing pid gives nothing', () => {
  const self = readProcMemory('self');
  if (process.platform === 'linux') {
    assert.ok(self.vmHWM !== undefined && self.vmRSS !== undefined && self.vmHWM >= self.vmRSS);
    assert.deepEqual(readProcMemory(2 ** 22 + 7), {});
  }
});
