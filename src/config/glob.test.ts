import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob, isGlob } from './glob.ts';

describe('isGlob', () => {
  it('is true for *, ? and [', () => {
    assert.deepEqual(['test-*', 'a?', 'x[12]', 'default'].map(isGlob), [true, true, true, false]);
  });
});

describe('compileGlob (Go path.Match)', () => {
  it('matches like path.Match', () => {
    assert.ok(compileGlob('test-*').test('test-1'));
    assert.ok(compileGlob('test-*').test('test-'));
    assert.ok(!compileGlob('test-*').test('prod-test-1'));
    assert.ok(compileGlob('team-?').test('team-a'));
    assert.ok(!compileGlob('team-?').test('team-ab'));
    assert.ok(compileGlob('ns-[a-c]').test('ns-b'));
    assert.ok(!compileGlob('ns-[a-c]').test('ns-d'));
    assert.ok(compileGlob('ns-[^a-c]').test('ns-d'));
    assert.ok(compileGlob('a\\*b').test('a*b'));
    assert.ok(!compileGlob('a\\*b').test('axb'));
    assert.ok(!compileGlob('*').test('a/b'), '* does not cross /');
  });

  it('treats regex characters literally', () => {
    assert.ok(compileGlob('a.b').test('a.b'));
    assert.ok(!compileGlob('a.b').test('axb'));
  });

  // Upstream TestMatchNamespacePatternInvalid: "test-[" is a bad pattern.
  it('refuses the patterns Go reports as ErrBadPattern', () => {
    for (const bad of ['test-[', '[]', '[-a]', '[a-]', 'a\\', '[a']) assert.throws(() => compileGlob(bad), Error, bad);
  });

  it('accepts an inverted range, which matches nothing (as Go)', () => {
    assert.ok(!compileGlob('[z-a]').test('m'));
  });
});
