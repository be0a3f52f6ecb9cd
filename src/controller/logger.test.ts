import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryLogger, noopLogger, withFields } from './logger.ts';

describe('logger', () => {
  it('memoryLogger keeps lines; withFields adds bindings under the line\'s own fields', () => {
    const log = memoryLogger();
    const child = withFields(log, { source: 'nginx', target: 'a' });
    child.info({ target: 'b', digest: 'd' }, 'pushing image to target');
    child.debug({}, 'x');
    assert.deepEqual(log.records, [
      { level: 'info', message: 'pushing image to target', fields: { source: 'nginx', target: 'b', digest: 'd' } },
      { level: 'debug', message: 'x', fields: { source: 'nginx', target: 'a' } },
    ]);
    noopLogger.error({}, 'dropped');
  });
});
