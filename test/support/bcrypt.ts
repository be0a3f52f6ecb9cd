/**
 * bcrypt (`$2y$`) password hashing for the registry's htpasswd file.
 *
 * Why it exists: distribution 2.8's htpasswd access controller only accepts bcrypt entries, and a
 * fresh Debian machine has no tool that makes them without extra packages (`openssl passwd` has no
 * bcrypt, `htpasswd` needs apache2-utils, Python's `crypt` module is gone in 3.13). bcrypt is
 * Blowfish with an expensive key schedule (Provos & Mazières, "A Future-Adaptable Password Scheme",
 * USENIX 1999), small enough to write down here. Blowfish's initial P-array and S-boxes are the
 * hexadecimal digits of π, which we compute with BigInt instead of pasting a table.
 */
import { randomBytes } from 'node:crypto';

/** The bcrypt flavour of base64: its own alphabet, standard bit order, no padding. */
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 18 P-array words + 4 S-boxes of 256 words, all taken in order from π's fractional hex digits. */
const PI_WORDS = 18 + 4 * 256;

let piWordsCache: Uint32Array | undefined;

/** arctan(1/x) scaled by 2^bits, by its Taylor series (converges fast for x ≥ 5). */
function arctanInverse(x: bigint, bits: bigint): bigint {
  const xSquared = x * x;
  let power = (1n << bits) / x; // 1/x^(2k+1), scaled
  let sum = power;
  let sign = -1n;
  for (let k = 3n; power !== 0n; k += 2n) {
    power /= xSquared;
    sum += (sign * power) / k;
    sign = -sign;
  }
  return sum;
}

/** The first 1042 32-bit words of π's fractional part (Machin: π = 16·atan(1/5) − 4·atan(1/239)). */
function piWords(): Uint32Array {
  if (piWordsCache) return piWordsCache;
  const wanted = BigInt(PI_WORDS * 32);
  const guard = 64n;
  const bits = wanted + guard;
  const pi = 16n * arctanInverse(5n, bits) - 4n * arctanInverse(239n, bits);
  // Drop the integer part (3) and the guard bits, leaving exactly `wanted` fractional bits.
  const fraction = (pi - (3n << bits)) >> guard;
  const words = new Uint32Array(PI_WORDS);
  for (let i = 0; i < PI_WORDS; i++) {
    const shift = BigInt((PI_WORDS - 1 - i) * 32);
    words[i] = Number((fraction >> shift) & 0xffffffffn);
  }
  piWordsCache = words;
  return words;
}

/** Blowfish state: P-array and the four S-boxes flattened into one array of 1024 words. */
interface BlowfishState {
  p: Uint32Array;
  s: Uint32Array;
}

function initialState(): BlowfishState {
  const words = piWords();
  return { p: words.slice(0, 18), s: words.slice(18) };
}

/** Blowfish's round function F. */
function feistel(s: Uint32Array, x: number): number {
  const a = s[x >>> 24]!;
  const b = s[256 + ((x >>> 16) & 0xff)]!;
  const c = s[512 + ((x >>> 8) & 0xff)]!;
  const d = s[768 + (x & 0xff)]!;
  return (((a + b) >>> 0) ^ c) + d;
}

/** Encrypts one 64-bit block held in `block[offset]`, `block[offset + 1]` in place. */
function encipher(state: BlowfishState, block: Uint32Array, offset: number): void {
  const { p, s } = state;
  let left = block[offset]!;
  let right = block[offset + 1]!;
  left ^= p[0]!;
  for (let i = 1; i <= 16; i += 2) {
    right ^= (feistel(s, left) ^ p[i]!) >>> 0;
    left ^= (feistel(s, right) ^ p[i + 1]!) >>> 0;
  }
  block[offset] = (right ^ p[17]!) >>> 0;
  block[offset + 1] = left >>> 0;
}

/** Reads the next big-endian 32-bit word from `data`, wrapping around at its end. */
function streamWord(data: Uint8Array, cursor: { at: number }): number {
  let word = 0;
  for (let i = 0; i < 4; i++) {
    word = ((word << 8) | data[cursor.at]!) >>> 0;
    cursor.at = (cursor.at + 1) % data.length;
  }
  return word;
}

