import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceError, parseReference, withDigest, withTag } from './index.ts';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('Reference objects', () => {
  it('are frozen: assigning a field throws and changes nothing', () => {
    const ref = parseReference('nginx:1.25');
    assert.ok(Object.isFrozen(ref));
    assert.throws(() => {
      (ref as { tag?: string }).tag = 'evil';
    }, TypeError);
    assert.equal(ref.tag, '1.25');
  });

  it('leave tag and digest undefined when none was written (no latest default)', () => {
    const ref = parseReference('nginx');
    assert.equal(ref.tag, undefined);
    assert.equal(ref.digest, undefined);
    assert.equal(ref.toString(), 'docker.io/library/nginx');
  });

  it('use toString() in templates and String()', () => {
    const ref = parseReference(`ghcr.io/x/y:1@${D1}`);
    assert.equal(String(ref), `ghcr.io/x/y:1@${D1}`);
    assert.equal(`${ref}`, `ghcr.io/x/y:1@${D1}`);
  });

  it('keep the full form in familiar() when the short one would not parse back', () => {
    const hex = 'a'.repeat(64);
    assert.equal(parseReference(`docker.io/${hex}`).familiar(), `docker.io/library/${hex}`);
    assert.equal(parseReference(`docker.io/library/sha256:${hex}`).familiar(), `docker.io/library/sha256:${hex}`);
    // with a tag the short form is unambiguous again
    assert.equal(parseReference(`docker.io/${hex}:1`).familiar(), `${hex}:1`);
  });
});

describe('withTag', () => {
  it('adds, replaces and removes the tag, keeping the digest', () => {
    const base = parseReference(`nginx@${D1}`);
    const tagged = withTag(base, '1.25');
    assert.equal(tagged.toString(), `docker.io/library/nginx:1.25@${D1}`);
    assert.equal(withTag(tagged, 'latest').familiar(), `nginx:latest@${D1}`);
    assert.equal(withTag(tagged, undefined).toString(), `docker.io/library/nginx@${D1}`);
  });

  it('returns a new frozen reference and leaves the original alone', () => {
    const base = parseReference('localhost:5000/app:1');
    const next = withTag(base, '2');
    assert.notEqual(next, base);
    assert.ok(Object.isFrozen(next));
    assert.equal(base.tag, '1');
    assert.equal(next.tag, '2');
    assert.equal(next.registry, 'localhost:5000');
    assert.equal(next.repository, 'app');
  });

  for (const bad of ['', '-x', '.x', 'a:b', 'a/b', 'x'.repeat(129)]) {
    it(`rejects tag ${JSON.stringify(bad.slice(0, 20))} with REFERENCE_TAG_INVALID`, () => {
      assert.throws(
        () => withTag(parseReference('nginx'), bad),
        (err: unknown) =>
          err instanceof ReferenceError &&
          err.code === 'REFERENCE_TAG_INVALID' &&
          err.message.includes(JSON.stringify(bad.slice(0, 20)).slice(0, -1)),
      );
    });
  }

  it('accepts mixed case and 128-character tags', () => {
    assert.equal(withTag(parseReference('nginx'), 'TAG5').tag, 'TAG5');
    assert.equal(withTag(parseReference('nginx'), 'y'.repeat(128)).tag, 'y'.repeat(128));
  });
});

describe('withDigest', () => {
  it('adds, replaces and removes the digest, keeping the tag', () => {
    const base = parseReference('user/app:v1');
    const pinned = withDigest(base, D1);
    assert.equal(pinned.toString(), `docker.io/user/app:v1@${D1}`);
    assert.equal(withDigest(pinned, D2).digest, D2);
    assert.equal(withDigest(pinned, undefined).toString(), 'docker.io/user/app:v1');
    assert.equal(base.digest, undefined);
  });

  it('accepts sha512 and unregistered algorithms that fit the grammar', () => {
    const ref = parseReference('nginx');
    assert.equal(withDigest(ref, `sha512:${'f'.repeat(128)}`).digest, `sha512:${'f'.repeat(128)}`);
    assert.equal(withDigest(ref, `blake3:${'c'.repeat(64)}`).digest, `blake3:${'c'.repeat(64)}`);
  });

  for (const bad of ['', 'foo', `sha256:${'1'.repeat(63)}`, `sha256:${'A'.repeat(64)}`, `SHA256:${'1'.repeat(64)}`, '1'.repeat(64)]) {
    it(`rejects digest ${JSON.stringify(bad.slice(0, 20))} with REFERENCE_DIGEST_INVALID`, () => {
      assert.throws(
        () => withDigest(parseReference('nginx:1'), bad),
        (err: unknown) =>
          err instanceof ReferenceError &&
          err.code === 'REFERENCE_DIGEST_INVALID' &&
          err.message.includes(JSON.stringify(bad.slice(0, 20)).slice(0, -1)),
      );
    });
  }
});
