import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CopycatError } from '../internal/errors.ts';
import { ReferenceError } from './index.ts';
import { quote } from './errors.ts';

describe('ReferenceError', () => {
  it('is a CopycatError with code, name and cause', () => {
    const cause = new Error('inner');
    const err = new ReferenceError('REFERENCE_TAG_INVALID', 'bad tag', { cause });
    assert.ok(err instanceof CopycatError);
    assert.ok(err instanceof Error);
    assert.equal(err.code, 'REFERENCE_TAG_INVALID');
    assert.equal(err.name, 'ReferenceError');
    assert.equal(err.message, 'bad tag');
    assert.equal(err.cause, cause);
  });
});

describe('quote', () => {
  it('quotes JSON-style so blanks and control characters show', () => {
    assert.equal(quote('nginx'), '"nginx"');
    assert.equal(quote(' a\tb'), '" a\\tb"');
    assert.equal(quote(''), '""');
  });

  it('cuts inputs over 300 characters and gives their length', () => {
    assert.equal(quote('x'.repeat(300)), `"${'x'.repeat(300)}"`);
    assert.equal(quote('x'.repeat(301)), `"${'x'.repeat(300)}"… (301 characters)`);
  });
});
