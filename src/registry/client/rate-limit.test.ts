import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextLink } from './client.ts';
import { parseRateLimit } from './rate-limit.ts';

describe('parseRateLimit', () => {
  it('reads Docker Hub headers with their window', () => {
    assert.deepEqual(parseRateLimit({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '42;w=21600' }), { limit: 100, remaining: 42, windowSeconds: 21600 });
  });

  it('reads plain numbers, spaces and a zero budget', () => {
    assert.deepEqual(parseRateLimit({ 'ratelimit-limit': ' 5000 ', 'ratelimit-remaining': '0' }), { limit: 5000, remaining: 0 });
    assert.deepEqual(parseRateLimit({ 'ratelimit-limit': '200; w=60' }), { limit: 200, windowSeconds: 60 });
  });

  it('takes the window from Remaining when Limit has none', () => {
    assert.deepEqual(parseRateLimit({ 'ratelimit-remaining': '7;w=3600' }), { remaining: 7, windowSeconds: 3600 });
  });

  it('returns undefined without the headers and ignores junk values', () => {
    assert.equal(parseRateLimit({ 'content-type': 'application/json' }), undefined);
    assert.deepEqual(parseRateLimit({ 'ratelimit-limit': 'lots', 'ratelimit-remaining': '3;w=soon' }), { remaining: 3 });
  });
});

describe('nextLink', () => {
  const base = 'https://r.example/v2/app/tags/list?n=100';

  it('resolves a relative next link against the request URL', () => {
    assert.equal(nextLink('</v2/app/tags/list?n=100&last=b>; rel="next"', base), 'https://r.example/v2/app/tags/list?n=100&last=b');
  });

  it('keeps an absolute next link (another host included)', () => {
    assert.equal(nextLink('<https://cdn.example/v2/app/tags/list?last=z>; rel=next', base), 'https://cdn.example/v2/app/tags/list?last=z');
  });

  it('picks rel="next" among several links, even when URLs contain commas', () => {
    const link = '</v2/app/tags/list?n=100&last=a,b>; rel="prev", </v2/app/tags/list?n=100&last=c,d>; rel="next", <https://docs.example/>; rel="help"';
    assert.equal(nextLink(link, base), 'https://r.example/v2/app/tags/list?n=100&last=c,d');
  });

  it('matches the relation name case-insensitively', () => {
    assert.equal(nextLink('</p2>; REL="Next"', base), 'https://r.example/p2');
  });

  it('returns undefined without a next link', () => {
    assert.equal(nextLink(undefined, base), undefined);
    assert.equal(nextLink('', base), undefined);
    assert.equal(nextLink('</v2/app/tags/list?last=a>; rel="prev"', base), undefined);
    // A relation that merely starts with "next" is another relation.
    assert.equal(nextLink('</archive>; rel="next-archive"', base), undefined);
  });
});
