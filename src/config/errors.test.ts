import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CopycatError, hasCode } from '../internal/errors.ts';
import { ConfigError, quote } from './errors.ts';

describe('ConfigError', () => {
  it('is a CopycatError carrying code, key and value, and names both in the message', () => {
    const cause = new Error('inner');
    const err = new ConfigError('CONFIG_INVALID', 'REGISTRY_RETRY_ATTEMPTS', '0', 'must be greater than zero', { cause });
    assert.ok(err instanceof CopycatError);
    assert.ok(hasCode(err, 'CONFIG_INVALID'));
    assert.equal(err.name, 'ConfigError');
    assert.equal(err.key, 'REGISTRY_RETRY_ATTEMPTS');
    assert.equal(err.value, '0');
    assert.equal(err.cause, cause);
    assert.equal(err.message, 'invalid REGISTRY_RETRY_ATTEMPTS "0": must be greater than zero');
  });

  it('hides secret values from the message and the value field', () => {
    const err = new ConfigError('CONFIG_INVALID', 'registryCredentials[0].password', 'hunter2', 'expected text', { secret: true });
    assert.equal(err.value, undefined);
    assert.equal(err.message, 'invalid registryCredentials[0].password (value not shown): expected text');
  });

  it('says "cannot read" for unreadable files', () => {
    assert.equal(new ConfigError('CONFIG_UNREADABLE', 'CONFIG_PATH', '/c.yaml', 'EACCES').message, 'cannot read CONFIG_PATH "/c.yaml": EACCES');
  });
});

describe('quote', () => {
  it('shows blanks and cuts long values', () => {
    assert.equal(quote(' a\t'), '" a\\t"');
    assert.match(quote('x'.repeat(500)), /… \(500 characters\)$/);
  });
});
