import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bcryptHash } from './bcrypt.ts';

// Reference hashes produced on this machine with Python's crypt module (libxcrypt's bcrypt),
// e.g. crypt.crypt('s3cret-pass', '$2y$04$abcdefghijklmnopqrstuu').
const VECTORS: Array<{ password: string; salt: string; cost: number; hash: string }> = [
  { password: 's3cret-pass', salt: 'abcdefghijklmnopqrstuu', cost: 4, hash: '$2y$04$abcdefghijklmnopqrstuuaUNpTaGyHErb7YklXKRt/SEtSLxPST6' },
  { password: '', salt: 'CCCCCCCCCCCCCCCCCCCCC.', cost: 5, hash: '$2y$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy' },
  // 80 bytes: only the first 72 count.
  { password: 'a'.repeat(80), salt: '0123456789ABCDEFGHIJKO', cost: 4, hash: '$2y$04$0123456789ABCDEFGHIJKOg.Ee6wo7xLnMH8xpCzwEJg910YKLr92' },
  { password: 'pässwörd ü', salt: 'ZZZZZZZZZZZZZZZZZZZZZu', cost: 6, hash: '$2y$06$ZZZZZZZZZZZZZZZZZZZZZuP4NfFvjWAL9JG/zcPFACmAJyZC7YPsa' },
];

describe('bcryptHash', () => {
  for (const vector of VECTORS) {
    it(`matches libxcrypt for ${JSON.stringify(vector.password.slice(0, 12))} at cost ${vector.cost}`, () => {
      assert.equal(bcryptHash(vector.password, { salt: vector.salt, cost: vector.cost }), vector.hash);
    });
  }

  it('treats passwords longer than 72 bytes as their first 72 bytes', () => {
    const salt = 'abcdefghijklmnopqrstuu';
    assert.equal(bcryptHash('b'.repeat(72), { salt }), bcryptHash('b'.repeat(100), { salt }));
    assert.notEqual(bcryptHash('b'.repeat(71), { salt }), bcryptHash('b'.repeat(72), { salt }));
  });

  it('uses a fresh random salt by default', () => {
    const first = bcryptHash('same');
    const second = bcryptHash('same');
    assert.match(first, /^\$2y\$04\$[./A-Za-z0-9]{53}$/);
    assert.notEqual(first, second);
  });

  it('rejects a cost outside 4..31 and a malformed salt', () => {
    assert.throws(() => bcryptHash('x', { cost: 3 }), /cost 3/);
    assert.throws(() => bcryptHash('x', { salt: 'short' }), /must be 22 characters/);
    assert.throws(() => bcryptHash('x', { salt: '!'.repeat(22) }), /outside the bcrypt alphabet/);
  });
});
