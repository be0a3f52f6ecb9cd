import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandNamespaces, isNamespacePattern, matchNamespacePattern, selectsAllNamespaces } from './namespaces.ts';

const cluster = ['default', 'test-1', 'test-2', 'prod'];

describe('expandNamespaces', () => {
  // k8s-copycat TestValidateAndExpandNamespaces (§6.2).
  it('expands globs against existing namespaces and sorts the result', () => {
    const e = expandNamespaces(['test-*', 'default'], cluster);
    assert.deepEqual(e.scope, ['default', 'test-1', 'test-2']);
    assert.deepEqual(e.missing, []);
  });

  it('reports missing plain names, sorted and de-duplicated', () => {
    assert.deepEqual(expandNamespaces(['zeta', 'missing', 'default', 'missing'], cluster).missing, ['missing', 'zeta']);
  });

  it('means all namespaces for *, an empty or blank selection', () => {
    assert.equal(expandNamespaces(['*'], cluster).scope, '*');
    assert.equal(expandNamespaces(['prod', ' * '], cluster).scope, '*');
    assert.equal(expandNamespaces([], cluster).scope, '*');
    assert.equal(expandNamespaces(['  '], cluster).scope, '*');
    assert.equal(selectsAllNamespaces([' ', '']), true);
    assert.equal(selectsAllNamespaces(['prod']), false);
  });

  it('skips invalid and unmatched patterns, and an all-unmatched selection watches nothing (deliberate, §2.6 bug)', () => {
    const e = expandNamespaces(['dev-*', 'test-['], cluster);
    assert.deepEqual(e.scope, []);
    assert.deepEqual(e.unmatchedPatterns, ['dev-*']);
    assert.equal(e.invalidPatterns[0]?.pattern, 'test-[');
    assert.equal(e.invalidPatterns[0]?.error.code, 'KUBE_NAMESPACE_PATTERN_INVALID');
  });
});

describe('matchNamespacePattern', () => {
  // k8s-copycat TestMatchNamespacePatternInvalid (§6.2).
  it('throws for a malformed pattern', () => {
    assert.throws(() => matchNamespacePattern('test-[', 'test-1'), { code: 'KUBE_NAMESPACE_PATTERN_INVALID' });
    for (const bad of ['[]', '[-a]', 'a\\']) assert.throws(() => matchNamespacePattern(bad, 'a'), { code: 'KUBE_NAMESPACE_PATTERN_INVALID' }, bad);
  });

  it('follows Go path.Match: * ? classes, negation with ^, escapes, literal dots', () => {
    const yes: Array<[string, string]> = [['test-*', 'test-1'], ['t?st', 'test'], ['[a-c]x', 'bx'], ['[^a-c]x', 'dx'], ['a\\*', 'a*'], ['team-[0-9][0-9]', 'team-42'], ['*', 'anything']];
    const no: Array<[string, string]> = [['test-*', 'prod'], ['[^a-c]x', 'ax'], ['x.y', 'xzy'], ['t?st', 'tst'], ['[z-a]', 'm']];
    for (const [p, n] of yes) assert.equal(matchNamespacePattern(p, n), true, `${p} ~ ${n}`);
    for (const [p, n] of no) assert.equal(matchNamespacePattern(p, n), false, `${p} !~ ${n}`);
  });

  it('treats entries with * ? [ as patterns', () => {
    assert.deepEqual(['a*', 'b?', 'c[', 'plain'].map(isNamespacePattern), [true, true, true, false]);
  });
});