/** The "expensive key schedule" step; with an all-zero salt it is the plain Blowfish key schedule. */
function expandKey(state: BlowfishState, key: Uint8Array, salt: Uint8Array | undefined): void {
  const keyCursor = { at: 0 };
  for (let i = 0; i < 18; i++) state.p[i] = (state.p[i]! ^ streamWord(key, keyCursor)) >>> 0;
  const saltCursor = { at: 0 };
  const block = new Uint32Array(2);
  const fill = (target: Uint32Array, count: number): void => {
    for (let i = 0; i < count; i += 2) {
      if (salt) {
        block[0] = (block[0]! ^ streamWord(salt, saltCursor)) >>> 0;
        block[1] = (block[1]! ^ streamWord(salt, saltCursor)) >>> 0;
      }
      encipher(state, block, 0);
      target[i] = block[0]!;
      target[i + 1] = block[1]!;
    }
  };
  fill(state.p, 18);
  fill(state.s, 1024);
}

function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += BCRYPT_ALPHABET[b0 >>> 2];
    out += BCRYPT_ALPHABET[((b0 & 0x03) << 4) | ((b1 ?? 0) >>> 4)];
    if (b1 === undefined) break;
    out += BCRYPT_ALPHABET[((b1 & 0x0f) << 2) | ((b2 ?? 0) >>> 6)];
    if (b2 === undefined) break;
    out += BCRYPT_ALPHABET[b2 & 0x3f];
  }
  return out;
}

function decodeBase64(text: string, byteLength: number): Uint8Array {
  const out = new Uint8Array(byteLength);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of text) {
    const sextet = BCRYPT_ALPHABET.indexOf(char);
    if (sextet < 0) throw new Error(`bcrypt salt contains ${JSON.stringify(char)}, outside the bcrypt alphabet`);
    value = (value << 6) | sextet;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (at < byteLength) out[at++] = (value >>> bits) & 0xff;
    }
  }
  return out;
}

/** The 24-byte text bcrypt encrypts 64 times: "OrpheanBeholderScryDoubt". */
const MAGIC = new TextEncoder().encode('OrpheanBeholderScryDoubt');

/**
 * Hashes `password` with bcrypt and returns the modular-crypt string `$2y$CC$<salt><hash>`.
 *
 * `cost` is the log2 of the key-schedule rounds (4..31); the default 4 keeps the registry's
 * per-request password check cheap in tests. `salt` (22 bcrypt-base64 chars) is for
 * reproducible test vectors; omit it to get a random one.
 */
export function bcryptHash(password: string, options: { cost?: number; salt?: string } = {}): string {
  const cost = options.cost ?? 4;
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error(`bcrypt cost ${cost} is outside 4..31`);
  const saltText = options.salt ?? encodeBase64(randomBytes(16));
  if (saltText.length !== 22) throw new Error(`bcrypt salt ${JSON.stringify(saltText)} must be 22 characters`);
  const salt = decodeBase64(saltText, 16);
  // $2b$/$2y$: the key is the UTF-8 password plus its NUL terminator, cut at 72 bytes.
  const passwordBytes = new TextEncoder().encode(password);
  const key = new Uint8Array(Math.min(passwordBytes.length + 1, 72));
  key.set(passwordBytes.subarray(0, key.length));

  const state = initialState();
  expandKey(state, key, salt);
  for (let round = 0; round < 2 ** cost; round++) {
    expandKey(state, key, undefined);
    expandKey(state, salt, undefined);
  }

  const text = new Uint32Array(6);
  const magicView = new DataView(MAGIC.buffer, MAGIC.byteOffset, MAGIC.byteLength);
  for (let i = 0; i < 6; i++) text[i] = magicView.getUint32(i * 4);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 6; j += 2) encipher(state, text, j);
  }
  const digest = new Uint8Array(24);
  const digestView = new DataView(digest.buffer);
  for (let i = 0; i < 6; i++) digestView.setUint32(i * 4, text[i]!);
  // The canonical salt re-encoding fixes the unused low bits of the 22nd character.
  const costText = String(cost).padStart(2, '0');
  return `$2y$${costText}$${encodeBase64(salt)}${encodeBase64(digest.subarray(0, 23))}`;
}
