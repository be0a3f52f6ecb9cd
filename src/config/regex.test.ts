import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGoRegex, translateGoRegex } from './regex.ts';

describe('compileGoRegex', () => {
  it('compiles everyday patterns unchanged and without the g flag', () => {
    const re = compileGoRegex('^registry\\.gitlab\\.com/.+\\|linux/arm64$');
    assert.equal(re.flags, '');
    // Inventory §3.5 example.
    assert.ok(re.test('registry.gitlab.com/org/app:1.0.0|linux/arm64'));
    assert.ok(!re.test('registry.gitlab.com/org/app:1.0.0|linux/amd64'));
  });

  it('keeps a {m,n} quantifier intact', () => {
    const re = compileGoRegex('^a{1,3}$');
    assert.ok(re.test('aaa'));
    assert.ok(!re.test('aaaa'));
  });

  it('rewrites RE2 named groups', () => {
    const m = compileGoRegex('^legacy/(?P<rest>.*)$').exec('legacy/service');
    assert.equal(m?.groups?.rest, 'service');
  });

  it('turns a leading flag group into flags and refuses one elsewhere', () => {
    const re = compileGoRegex('(?i)^Legacy/');
    assert.equal(re.flags, 'i');
    assert.ok(re.test('LEGACY/x'));
    assert.throws(() => compileGoRegex('a(?i)b'), /only supported at the very start/);
    assert.throws(() => compileGoRegex('(?U)a+'), /no JavaScript equivalent/);
  });

  it('translates \\A, \\z and \\Q…\\E', () => {
    const anchored = compileGoRegex('\\Aab\\z');
    assert.ok(anchored.test('ab'));
    assert.ok(!anchored.test('ab\n'));
    assert.ok(!anchored.test('xab'));
    const quoted = compileGoRegex('^\\Qa.b*c\\E$');
    assert.ok(quoted.test('a.b*c'));
    assert.ok(!quoted.test('axbbc'));
  });

  it('translates POSIX classes and keeps a leading ] literal', () => {
    const re = compileGoRegex('^[[:alpha:]_]+$');
    assert.ok(re.test('ab_C'));
    assert.ok(!re.test('ab1'));
    assert.throws(() => compileGoRegex('[[:nope:]]'), /unknown POSIX class/);
    assert.ok(compileGoRegex('^[]a]+$').test(']a]'));
  });

  it('maps \\pL and \\p{Greek} to Unicode property escapes', () => {
    assert.deepEqual(translateGoRegex('\\pL\\p{Greek}'), { source: '\\p{L}\\p{Script=Greek}', flags: 'u' });
    assert.ok(compileGoRegex('^\\p{Greek}+$').test('αβ'));
  });

  it('reports invalid patterns with a short reason', () => {
    assert.throws(() => compileGoRegex('(unclosed'), (err: Error) => !err.message.includes('/(unclosed/') && /Unterminated group/.test(err.message));
    assert.throws(() => compileGoRegex('abc\\'), /trailing backslash/);
  });
});
