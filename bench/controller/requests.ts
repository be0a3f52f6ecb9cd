/**
 * Summaries of the requests the counting proxies saw: totals, per unique image, by method and by kind
 * (`HEAD manifest`, `PUT blob-upload`, … from bench/count-requests.ts), and the busiest request shapes with
 * digests and upload ids folded, to find out where requests go.
 */
import type { ProxyRequestRecord } from '../../test/support/proxy.ts';
import { requestKind } from '../count-requests.ts';
import { round } from '../lib/stats.ts';

/** Requests to one registry in one phase. */
export interface RequestSummary {
  total: number;
  /** `total` / unique images. */
  perImage: number;
  byMethod: Record<string, number>;
  byKind: Record<string, number>;
}

function sortedCounts(keys: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** Summarises `records` for `uniqueImages` images. */
export function summariseRequests(records: readonly ProxyRequestRecord[], uniqueImages: number): RequestSummary {
  return {
    total: records.length,
    perImage: uniqueImages > 0 ? round(records.length / uniqueImages, 3) : 0,
    byMethod: sortedCounts(records.map((r) => r.method)),
    byKind: sortedCounts(records.map((r) => requestKind(r))),
  };
}

/**
 * A request's shape: method and path with digests, upload ids and repository names folded
 * (`HEAD /v2/<repo>/manifests/<digest>`), so thousands of requests group into a few lines.
 */
export function requestShape(r: Pick<ProxyRequestRecord, 'method' | 'path'>): string {
  const path = r.path
    .replace(/sha256:[0-9a-f]{64}/g, '<digest>')
    .replace(/\/blobs\/uploads\/[^/]+$/, '/blobs/uploads/<id>')
    .replace(/^\/v2\/(.+?)\/(manifests|blobs|tags)\//, '/v2/<repo>/$2/')
    .replace(/\/manifests\/(?!<digest>)[^/]+$/, '/manifests/<tag>');
  return `${r.method} ${path}`;
}

/** The `limit` most frequent request shapes, most frequent first (ties by name). */
export function topShapes(records: readonly ProxyRequestRecord[], limit = 10): Array<{ shape: string; count: number }> {
  const counts = sortedCounts(records.map(requestShape));
  return Object.entries(counts)
    .map(([shape, count]) => ({ shape, count }))
    .sort((a, b) => b.count - a.count || a.shape.localeCompare(b.shape))
    .slice(0, limit);
}

/** Requests whose status was not 2xx/3xx, by `status method kind`, for the report (404s of HEAD probes are normal). */
export function nonSuccess(records: readonly ProxyRequestRecord[]): Record<string, number> {
  return sortedCounts(records.filter((r) => r.status < 200 || r.status >= 400).map((r) => `${r.status} ${requestKind(r)}`));
}

/** The repository a registry request addresses (`/v2/<repo>/manifests/…` → `<repo>`); undefined for `/v2/` and others. */
export function repositoryOf(path: string): string | undefined {
  const m = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(path);
  return m?.[1];
}

/**
 * How many repositories (one per unique image here) got how many requests: `{ '1': 235, '2': 65 }` says 65
 * images cost two requests each. Requests that address no repository are left out.
 */
export function requestsPerRepository(records: readonly Pick<ProxyRequestRecord, 'path'>[]): Record<string, number> {
  const perRepo = new Map<string, number>();
  for (const r of records) {
    const repo = repositoryOf(r.path);
    if (repo !== undefined) perRepo.set(repo, (perRepo.get(repo) ?? 0) + 1);
  }
  const histogram = new Map<number, number>();
  for (const n of perRepo.values()) histogram.set(n, (histogram.get(n) ?? 0) + 1);
  return Object.fromEntries([...histogram].sort(([a], [b]) => a - b).map(([n, repos]) => [String(n), repos]));
}
