import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceError, parseReference, repositoryScope } from './index.ts';

describe('repositoryScope', () => {
  const cases: [string, string[], string][] = [
    ['library/nginx', ['pull'], 'repository:library/nginx:pull'],
    ['library/nginx', ['pull', 'push'], 'repository:library/nginx:pull,push'],
    ['org/team/app', ['push', 'pull'], 'repository:org/team/app:push,pull'],
    ['a', ['pull', 'pull', 'push', 'pull'], 'repository:a:pull,push'],
    ['x/y', ['*'], 'repository:x/y:*'],
    ['x/y', ['delete'], 'repository:x/y:delete'],
  ];
  for (const [repository, actions, expected] of cases) {
    it(`${repository} ${actions.join(',')} -> ${expected}`, () => {
      assert.equal(repositoryScope(repository, actions), expected);
    });
  }

  it('takes the repository of a parsed reference', () => {
    assert.equal(repositoryScope(parseReference('nginx:1.25').repository, ['pull']), 'repository:library/nginx:pull');
  });

  const bad: [string, string[]][] = [
    ['', ['pull']],
    ['Library/nginx', ['pull']],
    ['docker.io/library/nginx:1', ['pull']],
    ['a', []],
    ['a', ['']],
    ['a', ['pull,push']],
    ['a', ['Pull']],
    ['a', ['pull push']],
  ];
  for (const [repository, actions] of bad) {
    it(`rejects ${JSON.stringify(repository)} ${JSON.stringify(actions)}`, () => {
      assert.throws(
        () => repositoryScope(repository, actions),
        (err: unknown) => err instanceof ReferenceError && err.code === 'REFERENCE_INVALID',
      );
    });
  }
});
