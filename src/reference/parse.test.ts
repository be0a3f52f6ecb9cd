import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CopycatError, hasCode } from '../internal/errors.ts';
import { ReferenceError, parseReference } from './index.ts';
import type { Reference, ReferenceErrorCode } from './index.ts';

const HEX = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const D256 = `sha256:${HEX}`;
const D512 = `sha512:${'f'.repeat(128)}`;

interface Valid {
  input: string;
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  familiar: string;
}

// Expected values are distribution's (normalize_test.go, reference_test.go) unless a comment says why not.
const valid: Valid[] = [
  // Docker Hub defaults
  { input: 'nginx', registry: 'docker.io', repository: 'library/nginx', familiar: 'nginx' },
  { input: 'nginx:1.25', registry: 'docker.io', repository: 'library/nginx', tag: '1.25', familiar: 'nginx:1.25' },
  { input: 'user/app', registry: 'docker.io', repository: 'user/app', familiar: 'user/app' },
  { input: 'docker.io/nginx', registry: 'docker.io', repository: 'library/nginx', familiar: 'nginx' },
  { input: 'index.docker.io/nginx', registry: 'docker.io', repository: 'library/nginx', familiar: 'nginx' },
  { input: 'docker.io/library/nginx:latest', registry: 'docker.io', repository: 'library/nginx', tag: 'latest', familiar: 'nginx:latest' },
  { input: 'index.docker.io/library/debian', registry: 'docker.io', repository: 'library/debian', familiar: 'debian' },
  { input: 'library/debian', registry: 'docker.io', repository: 'library/debian', familiar: 'debian' },
  { input: 'index.docker.io/fooo/bar', registry: 'docker.io', repository: 'fooo/bar', familiar: 'fooo/bar' },
  { input: 'docker.io/library/foo/bar', registry: 'docker.io', repository: 'library/foo/bar', familiar: 'library/foo/bar' },
  { input: 'store/foo/bar', registry: 'docker.io', repository: 'store/foo/bar', familiar: 'store/foo/bar' },
  { input: 'other/library', registry: 'docker.io', repository: 'other/library', familiar: 'other/library' },
  { input: 'ubuntu-12.04-base', registry: 'docker.io', repository: 'library/ubuntu-12.04-base', familiar: 'ubuntu-12.04-base' },
  { input: 'test_com', registry: 'docker.io', repository: 'library/test_com', familiar: 'test_com' },
  { input: 'test_com/foo', registry: 'docker.io', repository: 'test_com/foo', familiar: 'test_com/foo' },
  { input: 'docker.io', registry: 'docker.io', repository: 'library/docker.io', familiar: 'docker.io' },
  { input: 'localhost', registry: 'docker.io', repository: 'library/localhost', familiar: 'localhost' },
  // The domain is case-insensitive and lowercased; so a mixed-case Docker Hub host is still Docker Hub
  // (distribution would keep "Docker.IO" as an unrelated registry).
  { input: 'Docker.IO/nginx', registry: 'docker.io', repository: 'library/nginx', familiar: 'nginx' },
  { input: 'INDEX.DOCKER.IO/user/app:v1', registry: 'docker.io', repository: 'user/app', tag: 'v1', familiar: 'user/app:v1' },
  { input: 'GHCR.io/org/app', registry: 'ghcr.io', repository: 'org/app', familiar: 'ghcr.io/org/app' },
  // registry-1.docker.io is the API host, not an alias that references normalise (as in distribution).
  { input: 'registry-1.docker.io/library/nginx', registry: 'registry-1.docker.io', repository: 'library/nginx', familiar: 'registry-1.docker.io/library/nginx' },
  // host:port is not name:tag once a "/" follows
  { input: 'localhost/app', registry: 'localhost', repository: 'app', familiar: 'localhost/app' },
  { input: 'localhost:5000/a', registry: 'localhost:5000', repository: 'a', familiar: 'localhost:5000/a' },
  { input: `localhost:5000/a:1@${D256}`, registry: 'localhost:5000', repository: 'a', tag: '1', digest: D256, familiar: `localhost:5000/a:1@${D256}` },
  { input: 'myreg.example.com:443/x/y:1', registry: 'myreg.example.com:443', repository: 'x/y', tag: '1', familiar: 'myreg.example.com:443/x/y:1' },
  { input: 'ghcr.io/x/y:1', registry: 'ghcr.io', repository: 'x/y', tag: '1', familiar: 'ghcr.io/x/y:1' },
  { input: 'test:5000/repo', registry: 'test:5000', repository: 'repo', familiar: 'test:5000/repo' },
  { input: `test:5000/repo:tag@sha256:${'f'.repeat(64)}`, registry: 'test:5000', repository: 'repo', tag: 'tag', digest: `sha256:${'f'.repeat(64)}`, familiar: `test:5000/repo:tag@sha256:${'f'.repeat(64)}` },
  { input: 'test-com:8080/foo', registry: 'test-com:8080', repository: 'foo', familiar: 'test-com:8080/foo' },
  { input: '127.0.0.1:5000/library/debian', registry: '127.0.0.1:5000', repository: 'library/debian', familiar: '127.0.0.1:5000/library/debian' },
  { input: '192.168.1.1/repo', registry: '192.168.1.1', repository: 'repo', familiar: '192.168.1.1/repo' },
  { input: '192.168.1.1:5000/repo:5050', registry: '192.168.1.1:5000', repository: 'repo', tag: '5050', familiar: '192.168.1.1:5000/repo:5050' },
  // no "/" at all: always a Docker Hub name, so a trailing ":5000" is a tag
  { input: 'test.com:5000', registry: 'docker.io', repository: 'library/test.com', tag: '5000', familiar: 'test.com:5000' },
  { input: 'test.com:tag', registry: 'docker.io', repository: 'library/test.com', tag: 'tag', familiar: 'test.com:tag' },
  { input: 'localhost:5000', registry: 'docker.io', repository: 'library/localhost', tag: '5000', familiar: 'localhost:5000' },
  { input: '192.168.1.1', registry: 'docker.io', repository: 'library/192.168.1.1', familiar: '192.168.1.1' },
  { input: '192.168.0.1:80', registry: 'docker.io', repository: 'library/192.168.0.1', tag: '80', familiar: '192.168.0.1:80' },
  { input: 'foo/foo_bar.com:8080', registry: 'docker.io', repository: 'foo/foo_bar.com', tag: '8080', familiar: 'foo/foo_bar.com:8080' },
  // IPv6 literals
  { input: '[::1]:5000/app:1', registry: '[::1]:5000', repository: 'app', tag: '1', familiar: '[::1]:5000/app:1' },
  { input: '[2001:db8::1]/app', registry: '[2001:db8::1]', repository: 'app', familiar: '[2001:db8::1]/app' },
  { input: '[2001:DB8::1]:5000/app', registry: '[2001:db8::1]:5000', repository: 'app', familiar: '[2001:db8::1]:5000/app' },
  { input: '[2001:db8:1:2:3:4:5:6]/repo:tag', registry: '[2001:db8:1:2:3:4:5:6]', repository: 'repo', tag: 'tag', familiar: '[2001:db8:1:2:3:4:5:6]/repo:tag' },
  { input: '[2001:db8::]:5000/repo', registry: '[2001:db8::]:5000', repository: 'repo', familiar: '[2001:db8::]:5000/repo' },
  { input: `[2001:db8::1]:5000/repo@${D256}`, registry: '[2001:db8::1]:5000', repository: 'repo', digest: D256, familiar: `[2001:db8::1]:5000/repo@${D256}` },
  { input: '[fc00:1:2:3:4:5:6:7]:5000/library/debian', registry: '[fc00:1:2:3:4:5:6:7]:5000', repository: 'library/debian', familiar: '[fc00:1:2:3:4:5:6:7]:5000/library/debian' },
  // names, tags and punycode
  { input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', registry: 'sub-dom1.foo.com', repository: 'bar/baz/quux', tag: 'some-long-tag', familiar: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag' },
  { input: 'b.gcr.io/test.example.com/my-app:test.example.com', registry: 'b.gcr.io', repository: 'test.example.com/my-app', tag: 'test.example.com', familiar: 'b.gcr.io/test.example.com/my-app:test.example.com' },
  { input: 'xn--n3h.com/myimage:xn--n3h.com', registry: 'xn--n3h.com', repository: 'myimage', tag: 'xn--n3h.com', familiar: 'xn--n3h.com/myimage:xn--n3h.com' },
  { input: `xn--7o8h.com/myimage:xn--7o8h.com@${D512}`, registry: 'xn--7o8h.com', repository: 'myimage', tag: 'xn--7o8h.com', digest: D512, familiar: `xn--7o8h.com/myimage:xn--7o8h.com@${D512}` },
  { input: 'dock__er/docker', registry: 'docker.io', repository: 'dock__er/docker', familiar: 'dock__er/docker' },
  { input: 'docker---rules/docker', registry: 'docker.io', repository: 'docker---rules/docker', familiar: 'docker---rules/docker' },
  { input: 'd/docker', registry: 'docker.io', repository: 'd/docker', familiar: 'd/docker' },
  { input: 'jess/t', registry: 'docker.io', repository: 'jess/t', familiar: 'jess/t' },
  { input: 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', registry: 'docker.io', repository: 'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', familiar: 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev' },
  { input: `${HEX.slice(0, 63)}`, registry: 'docker.io', repository: `library/${HEX.slice(0, 63)}`, familiar: HEX.slice(0, 63) },
  { input: 'lowercase:Uppercase', registry: 'docker.io', repository: 'library/lowercase', tag: 'Uppercase', familiar: 'lowercase:Uppercase' },
  { input: `nginx:${'a'.repeat(128)}`, registry: 'docker.io', repository: 'library/nginx', tag: 'a'.repeat(128), familiar: `nginx:${'a'.repeat(128)}` },
  { input: 'nginx:_x.y-Z', registry: 'docker.io', repository: 'library/nginx', tag: '_x.y-Z', familiar: 'nginx:_x.y-Z' },
  // tag and digest together are both kept (unlike ParseDockerRef, which drops the tag)
  { input: `busybox:latest@${D256}`, registry: 'docker.io', repository: 'library/busybox', tag: 'latest', digest: D256, familiar: `busybox:latest@${D256}` },
  { input: `nginx@${D256}`, registry: 'docker.io', repository: 'library/nginx', digest: D256, familiar: `nginx@${D256}` },
  { input: `dmcgowan/myapp@${D256}`, registry: 'docker.io', repository: 'dmcgowan/myapp', digest: D256, familiar: `dmcgowan/myapp@${D256}` },
  { input: `nginx@sha384:${'a'.repeat(96)}`, registry: 'docker.io', repository: 'library/nginx', digest: `sha384:${'a'.repeat(96)}`, familiar: `nginx@sha384:${'a'.repeat(96)}` },
  // algorithms go-digest does not register are accepted when they fit the grammar
  { input: `validname@invaliddigest:${'f'.repeat(64)}`, registry: 'docker.io', repository: 'library/validname', digest: `invaliddigest:${'f'.repeat(64)}`, familiar: `validname@invaliddigest:${'f'.repeat(64)}` },
  { input: `x/y@multihash+base58.v2:${'A'.repeat(32)}`, registry: 'docker.io', repository: 'x/y', digest: `multihash+base58.v2:${'A'.repeat(32)}`, familiar: `x/y@multihash+base58.v2:${'A'.repeat(32)}` },
  // with an explicit registry, a 64-hex name is not ambiguous
  { input: `docker.io/${HEX}`, registry: 'docker.io', repository: `library/${HEX}`, familiar: `docker.io/library/${HEX}` },
  { input: `docker.io/library/sha256:${HEX}`, registry: 'docker.io', repository: 'library/sha256', tag: HEX, familiar: `docker.io/library/sha256:${HEX}` },
  // length limits: the path only (255), registry not counted, "library/" counted
  { input: `example.com/${'a'.repeat(255)}:tag`, registry: 'example.com', repository: 'a'.repeat(255), tag: 'tag', familiar: `example.com/${'a'.repeat(255)}:tag` },
  { input: 'a'.repeat(247), registry: 'docker.io', repository: `library/${'a'.repeat(247)}`, familiar: 'a'.repeat(247) },
  { input: `${'a/'.repeat(127)}a:tag-puts-this-over-max`, registry: 'docker.io', repository: `${'a/'.repeat(127)}a`, tag: 'tag-puts-this-over-max', familiar: `${'a/'.repeat(127)}a:tag-puts-this-over-max` },
];

