import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { decodeAuthorizationToken, TokenCache, type RegistryToken } from './token.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('decodeAuthorizationToken', () => {
  it('splits user and password on the first colon and keeps expiresAt', () => {
    const expires = new Date('2030-01-01T00:00:00Z');
    assert.deepEqual(decodeAuthorizationToken([{ authorizationToken: b64('AWS:pa:ss'), expiresAt: expires }], 'r'), { username: 'AWS', password: 'pa:ss', expiresAt: expires.getTime() });
  });

  it('assumes a one-hour lifetime when ECR names no expiry', () => {
    assert.equal(decodeAuthorizationToken([{ authorizationToken: b64('AWS:x') }], 'r', 1_000).expiresAt, 1_000 + 3_600_000);
  });

  it('refuses empty, non-base64 and colon-less tokens with ECR_TOKEN_INVALID, naming the registry and never the token', () => {
    const secret = 'S3CRET-PASSWORD';
    const bad: Array<Array<{ authorizationToken?: string }> | undefined> = [undefined, [], [{}], [{ authorizationToken: '%%%' }], [{ authorizationToken: b64(`AWS${secret}`) }], [{ authorizationToken: b64(':x') }]];
    for (const data of bad) {
      assert.throws(
        () => decodeAuthorizationToken(data, 'registry 1.dkr.ecr (account 1)'),
        (err) => hasCode(err, 'ECR_TOKEN_INVALID') && err.message.includes('registry 1.dkr.ecr (account 1)') && !err.message.includes(secret) && !err.message.includes(b64(`AWS${secret}`)),
        JSON.stringify(data),
      );
    }
  });
});

describe('TokenCache', () => {
  const token = (password: string, expiresAt: number): RegistryToken => ({ username: 'AWS', password, expiresAt });

  it('fetches once and serves the cached token until the refresh margin before expiry', async () => {
    let now = 0;
    let fetches = 0;
    const cache = new TokenCache(async () => token(`p${++fetches}`, 60 * 60_000), { now: () => now, refreshMarginMs: 5 * 60_000 });
    assert.equal((await cache.get()).password, 'p1');
    now = 54 * 60_000;
    assert.equal((await cache.get()).password, 'p1');
    now = 55 * 60_000; // exactly at the margin: refresh
    assert.equal((await cache.get()).password, 'p2');
    assert.equal(fetches, 2);
  });

  it('refreshes a token that arrives already expired or inside the margin on every call', async () => {
    let expired = 0;
    const past = new TokenCache(async () => token(`p${++expired}`, 1_000), { now: () => 2_000 });
    await past.get();
    assert.equal((await past.get()).password, 'p2');
    let near = 0;
    const inMargin = new TokenCache(async () => token(`p${++near}`, 60_000), { now: () => 0, refreshMarginMs: 120_000 });
    await inMargin.get();
    await inMargin.get();
    assert.equal(near, 2);
  });

  it('shares one fetch among concurrent callers (single-flight)', async () => {
    let fetches = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new TokenCache(async () => {
      fetches++;
      await gate;
      return token('p', Date.now() + 3_600_000);
    });
    const all = Promise.all([cache.get(), cache.get(), cache.get()]);
    release();
    const got = await all;
    assert.equal(fetches, 1);
    assert.ok(got.every((t) => t.password === 'p'));
  });

  it('does not cache a failure, and invalidate() forces a new fetch', async () => {
    let calls = 0;
    const cache = new TokenCache(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return token(`p${calls}`, Date.now() + 3_600_000);
    });
    await assert.rejects(cache.get(), /boom/);
    assert.equal((await cache.get()).password, 'p2');
    cache.invalidate();
    assert.equal((await cache.get()).password, 'p3');
  });
});
