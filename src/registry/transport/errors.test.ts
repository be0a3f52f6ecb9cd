import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { parseErrorBody, redactUrl, RegistryError } from './errors.ts';

describe('RegistryError', () => {
  const base = { method: 'GET', url: 'https://r.example/v2/a/manifests/x' };

  it('takes the code from the first registry error entry', () => {
    const err = new RegistryError({ ...base, status: 404, errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }, { code: 'NAME_UNKNOWN' }] });
    assert.equal(err.code, 'MANIFEST_UNKNOWN');
    assert.ok(hasCode(err, 'MANIFEST_UNKNOWN'));
    assert.equal(err.notFound, true);
    assert.equal(err.temporary, false);
    assert.match(err.message, /^GET https:\/\/r\.example\/v2\/a\/manifests\/x: HTTP 404 \(MANIFEST_UNKNOWN: manifest unknown; NAME_UNKNOWN\)$/);
  });

  it('derives a code from the status without entries', () => {
    const cases: Array<[number, string, boolean]> = [
      [0, 'NETWORK', true],
      [401, 'UNAUTHORIZED', false],
      [403, 'DENIED', false],
      [404, 'NOT_FOUND', false],
      [429, 'TOOMANYREQUESTS', true],
      [500, 'HTTP_500', true],
      [502, 'HTTP_502', true],
      [418, 'HTTP_418', false],
    ];
    for (const [status, code, temporary] of cases) {
      const err = new RegistryError({ ...base, status });
      assert.equal(err.code, code, `status ${status}`);
      assert.equal(err.temporary, temporary, `status ${status} temporary`);
    }
  });

  it('judges temporary by the entries when the status does not decide', () => {
    assert.equal(new RegistryError({ ...base, status: 400, errors: [{ code: 'BLOB_UPLOAD_INVALID' }] }).temporary, true);
    assert.equal(new RegistryError({ ...base, status: 400, errors: [{ code: 'BLOB_UPLOAD_INVALID' }, { code: 'DIGEST_INVALID' }] }).temporary, false);
    assert.equal(new RegistryError({ ...base, status: 0, code: 'TIMEOUT' }).temporary, true);
  });

  it('honours an explicit code and message, keeps the cause and the retry delay', () => {
    const cause = new Error('socket hang up');
    const err = new RegistryError({ ...base, status: 0, code: 'TIMEOUT', cause, retryAfterMs: 5 });
    assert.equal(err.code, 'TIMEOUT');
    assert.equal(err.cause, cause);
    assert.equal(err.retryAfterMs, 5);
    assert.match(err.message, /manifests\/x: socket hang up$/);
    assert.equal(new RegistryError({ ...base, status: 400, message: 'custom' }).message, 'custom');
  });
});

describe('parseErrorBody', () => {
  it('reads the distribution error array, dropping malformed entries', () => {
    const body = JSON.stringify({ errors: [{ code: 'DENIED', message: 'no', detail: { x: 1 } }, { message: 'no code' }, 'junk', { code: 'UNAUTHORIZED' }] });
    assert.deepEqual(parseErrorBody(body), [
      { code: 'DENIED', message: 'no', detail: { x: 1 } },
      { code: 'UNAUTHORIZED', message: undefined, detail: undefined },
    ]);
  });

  it('returns nothing for empty, HTML or other JSON bodies', () => {
    for (const body of ['', '  ', '<html>502 Bad Gateway</html>', '{"error":"x"}', '[1,2]', 'null']) assert.deepEqual(parseErrorBody(body), [], body);
  });
});

describe('redactUrl', () => {
  it('hides query secrets of pre-signed URLs and keeps protocol parameters', () => {
    const out = redactUrl('https://bucket.s3.amazonaws.com/blob?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA123&digest=sha256:abc&n=10');
    assert.ok(!out.includes('deadbeef') && !out.includes('AKIA123'), out);
    assert.match(out, /X-Amz-Signature=REDACTED/);
    assert.match(out, /digest=sha256%3Aabc/);
    assert.match(out, /n=10/);
  });

  it('hides user info', () => {
    const out = redactUrl(new URL('https://alice:s3cret@registry.example/v2/'));
    assert.equal(out, 'https://registry.example/v2/');
  });

  it('keeps token-request parameters readable and survives junk', () => {
    assert.equal(redactUrl('https://auth.example/token?service=reg&scope=repository%3Aa%3Apull'), 'https://auth.example/token?service=reg&scope=repository%3Aa%3Apull');
    assert.equal(redactUrl('not a url'), '<invalid url>');
  });
});