function fields(ref: Reference): Record<string, string | undefined> {
  return { registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest };
}

function expectedString(c: Valid): string {
  return `${c.registry}/${c.repository}${c.tag === undefined ? '' : `:${c.tag}`}${c.digest === undefined ? '' : `@${c.digest}`}`;
}

describe('parseReference: valid references', () => {
  for (const c of valid) {
    it(c.input.length > 80 ? `${c.input.slice(0, 77)}...` : c.input, () => {
      const ref = parseReference(c.input);
      assert.deepEqual(fields(ref), { registry: c.registry, repository: c.repository, tag: c.tag, digest: c.digest });
      assert.equal(ref.name(), `${c.registry}/${c.repository}`);
      assert.equal(ref.toString(), expectedString(c));
      assert.equal(ref.familiar(), c.familiar);
    });
  }
});

describe('parseReference: full and familiar forms parse back to the same reference', () => {
  for (const c of valid) {
    it(c.input.length > 80 ? `${c.input.slice(0, 77)}...` : c.input, () => {
      const ref = parseReference(c.input);
      assert.deepEqual(fields(parseReference(ref.toString())), fields(ref));
      assert.deepEqual(fields(parseReference(ref.familiar())), fields(ref));
    });
  }
});

interface Invalid {
  input: string;
  code: ReferenceErrorCode;
}

