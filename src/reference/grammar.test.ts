import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { digestProblem, isBareDigest, isImageId, isValidDomain, isValidPath, isValidTag } from './grammar.ts';

const HEX = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';

function table(name: string, check: (s: string) => boolean, yes: string[], no: string[]): void {
  describe(name, () => {
    for (const s of yes) it(`accepts ${JSON.stringify(s)}`, () => assert.equal(check(s), true));
    for (const s of no) it(`rejects ${JSON.stringify(s)}`, () => assert.equal(check(s), false));
  });
}

table(
  'isValidPath',
  isValidPath,
  ['a', 'library/nginx', 'a/b/c/d', 'a.b', 'a_b', 'a__b', 'a-b', 'a---b', 'a.b_c__d-e', '0', 'x1/2y'],
  ['', 'A', 'library/Nginx', '/a', 'a/', 'a//b', '.a', 'a.', '_a', 'a_', '-a', 'a-', 'a..b', 'a___b', 'a._b', 'a-.b', 'a b', 'a:b', 'a@b'],
);

table(
  'isValidDomain',
  isValidDomain,
  [
    'localhost', 'docker.io', 'Docker.IO', 'a', 'a-b.c', 'xn--n3h.com', '127.0.0.1', 'host:5000', 'host:0',
    '[::1]', '[::1]:5000', '[2001:db8::1]', '[2001:DB8::1]:443', '[fc00:1:2:3:4:5:6:7]:5000',
  ],
  [
    '', '-a.com', 'a-.com', 'a..b', '.a', 'a.', 'a_b.com', 'host:', 'host:x', 'host:5000:1', 'host::1',
    '[::1', '[]', '[::1]x', '[::1]:', '[::1]:x', '[fe80::1%eth0]', '[2001:db8::192.0.2.33]', 'fc00::1', 'a/b',
  ],
);

table(
  'isValidTag',
  isValidTag,
  ['latest', '1.25', 'v1.0.0-rc.1', '_x', 'UPPER', 'a'.repeat(128), '0', 'x--y..z__'],
  ['', '-x', '.x', 'a:b', 'a/b', 'a+b', 'a@b', 'a'.repeat(129), 'ü'],
);

table('isImageId', isImageId, [HEX, '0'.repeat(64)], [HEX.slice(1), `${HEX}0`, HEX.toUpperCase(), `sha256:${HEX}`]);

table(
  'isBareDigest',
  isBareDigest,
  [`sha256:${HEX}`, `sha384:${'a'.repeat(96)}`, `sha512:${'b'.repeat(128)}`],
  [HEX, `sha256:${HEX.slice(1)}`, `sha256:${HEX.toUpperCase()}`, `md5:${'a'.repeat(32)}`, `x/sha256:${HEX}`, `a@sha256:${HEX}`, 'sha256'],
);

describe('digestProblem', () => {
  const good = [
    `sha256:${HEX}`,
    `sha384:${'0'.repeat(96)}`,
    `sha512:${'f'.repeat(128)}`,
    `blake3:${'a'.repeat(64)}`,
    `foo:${'A'.repeat(32)}`,
    `multihash+base58:${'1'.repeat(40)}`,
    `a.b-c_d+e:${'0'.repeat(32)}`,
  ];
  const bad = [
    '',
    HEX,
    `sha256:${HEX.slice(2)}`,
    `sha256:${HEX}00`,
    `sha256:${HEX.toUpperCase()}`,
    `SHA256:${HEX}`,
    `Sha512:${'f'.repeat(128)}`,
    `sha512:${HEX}`,
    `sha256:${'z'.repeat(64)}`,
    `foo:${'a'.repeat(31)}`,
    `1foo:${'a'.repeat(32)}`,
    `foo-:${'a'.repeat(32)}`,
    `foo::${'a'.repeat(32)}`,
    `:${'a'.repeat(32)}`,
  ];
  for (const d of good) it(`accepts ${d.slice(0, 30)}…`, () => assert.equal(digestProblem(d), undefined));
  for (const d of bad) it(`rejects ${JSON.stringify(d.slice(0, 30))}…`, () => assert.equal(typeof digestProblem(d), 'string'));
});
