import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CopyError } from '../copy/index.ts';
import { RegistryError } from '../registry/index.ts';
import { authFailure, classifyError, OVERWRITTEN_HINT, type ClassifyContext } from './classify.ts';
import { MirrorError } from './errors.ts';

const CTX: ClassifyContext = { phase: 'push', subject: 'reg.example.com/app:1', sourceRegistry: 'docker.io', targetRegistry: 'reg.example.com', byPodDigest: false };

describe('classifyError', () => {
  it('tells the failing registry from the request URL (Docker Hub by its API host)', () => {
    const fromHub = classifyError(new RegistryError({ status: 429, method: 'GET', url: 'https://registry-1.docker.io/v2/library/nginx/blobs/sha256:x', retryAfterMs: 5000 }), CTX);
    assert.equal(fromHub.side, 'source');
    assert.equal(fromHub.registry, 'docker.io');
    assert.equal(fromHub.code, 'TOOMANYREQUESTS');
    assert.equal(fromHub.temporary, true);
    assert.equal(fromHub.retryAfterMs, 5000);
    const toTarget = classifyError(new RegistryError({ status: 403, method: 'PUT', url: 'https://reg.example.com/v2/app/manifests/1', errors: [{ code: 'DENIED', message: 'no' }] }), CTX);
    assert.equal(toTarget.side, 'target');
    assert.equal(toTarget.temporary, false);
    assert.match(toTarget.message, /^push reg\.example\.com\/app:1: /);
  });

  it('copy-engine codes name their side; timeouts are temporary TIMEOUT errors', () => {
    assert.equal(classifyError(new CopyError('SPARSE_INDEX_REJECTED', 'x'), { ...CTX, phase: 'describe' }).side, 'target');
    assert.equal(classifyError(new CopyError('SCHEMA1_UNSUPPORTED', 'x'), CTX).side, 'source');
    const t = classifyError(new DOMException('The operation timed out', 'TimeoutError'), CTX);
    assert.equal(t.code, 'TIMEOUT');
    assert.equal(t.temporary, true);
    assert.match(t.message, /timed out \(requestTimeout\)/);
  });

  it('adds the overwritten hint only for a pod digest missing at the source', () => {
    const unknown = new RegistryError({ status: 404, method: 'GET', url: 'https://registry-1.docker.io/v2/library/nginx/manifests/sha256:b', errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    assert.ok(classifyError(unknown, { ...CTX, phase: 'describe', byPodDigest: true }).message.endsWith(OVERWRITTEN_HINT));
    assert.ok(!classifyError(unknown, { ...CTX, phase: 'describe' }).message.includes(OVERWRITTEN_HINT));
  });

  it('a MirrorError passes through; authFailure finds 401/403/DENIED', () => {
    const m = new MirrorError({ code: 'X', message: 'm', side: 'source', registry: 'r' });
    assert.equal(classifyError(m, CTX), m);
    const denied = classifyError(new RegistryError({ status: 401, method: 'GET', url: 'https://reg.example.com/v2/', errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }), CTX);
    assert.deepEqual(authFailure(denied), { statusCode: 401, details: ['UNAUTHORIZED: authentication required'] });
    assert.equal(authFailure(new Error('x')), undefined);
    // TestDetectRegistryAuthErrorByDiagnostic: a 400 whose diagnostic says UNAUTHORIZED.
    const diag = new RegistryError({ status: 400, method: 'GET', url: 'https://reg.example.com/v2/x/manifests/1', errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    assert.deepEqual(authFailure(diag), { statusCode: 400, details: ['UNAUTHORIZED: authentication required'] });
    assert.equal(authFailure(new RegistryError({ status: 404, method: 'GET', url: 'https://reg.example.com/v2/', errors: [{ code: 'MANIFEST_UNKNOWN' }] })), undefined);
  });
});
