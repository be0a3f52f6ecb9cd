/** What a registry announced about its request budget (Docker Hub, IETF RateLimit headers). */
export interface RateLimitInfo {
  /** Requests allowed in the window. */
  limit?: number;
  /** Requests left in the window. */
  remaining?: number;
  /** Window length in seconds, from the `w=` parameter. */
  windowSeconds?: number;
}

/**
 * Parses `RateLimit-Limit` / `RateLimit-Remaining` (Docker Hub sends `100;w=21600`), or returns
 * undefined when the response carries neither.
 * https://docs.docker.com/docker-hub/usage/pulls/ and draft-ietf-httpapi-ratelimit-headers.
 */
export function parseRateLimit(headers: Record<string, string>): RateLimitInfo | undefined {
  const limit = headers['ratelimit-limit'];
  const remaining = headers['ratelimit-remaining'];
  if (limit === undefined && remaining === undefined) return undefined;
  const info: RateLimitInfo = {};
  const l = parseHeaderNumber(limit);
  if (l) {
    info.limit = l.value;
    if (l.window !== undefined) info.windowSeconds = l.window;
  }
  const r = parseHeaderNumber(remaining);
  if (r) {
    info.remaining = r.value;
    if (r.window !== undefined && info.windowSeconds === undefined) info.windowSeconds = r.window;
  }
  return info;
}

function parseHeaderNumber(value: string | undefined): { value: number; window?: number } | undefined {
  if (value === undefined) return undefined;
  const [first, ...params] = value.split(';');
  const n = Number.parseInt((first ?? '').trim(), 10);
  if (Number.isNaN(n)) return undefined;
  const w = params.map((p) => p.trim()).find((p) => p.startsWith('w='));
  const window = w ? Number.parseInt(w.slice(2), 10) : undefined;
  return window !== undefined && !Number.isNaN(window) ? { value: n, window } : { value: n };
}
