import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CopycatError } from '../internal/errors.ts';
import { asStatus, codeForStatus, KubeError, normaliseKubeError, statusError } from './errors.ts';

describe('codeForStatus', () => {
  it('maps statuses to codes, telling conflict from duplicate by reason', () => {
    const cases: Array<[number, string | undefined, string]> = [
      [404, undefined, 'KUBE_NOT_FOUND'],
      [409, 'Conflict', 'KUBE_CONFLICT'],
      [409, 'AlreadyExists', 'KUBE_ALREADY_EXISTS'],
      [410, 'Expired', 'KUBE_GONE'],
      [401, undefined, 'KUBE_UNAUTHORIZED'],
      [403, undefined, 'KUBE_FORBIDDEN'],
      [422, undefined, 'KUBE_INVALID'],
      [429, undefined, 'KUBE_THROTTLED'],
      [503, undefined, 'KUBE_SERVER_ERROR'],
      [418, undefined, 'KUBE_HTTP_ERROR'],
    ];
    for (const [status, reason, code] of cases) assert.equal(codeForStatus(status, reason), code, `${status} ${reason}`);
  });
});

describe('statusError', () => {
  it('names the request and quotes the Status message; the Status code wins', () => {
    const body = JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5 (9)' });
    const err = statusError('WATCH /api/v1/pods', 200, body);
    assert.ok(err instanceof KubeError && err instanceof CopycatError);
    assert.equal(err.code, 'KUBE_GONE');
    assert.equal(err.status, 410);
    assert.equal(err.reason, 'Expired');
    assert.equal(err.message, 'WATCH /api/v1/pods: HTTP 410: too old resource version: 5 (9)');
    assert.equal(err.temporary, false);
  });

  it('works without a Status body and marks 5xx temporary', () => {
    const err = statusError('GET /x', 503, '<html>busy</html>');
    assert.equal(err.code, 'KUBE_SERVER_ERROR');
    assert.equal(err.message, 'GET /x: HTTP 503');
    assert.equal(err.temporary, true);
  });

  it('asStatus reads objects and JSON text only when they look like a Status', () => {
    assert.equal(asStatus('nope'), undefined);
    assert.equal(asStatus({ items: [] }), undefined);
    assert.equal(asStatus({ kind: 'Status', message: 'm' })?.message, 'm');
  });
});

describe('normaliseKubeError', () => {
  it('turns a client-node ApiException into a coded error without copying its header-laden message', () => {
    const apiException = Object.assign(new Error('HTTP-Code: 403 Message: ... Headers: {"authorization":"Bearer secret"}'), {
      code: 403,
      body: { kind: 'Status', code: 403, reason: 'Forbidden', message: 'pods is forbidden: User "x" cannot list resource "pods"' },
    });
    const err = normaliseKubeError(apiException, 'GET /api/v1/pods');
    assert.equal(err.code, 'KUBE_FORBIDDEN');
    assert.equal(err.cause, apiException);
    assert.doesNotMatch(err.message, /secret/);
    assert.match(err.message, /cannot list resource "pods"/);
  });

  it('reads the watch error shape (statusCode)', () => {
    const err = normaliseKubeError(Object.assign(new Error('Gone'), { statusCode: 410 }), 'WATCH /p');
    assert.equal(err.code, 'KUBE_GONE');
  });

  it('classifies timeouts and network failures as temporary', () => {
    const timeout = normaliseKubeError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'GET /a');
    assert.equal(timeout.code, 'KUBE_TIMEOUT');
    assert.equal(timeout.temporary, true);
    const refused = normaliseKubeError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }), 'GET /b');
    assert.equal(refused.code, 'KUBE_NETWORK');
    assert.equal(refused.message, 'GET /b: fetch failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1)');
    assert.equal(normaliseKubeError('weird', 'GET /c').code, 'KUBE_NETWORK');
  });

  it('passes a KubeError through unchanged', () => {
    const original = new KubeError('KUBE_CONFLICT', 'x');
    assert.equal(normaliseKubeError(original, 'y'), original);
  });
});
