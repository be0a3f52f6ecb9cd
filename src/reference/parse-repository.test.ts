import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceError, parseReference, parseRepository } from './index.ts';
import type { ReferenceErrorCode } from './index.ts';

const D = `sha256:${'e'.repeat(64)}`;

describe('parseRepository', () => {
  const good: [string, string, string][] = [
    ['nginx', 'docker.io', 'library/nginx'],
    ['user/app', 'docker.io', 'user/app'],
    ['index.docker.io/nginx', 'docker.io', 'library/nginx'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
    ['ghcr.io/org/app', 'ghcr.io', 'org/app'],
    ['localhost:5000/a/b', 'localhost:5000', 'a/b'],
    ['[::1]:5000/app', '[::1]:5000', 'app'],
    ['Quay.IO/org/app', 'quay.io', 'org/app'],
  ];
  for (const [input, registry, repository] of good) {
    it(`${input} -> ${registry} ${repository}`, () => {
      const repo = parseRepository(input);
      assert.deepEqual({ ...repo }, { registry, repository });
      assert.ok(Object.isFrozen(repo));
      // same normalisation as parseReference
      const ref = parseReference(input);
      assert.equal(ref.registry, repo.registry);
      assert.equal(ref.repository, repo.repository);
    });
  }

  const bad: [string, ReferenceErrorCode][] = [
    ['nginx:1.25', 'REFERENCE_INVALID'],
    [`nginx@${D}`, 'REFERENCE_INVALID'],
    [`nginx:1@${D}`, 'REFERENCE_INVALID'],
    // no "/" means Docker Hub, so ":5000" is a tag here
    ['localhost:5000', 'REFERENCE_INVALID'],
    ['', 'REFERENCE_INVALID'],
    ['e'.repeat(64), 'REFERENCE_INVALID'],
    ['https://ghcr.io/org/app', 'REFERENCE_INVALID'],
    ['Org/app', 'REFERENCE_UPPERCASE'],
    [`x/${'a'.repeat(256)}`, 'REFERENCE_NAME_TOO_LONG'],
    ['nginx:-bad', 'REFERENCE_TAG_INVALID'],
  ];
  for (const [input, code] of bad) {
    it(`rejects ${JSON.stringify(input.slice(0, 40))} with ${code}`, () => {
      assert.throws(
        () => parseRepository(input),
        (err: unknown) =>
          err instanceof ReferenceError &&
          err.code === code &&
          err.message.includes(JSON.stringify(input.slice(0, 40)).slice(0, -1)) &&
          err.message.includes('repository'),
      );
    });
  }

  it('says what it found besides the repository', () => {
    assert.throws(() => parseRepository('nginx:1'), /has a tag;/);
    assert.throws(() => parseRepository(`nginx@${D}`), /has a digest;/);
    assert.throws(() => parseRepository(`nginx:1@${D}`), /has a tag and a digest;/);
  });
});
