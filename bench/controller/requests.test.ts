import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProxyRequestRecord } from '../../test/support/proxy.ts';
import { nonSuccess, repositoryOf, requestShape, requestsPerRepository, summariseRequests, topShapes } from './requests.ts';

const D = `sha256:${'a'.repeat(64)}`;
const rec = (method: string, path: string, status = 200, query = ''): ProxyRequestRecord => ({ method, path, url: path + query, status });

test('summariseRequests: totals, per image, by method and kind', () => {
  const records = [rec('HEAD', `/v2/team/app/manifests/v1`), rec('HEAD', `/v2/team/app/manifests/${D}`, 404), rec('GET', `/v2/team/app/blobs/${D}`), rec('POST', '/v2/team/app/blobs/uploads/', 202, `?mount=${D}&from=x`)];
  const s = summariseRequests(records, 2);
  assert.equal(s.total, 4);
  assert.equal(s.perImage, 2);
  assert.deepEqual(s.byMethod, { GET: 1, HEAD: 2, POST: 1 });
  assert.deepEqual(s.byKind, { 'GET blob': 1, 'HEAD manifest': 2, 'POST mount': 1 });
  assert.equal(summariseRequests([], 0).perImage, 0);
});

test('requestShape folds repositories, digests, tags and upload ids', () => {
  assert.equal(requestShape(rec('HEAD', `/v2/team-01/app-007/manifests/${D}`)), 'HEAD /v2/<repo>/manifests/<digest>');
  assert.equal(requestShape(rec('HEAD', '/v2/team-01/app-007/manifests/v1.2.3')), 'HEAD /v2/<repo>/manifests/<tag>');
  assert.equal(requestShape(rec('PUT', '/v2/a/b/c/blobs/uploads/1f2e-33')), 'PUT /v2/<repo>/blobs/uploads/<id>');
  assert.equal(requestShape(rec('GET', '/v2/')), 'GET /v2/');
});

test('topShapes sorts by count, then name; nonSuccess groups failures', () => {
  const records = [rec('HEAD', '/v2/a/manifests/v1'), rec('HEAD', '/v2/b/manifests/v2'), rec('GET', `/v2/a/blobs/${D}`), rec('PUT', `/v2/a/manifests/v1`, 400)];
  assert.deepEqual(topShapes(records, 2), [
    { shape: 'HEAD /v2/<repo>/manifests/<tag>', count: 2 },
    { shape: 'GET /v2/<repo>/blobs/<digest>', count: 1 },
  ]);
  assert.deepEqual(nonSuccess(records), { '400 PUT manifest': 1 });
});

test('requestsPerRepository: a histogram of requests per repository', () => {
  assert.equal(repositoryOf(`/v2/team-01/app-007/manifests/${D}`), 'team-01/app-007');
  assert.equal(repositoryOf('/v2/'), undefined);
  const records = [rec('HEAD', `/v2/a/x/manifests/${D}`), rec('HEAD', '/v2/a/x/manifests/v1'), rec('HEAD', '/v2/b/manifests/v1'), rec('HEAD', '/v2/c/manifests/v1'), rec('GET', '/v2/')];
  assert.deepEqual(requestsPerRepository(records), { '1': 2, '2': 1 });
  assert.deepEqual(requestsPerRepository([]), {});
});