const invalid: Invalid[] = [
  { input: '', code: 'REFERENCE_INVALID' },
  { input: ':justtag', code: 'REFERENCE_INVALID' },
  { input: `@${D256}`, code: 'REFERENCE_INVALID' },
  { input: 'docker.io/', code: 'REFERENCE_INVALID' },
  { input: 'nginx/', code: 'REFERENCE_INVALID' },
  { input: '/nginx', code: 'REFERENCE_INVALID' },
  { input: 'aa/asdf$$^/aa', code: 'REFERENCE_INVALID' },
  { input: ' nginx', code: 'REFERENCE_INVALID' },
  { input: 'nginx ', code: 'REFERENCE_INVALID' },
  { input: 'ng\tinx', code: 'REFERENCE_INVALID' },
  // URLs
  { input: 'https://github.com/docker/docker', code: 'REFERENCE_INVALID' },
  { input: 'http://localhost:5000/app:1', code: 'REFERENCE_INVALID' },
  { input: 'docker://nginx', code: 'REFERENCE_INVALID' },
  // image IDs and bare digests are ambiguous
  { input: HEX, code: 'REFERENCE_INVALID' },
  { input: '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', code: 'REFERENCE_INVALID' },
  { input: D256, code: 'REFERENCE_INVALID' },
  // path grammar
  { input: '-docker', code: 'REFERENCE_INVALID' },
  { input: '-docker/docker', code: 'REFERENCE_INVALID' },
  { input: 'docker-/docker', code: 'REFERENCE_INVALID' },
  { input: '-docker-/docker', code: 'REFERENCE_INVALID' },
  { input: 'docker///docker', code: 'REFERENCE_INVALID' },
  { input: 'docker.io/docker///docker', code: 'REFERENCE_INVALID' },
  { input: '____/____', code: 'REFERENCE_INVALID' },
  { input: '_docker/_docker', code: 'REFERENCE_INVALID' },
  { input: 'dock..er/docker', code: 'REFERENCE_INVALID' },
  { input: 'dock_.er/docker', code: 'REFERENCE_INVALID' },
  { input: 'dock-.er/docker', code: 'REFERENCE_INVALID' },
  { input: 'dock___er/docker', code: 'REFERENCE_INVALID' },
  { input: 'docker/', code: 'REFERENCE_INVALID' },
  { input: 'Docker_/x', code: 'REFERENCE_INVALID' },
  // registry host grammar
  { input: '-docker.io/docker/docker', code: 'REFERENCE_INVALID' },
  { input: 'a:b/c', code: 'REFERENCE_INVALID' },
  { input: 'host:/x', code: 'REFERENCE_INVALID' },
  { input: 'host:5000:1/x', code: 'REFERENCE_INVALID' },
  { input: 'exa..mple.com/x', code: 'REFERENCE_INVALID' },
  // distribution would accept this as a name with no domain at all; copycat needs a registry
  { input: 'foo_bar.com/x', code: 'REFERENCE_INVALID' },
  { input: '[2001:db8::1]', code: 'REFERENCE_INVALID' },
  { input: '[2001:db8::1]:5000', code: 'REFERENCE_INVALID' },
  { input: '[2001:db8::1]:tag', code: 'REFERENCE_INVALID' },
  { input: '[fc00::1]', code: 'REFERENCE_INVALID' },
  { input: 'fc00::1:5000/debian', code: 'REFERENCE_INVALID' },
  { input: '[fe80::1%eth0]:5000/repo', code: 'REFERENCE_INVALID' },
  { input: '[fe80::1%@invalidzone]:5000/repo', code: 'REFERENCE_INVALID' },
  { input: '[2001:db8:3:4::192.0.2.33]:5000/debian', code: 'REFERENCE_INVALID' },
  { input: '[::1/app', code: 'REFERENCE_INVALID' },
  { input: '[::1]x/app', code: 'REFERENCE_INVALID' },
  // uppercase in the repository path
  { input: 'Uppercase:tag', code: 'REFERENCE_UPPERCASE' },
  { input: 'test:5000/Uppercase/lowercase:tag', code: 'REFERENCE_UPPERCASE' },
  { input: 'docker/Docker', code: 'REFERENCE_UPPERCASE' },
  { input: 'docker.io/docker/Docker', code: 'REFERENCE_UPPERCASE' },
  { input: 'ghcr.io/Org/app:1', code: 'REFERENCE_UPPERCASE' },
  // A first component without "." or ":" is never a registry, so these are uppercase paths
  // (distribution has a FIXME and treats "Foo" as a host; see reference_test.go).
  { input: 'Foo/bar', code: 'REFERENCE_UPPERCASE' },
  { input: 'FOO/bar', code: 'REFERENCE_UPPERCASE' },
  { input: 'LOCALHOST/app', code: 'REFERENCE_UPPERCASE' },
  // length
  { input: `domain/${'a'.repeat(256)}:tag`, code: 'REFERENCE_NAME_TOO_LONG' },
  { input: `example.com/${'a'.repeat(256)}`, code: 'REFERENCE_NAME_TOO_LONG' },
  { input: 'a'.repeat(248), code: 'REFERENCE_NAME_TOO_LONG' },
  { input: `${'a/'.repeat(128)}a:tag`, code: 'REFERENCE_NAME_TOO_LONG' },
  { input: `${'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_'.repeat(4)}x/docker`, code: 'REFERENCE_NAME_TOO_LONG' },
  // tags
  { input: 'nginx:', code: 'REFERENCE_TAG_INVALID' },
  { input: 'nginx:-x', code: 'REFERENCE_TAG_INVALID' },
  { input: 'nginx:.x', code: 'REFERENCE_TAG_INVALID' },
  { input: 'nginx:a:b', code: 'REFERENCE_TAG_INVALID' },
  { input: 'nginx:a+b', code: 'REFERENCE_TAG_INVALID' },
  { input: `nginx:${'a'.repeat(129)}`, code: 'REFERENCE_TAG_INVALID' },
  { input: `localhost:5000/app:${'b'.repeat(129)}@${D256}`, code: 'REFERENCE_TAG_INVALID' },
  // digests
  { input: 'nginx@', code: 'REFERENCE_DIGEST_INVALID' },
  { input: 'nginx:1@', code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@sha256:${'f'.repeat(34)}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@sha256:${'f'.repeat(65)}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@sha256:${HEX.toUpperCase()}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@SHA256:${HEX}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@sha256:${'g'.repeat(64)}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@sha512:${'f'.repeat(64)}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@md5:${'f'.repeat(31)}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@${HEX}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@1sha:${HEX}`, code: 'REFERENCE_DIGEST_INVALID' },
  { input: `repo@${D256}@${D256}`, code: 'REFERENCE_DIGEST_INVALID' },
];

describe('parseReference: invalid references', () => {
  for (const c of invalid) {
    it(`${c.code}: ${JSON.stringify(c.input.length > 80 ? `${c.input.slice(0, 77)}...` : c.input)}`, () => {
      assert.throws(
        () => parseReference(c.input),
        (err: unknown) => {
          assert.ok(err instanceof ReferenceError, 'a ReferenceError');
          assert.ok(err instanceof CopycatError, 'a CopycatError');
          assert.equal(err.code, c.code, err.message);
          assert.ok(hasCode(err, c.code));
          // every message quotes the input it refused
          assert.ok(err.message.includes(JSON.stringify(c.input.slice(0, 40)).slice(0, -1)), err.message);
          return true;
        },
      );
    });
  }
});

describe('parseReference: messages', () => {
  function messageOf(input: string): string {
    try {
      parseReference(input);
    } catch (err) {
      return (err as Error).message;
    }
    assert.fail(`${input} parsed`);
  }

  it('says uppercase repository names must be lowercase', () => {
    assert.match(messageOf('docker/Docker'), /repository name must be lowercase/);
  });

  it('calls a bare 64-hex string ambiguous', () => {
    assert.match(messageOf(HEX), /ambiguous/);
  });

  it('points out whitespace', () => {
    assert.match(messageOf('nginx:1.25 '), /whitespace/);
  });

  it('names the URL scheme to drop', () => {
    assert.match(messageOf('https://ghcr.io/x/y'), /drop "https:\/\/"/);
  });

  it('names the bad registry host', () => {
    assert.match(messageOf('foo_bar.com/x'), /"foo_bar\.com" is not a valid registry/);
  });

  it('names the bad tag and digest', () => {
    assert.match(messageOf('nginx:-x'), /invalid tag "-x" in image reference "nginx:-x"/);
    assert.match(messageOf(`nginx@sha256:${'f'.repeat(63)}`), /64 hex characters, this one has 63/);
    assert.match(messageOf(`nginx@sha256:${HEX.toUpperCase()}`), /lowercase hex/);
  });

  it('gives the length of an overlong name', () => {
    assert.match(messageOf('a'.repeat(300)), /not be more than 255 characters \(it has 308\)/);
  });

  it('cuts very long inputs in the message', () => {
    const message = messageOf(`${'a'.repeat(2000)}:x`);
    assert.ok(message.length < 500, message);
    assert.match(message, /\(2002 characters\)/);
  });
});
