import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob, globMatch, hasGlobChars } from './glob.ts';

describe('glob (Go filepath.Match semantics)', () => {
  it('matches * across dots but never across a slash', () => {
    assert.equal(globMatch('*.ghcr.io', 'packages.ghcr.io'), true);
    assert.equal(globMatch('*.ghcr.io', 'a.b.ghcr.io'), true, 'filepath.Match * spans dots');
    assert.equal(globMatch('*.ghcr.io', 'ghcr.io'), false);
    assert.equal(globMatch('*.ghcr.io', 'packages.ghcr.io.evil.com'), false, 'the whole name must match');
    assert.equal(globMatch('a*', 'ab/c'), false);
    assert.equal(globMatch('*', ''), true);
    assert.equal(globMatch('**.io', 'x.io'), true);
    assert.equal(globMatch('cache-*.mirror.local', 'cache-eu.mirror.local'), true);
    assert.equal(globMatch('cache-*.mirror.local', 'edge.mirror.local'), false);
  });

  it('matches ? as exactly one character', () => {
    assert.equal(globMatch('registry?.example.com', 'registry1.example.com'), true);
    assert.equal(globMatch('registry?.example.com', 'registry.example.com'), false);
    assert.equal(globMatch('registry?.example.com', 'registry12.example.com'), false);
  });

  it('matches character classes, ranges, negation and escapes', () => {
    assert.equal(globMatch('node[0-9].local', 'node7.local'), true);
    assert.equal(globMatch('node[0-9].local', 'nodex.local'), false);
    assert.equal(globMatch('node[^0-9].local', 'nodex.local'), true);
    assert.equal(globMatch('node[^0-9].local', 'node7.local'), false);
    assert.equal(globMatch('node[abc].local', 'nodeb.local'), true);
    assert.equal(globMatch('a\\*b', 'a*b'), true);
    assert.equal(globMatch('a\\*b', 'axb'), false);
    assert.equal(globMatch('[\\]]', ']'), true);
  });

  it('refuses malformed patterns instead of never matching', () => {
    for (const bad of ['[', '[a-', '[]', '[^]', 'a\\', '[a-]', '[-a]']) {
      assert.equal(compileGlob(bad), undefined, bad);
      assert.equal(globMatch(bad, 'a'), false, bad);
    }
  });

  it('measures specificity', () => {
    const narrow = compileGlob('*.eu.mirror.local');
    const wide = compileGlob('*.mirror.local');
    assert.ok(narrow && wide);
    assert.ok(narrow.literalCount > wide.literalCount);
    assert.equal(compileGlob('a**b')?.starCount, 1);
  });

  it('tells wildcards from plain names', () => {
    assert.equal(hasGlobChars('ghcr.io'), false);
    assert.equal(hasGlobChars('*.ghcr.io'), true);
    assert.equal(hasGlobChars('reg?.io'), true);
    assert.equal(hasGlobChars('reg[12].io'), true);
  });
});
