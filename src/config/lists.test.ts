import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveList, sanitizeFileList, splitEnvList } from './lists.ts';

describe('splitEnvList', () => {
  it('splits on commas, trims and drops blanks', () => {
    assert.deepEqual(splitEnvList(' alpha , beta,, ,gamma '), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(splitEnvList('   '), []);
  });
});

describe('sanitizeFileList', () => {
  it('trims and drops blanks but keeps commas inside an entry', () => {
    assert.deepEqual(sanitizeFileList([' a ', '', '  ', 'x{1,3}']), ['a', 'x{1,3}']);
  });
});

describe('resolveList', () => {
  it('lets a non-blank env value replace the file list', () => {
    assert.deepEqual(resolveList('x,y', ['z']), { values: ['x', 'y'], origin: 'env' });
  });

  it('falls back to the file on a blank env value, and to nothing without either', () => {
    assert.deepEqual(resolveList('  ', ['z']), { values: ['z'], origin: 'file' });
    assert.deepEqual(resolveList(undefined, undefined), { values: [], origin: 'default' });
    assert.deepEqual(resolveList(undefined, []), { values: [], origin: 'file' });
  });
});
