import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { ConfigError } from './errors.ts';
import { expandIncludeNamespaces, namespaceListWarnings, normalizeIncludeNamespaces } from './namespaces.ts';

const CLUSTER = ['default', 'test-1', 'test-2', 'kube-system'];

describe('expandIncludeNamespaces (inventory §2.6)', () => {
  // Upstream TestValidateAndExpandNamespaces, first case.
  it('expands globs against existing namespaces and sorts the result', () => {
    assert.deepEqual(expandIncludeNamespaces(['default', 'test-*'], ['test-2', 'default', 'test-1']), {
      selection: { all: false, names: ['default', 'test-1', 'test-2'] },
      warnings: [],
    });
  });

  // Upstream TestValidateAndExpandNamespaces, second case: a missing name is an error.
  it('fails on names that do not exist, listing all of them sorted', () => {
    assert.throws(
      () => expandIncludeNamespaces(['zeta', 'default', 'missing'], CLUSTER),
      (err: unknown) =>
        err instanceof ConfigError &&
        hasCode(err, 'CONFIG_INVALID') &&
        err.key === 'includeNamespaces' &&
        err.value === 'missing, zeta' &&
        err.message.includes('"missing, zeta"'),
    );
  });

  // Upstream TestValidateAndExpandNamespaces, third case.
  it('selects every namespace for *, or when the list is empty', () => {
    assert.deepEqual(expandIncludeNamespaces(['*'], CLUSTER).selection, { all: true });
    assert.deepEqual(expandIncludeNamespaces(['default', '*'], []).selection, { all: true });
    assert.deepEqual(expandIncludeNamespaces([' ', ''], []).selection, { all: true });
  });

  // [BUG] §2.6 / §7.1 #3: upstream watched every namespace here.
  it('selects nothing when every glob matches nothing, with a warning', () => {
    const { selection, warnings } = expandIncludeNamespaces(['prod-*'], CLUSTER);
    assert.deepEqual(selection, { all: false, names: [] });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /"prod-\*" matches no namespace/);
  });

  it('skips invalid patterns (loadConfig already warned about them)', () => {
    assert.deepEqual(expandIncludeNamespaces(['test-[', 'default'], CLUSTER).selection, { all: false, names: ['default'] });
    assert.deepEqual(expandIncludeNamespaces(['test-['], CLUSTER).selection, { all: false, names: [] });
  });

  it('deduplicates names selected twice', () => {
    assert.deepEqual(expandIncludeNamespaces(['test-1', 'test-?'], CLUSTER).selection, { all: false, names: ['test-1', 'test-2'] });
  });
});

describe('normalizeIncludeNamespaces', () => {
  it('collapses to * and trims', () => {
    assert.deepEqual(normalizeIncludeNamespaces([]), ['*']);
    assert.deepEqual(normalizeIncludeNamespaces(['a', '*']), ['*']);
    assert.deepEqual(normalizeIncludeNamespaces([' a ', 'b', 'a']), ['a', 'b']);
  });
});

describe('namespaceListWarnings', () => {
  it('warns about malformed include patterns and patterns in the skip list', () => {
    const warnings = namespaceListWarnings(['test-[', 'ok-*', 'default'], 'includeNamespaces', ['kube-*', 'prod'], 'SKIP_NAMESPACES');
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /includeNamespaces entry "test-\[" is not a valid pattern/);
    assert.match(warnings[1] ?? '', /SKIP_NAMESPACES entry "kube-\*" is an exact name/);
  });
});
