import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import { applyPathMap, compilePathMap, translateRe2, type PathMapRule } from './path-map.ts';

const map = (path: string, rules: PathMapRule[]): string => applyPathMap(path, compilePathMap(rules));

describe('pathMap prefix rules', () => {
  it('rewrites on a segment boundary (TestNewRepoPathTransformer: old/ → new/)', () => {
    assert.equal(map('old/repo', [{ from: 'old/', to: 'new/' }]), 'new/repo');
    assert.equal(map('old/repo', [{ from: 'old', to: 'new' }]), 'new/repo');
  });

  it('does not match inside a segment: group/project leaves group/projectx alone', () => {
    assert.equal(map('group/projectx/app', [{ from: 'group/project', to: 'prod' }]), 'group/projectx/app');
  });

  it('maps the whole path, drops the prefix when `to` is empty, and an empty `from` matches everything', () => {
    assert.equal(map('group/project', [{ from: 'group/project', to: 'prod/p' }]), 'prod/p');
    assert.equal(map('group/project/app', [{ from: 'group/', to: '' }]), 'project/app');
    assert.equal(map('any/thing', [{ from: '', to: 'all' }]), 'all/any/thing');
  });

  it('uses the first matching rule only', () => {
    const rules = [{ from: 'a', to: 'first' }, { from: 'a/b', to: 'second' }];
    assert.equal(map('a/b/c', rules), 'first/b/c');
  });
});

describe('pathMap regex rules (Go ReplaceAllString semantics)', () => {
  it('rewrites with a group (TestNewRepoPathTransformer: ^legacy/(.*) → modern/$1)', () => {
    assert.equal(map('legacy/service', [{ from: '^legacy/(.*)', to: 'modern/$1', regex: true }]), 'modern/service');
  });

  it('replaces every match, not only the first', () => {
    assert.equal(map('a-b-c', [{ from: '-', to: '/', regex: true }]), 'a/b/c');
  });

  it('expands templates the Go way: ${1}x, $1x as the group named 1x, named groups, $$', () => {
    assert.equal(map('team/app', [{ from: '^(\\w+)/(\\w+)$', to: '${2}x/$1', regex: true }]), 'appx/team');
    assert.equal(map('team/app', [{ from: '^(\\w+)/(\\w+)$', to: '$1x/$2', regex: true }]), '/app');
    assert.equal(map('team/app', [{ from: '^(?P<org>\\w+)/(?P<name>\\w+)$', to: '$name/${org}', regex: true }]), 'app/team');
    assert.equal(map('a', [{ from: 'a', to: '$$1', regex: true }]), '$1');
    assert.equal(map('a', [{ from: 'a', to: 'x$', regex: true }]), 'x$');
    assert.equal(map('a', [{ from: 'a', to: '$9', regex: true }]), '');
  });

  it('does not replace an empty match right after a match, as Go does (JavaScript would)', () => {
    assert.equal(map('abc', [{ from: 'b*', to: '-', regex: true }]), '-a-c-');
  });

  it('falls through to the next rule when the regex does not match', () => {
    assert.equal(map('x/y', [{ from: '^nope', to: 'z', regex: true }, { from: 'x', to: 'w' }]), 'w/y');
  });

  it('accepts the RE2 spellings users copy from k8s-copycat configs', () => {
    assert.equal(map('Legacy/App', [{ from: '(?i)^legacy/', to: 'modern/', regex: true }]), 'modern/App');
    assert.equal(map('a.b', [{ from: '\\A(a)\\.(b)\\z', to: '$2-$1', regex: true }]), 'b-a');
    assert.equal(map('a-b', [{ from: 'a\\-b', to: 'ok', regex: true }]), 'ok');
    assert.equal(map('ab1', [{ from: '\\pL+', to: 'L', regex: true }]), 'L1');
  });

  it('uses a precompiled pattern when one is given (the config module compiles RE2 itself)', () => {
    assert.equal(map('Legacy/App', [{ from: 'ignored-when-pattern-is-set(', to: 'modern/$1', regex: true, pattern: /^legacy\/(?<rest>.*)$/i }]), 'modern/App');
    assert.equal(map('a-b-c', [{ from: '-', to: '/', regex: true, pattern: /-/ }]), 'a/b/c', 'every match is replaced although the pattern has no g flag');
    assert.equal(map('team/app', [{ from: '', to: '${name}', regex: true, pattern: /^(?<org>\w+)\/(?<name>\w+)$/ }]), 'app');
  });

  it('translates RE2 syntax only outside character classes', () => {
    assert.deepEqual(translateRe2('[\\z](?P<n>x)'), { source: '[\\z](?<n>x)', flags: '' });
    assert.deepEqual(translateRe2('(?is)a'), { source: 'a', flags: 'is' });
  });

  it('refuses a regex that does not compile, and RE2 flags JavaScript lacks, with PATH_MAP_INVALID', () => {
    for (const from of ['(', '[a-', '(?U)a+', 'a{2,1}']) {
      assert.throws(() => compilePathMap([{ from, to: '', regex: true }]), (err) => hasCode(err, 'PATH_MAP_INVALID') && err.message.includes(JSON.stringify(from)), from);
    }
  });
});
