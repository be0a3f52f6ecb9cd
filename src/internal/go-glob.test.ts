import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGoGlob, GlobError, isGlob } from './go-glob.ts';

// The union of the matching cases of config/glob.test.ts, kube/namespaces.test.ts and
// registry/auth/keychains/glob.test.ts, which all delegate here.
const MATCHES: Array<[string, string]> = [
  ['test-*', 'test-1'],
  ['test-*', 'test-'],
  ['team-?', 'team-a'],
  ['ns-[a-c]', 'ns-b'],
  ['ns-[^a-c]', 'ns-d'],
  ['a\\*b', 'a*b'],
  ['a.b', 'a.b'],
  ['t?st', 'test'],
  ['[a-c]x', 'bx'],
  ['[^a-c]x', 'dx'],
  ['a\\*', 'a*'],
  ['team-[0-9][0-9]', 'team-42'],
  ['*', 'anything'],
  ['*', ''],
  ['*.ghcr.io', 'packages.ghcr.io'],
  ['*.ghcr.io', 'a.b.ghcr.io'],
  ['**.io', 'x.io'],
  ['cache-*.mirror.local', 'cache-eu.mirror.local'],
  ['registry?.example.com', 'registry1.example.com'],
  ['node[0-9].local', 'node7.local'],
  ['node[^0-9].local', 'nodex.local'],
  ['node[abc].local', 'nodeb.local'],
  ['[\\]]', ']'],
];

const MISMATCHES: Array<[string, string]> = [
  ['test-*', 'prod-test-1'],
  ['test-*', 'prod'],
  ['team-?', 'team-ab'],
  ['ns-[a-c]', 'ns-d'],
  ['a\\*b', 'axb'],
  ['*', 'a/b'],
  ['a.b', 'axb'],
  ['x.y', 'xzy'],
  ['[^a-c]x', 'ax'],
  ['t?st', 'tst'],
  ['[z-a]', 'm'],
  ['*.ghcr.io', 'ghcr.io'],
  ['*.ghcr.io', 'packages.ghcr.io.evil.com'],
  ['a*', 'ab/c'],
  ['cache-*.mirror.local', 'edge.mirror.local'],
  ['registry?.example.com', 'registry.example.com'],
  ['registry?.example.com', 'registry12.example.com'],
  ['node[0-9].local', 'nodex.local'],
  ['node[^0-9].local', 'node7.local'],
];

const MALFORMED = ['test-[', '[', '[a', '[a-', '[]', '[^]', '[-a]', '[a-]', 'a\\', '[\\'];

describe('compileGoGlob (Go path.Match)', () => {
  it('matches like path.Match', () => {
    for (const [p, n] of MATCHES) assert.equal(compileGoGlob(p).test(n), true, `${p} ~ ${JSON.stringify(n)}`);
    for (const [p, n] of MISMATCHES) assert.equal(compileGoGlob(p).test(n), false, `${p} !~ ${JSON.stringify(n)}`);
  });

  it('exposes an anchored RegExp that agrees with test()', () => {
    for (const [p, n] of [...MATCHES, ...MISMATCHES]) assert.equal(compileGoGlob(p).regex.test(n), compileGoGlob(p).test(n), p);
  });

  it('throws GLOB_INVALID naming the pattern for exactly what Go reports as ErrBadPattern', () => {
    for (const bad of MALFORMED) {
      assert.throws(() => compileGoGlob(bad), (err: unknown) => err instanceof GlobError && err.code === 'GLOB_INVALID' && err.pattern === bad && err.message.includes(JSON.stringify(bad)), bad);
    }
    assert.throws(() => compileGoGlob('[a'), { problem: 'unclosed-class' });
    assert.throws(() => compileGoGlob('[-a]'), { problem: 'unescaped-dash' });
    assert.throws(() => compileGoGlob('[]'), { problem: 'unescaped-bracket' });
    assert.throws(() => compileGoGlob('a\\'), { problem: 'trailing-backslash', reason: 'pattern ends with "\\"' });
  });

  it('compares class ranges by code point, as Go compares runes', () => {
    // U+FFFF sorts after the UTF-16 surrogates that encode U+1F600, but before it as a code point.
    assert.equal(compileGoGlob('[\uFFFF-\u{1F600}]').test('\u{1F000}'), true);
    assert.equal(compileGoGlob('?').test('\u{1F600}'), true, '? is one code point, not one UTF-16 unit');
  });

  it('lets a class match / unless classMatchesSlash is false', () => {
    assert.equal(compileGoGlob('a[^b]c').test('a/c'), true);
    assert.equal(compileGoGlob('a[/]c').test('a/c'), true);
    assert.equal(compileGoGlob('a[^b]c', { classMatchesSlash: false }).test('a/c'), false);
    assert.equal(compileGoGlob('a[/]c', { classMatchesSlash: false }).test('a/c'), false);
    assert.equal(compileGoGlob('a/c', { classMatchesSlash: false }).test('a/c'), true, 'a literal / still matches');
  });

  it('counts literal characters and runs of stars', () => {
    assert.equal(compileGoGlob('*.eu.mirror.local').literalCount, 16);
    assert.equal(compileGoGlob('a\\*[bc]?').literalCount, 2);
    assert.equal(compileGoGlob('a**b').starCount, 1);
    assert.equal(compileGoGlob('*\\**').starCount, 2);
  });
});

describe('isGlob', () => {
  it('is true for *, ? and [', () => {
    assert.deepEqual(['test-*', 'a?', 'x[12]', 'c[', '*.ghcr.io', 'default', 'ghcr.io'].map(isGlob), [true, true, true, true, true, false, false]);
  });
});
