import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CopycatError, errorMessage, hasCode, isAbortError } from './errors.ts';

class SubError extends CopycatError {}

describe('CopycatError', () => {
  it('carries code, message, cause and the subclass name', () => {
    const cause = new Error('root');
    const err = new SubError('SOME_CODE', 'what went wrong', { cause });
    assert.equal(err.code, 'SOME_CODE');
    assert.equal(err.message, 'what went wrong');
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'SubError');
    assert.ok(err instanceof CopycatError);
  });

  it('hasCode matches any of the codes and only CopycatErrors', () => {
    const err = new CopycatError('A', 'a');
    assert.ok(hasCode(err, 'B', 'A'));
    assert.equal(hasCode(err, 'B'), false);
    assert.equal(hasCode(Object.assign(new Error('x'), { code: 'A' }), 'A'), false);
  });

  it('isAbortError recognises abort and timeout reasons', () => {
    assert.ok(isAbortError(AbortSignal.abort().reason));
    assert.ok(isAbortError(new DOMException('t', 'TimeoutError')));
    assert.equal(isAbortError(new Error('plain')), false);
    assert.equal(isAbortError('AbortError'), false);
  });

  it('errorMessage never prints object fields', () => {
    assert.equal(errorMessage(new Error('m')), 'm');
    assert.equal(errorMessage({ password: 'hunter2' }), '[object Object]');
    assert.equal(errorMessage('text'), 'text');
  });
});
