import { CopycatError } from '../../internal/errors.ts';

/** One entry of the `errors` array a registry returns (distribution spec "Error Codes"). */
export interface RegistryErrorEntry {
  code: string;
  message?: string;
  detail?: unknown;
}

/** What a {@link RegistryError} was raised for. */
export interface RegistryErrorInit {
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  status: number;
  method: string;
  /** The request URL with query credentials removed (see {@link redactUrl}). */
  url: string;
  /** The registry's own error entries, when the body carried any. */
  errors?: RegistryErrorEntry[];
  /** Delay the registry asked for (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
  /** Overrides the code derived from the status and error entries. */
  code?: string;
  /** Overrides the message derived from the rest. */
  message?: string;
}

// Codes the distribution spec and go-containerregistry treat as worth another try.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
const TEMPORARY_CODES = new Set(['BLOB_UPLOAD_INVALID', 'TOOMANYREQUESTS', 'UNKNOWN', 'UNAVAILABLE', 'NETWORK', 'TIMEOUT']);
const TEMPORARY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * An error talking to a registry: carries the HTTP status, the OCI error codes the registry sent
 * and a `temporary` verdict, so callers decide on retries and messages by code, never by text.
 *
 * `code` is the first OCI code the registry sent (`MANIFEST_UNKNOWN`, `DENIED`, …); without one it is
 * derived from the status (`UNAUTHORIZED`, `TOOMANYREQUESTS`, `NOT_FOUND`, `HTTP_502`) or is `NETWORK` /
 * `TIMEOUT` when no response arrived.
 */
export class RegistryError extends CopycatError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly errors: RegistryErrorEntry[];
  readonly retryAfterMs: number | undefined;

  constructor(init: RegistryErrorInit) {
    const code = init.code ?? deriveCode(init.status, init.errors);
    super(code, init.message ?? describe(init, code), { cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.errors = init.errors ?? [];
    this.retryAfterMs = init.retryAfterMs;
  }

  /** True when another attempt may succeed (throttling, 5xx, network trouble). */
  get temporary(): boolean {
    if (TEMPORARY_STATUS.has(this.status)) return true;
    if (this.errors.length > 0) return this.errors.every((e) => TEMPORARY_CODES.has(e.code));
    return TEMPORARY_CODES.has(this.code);
  }

  /** True when the registry said the thing does not exist (404 or a `*_UNKNOWN` code). */
  get notFound(): boolean {
    return this.status === 404 || /_UNKNOWN$/.test(this.code) || this.code === 'NAME_UNKNOWN';
  }
}

function deriveCode(status: number, errors: RegistryErrorEntry[] | undefined): string {
  const first = errors?.[0]?.code;
  if (first) return first;
  switch (status) {
    case 0:
      return 'NETWORK';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'DENIED';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'TOOMANYREQUESTS';
    default:
      return `HTTP_${status}`;
  }
}

function describe(init: RegistryErrorInit, code: string): string {
  const where = `${init.method} ${init.url}`;
  const details = (init.errors ?? [])
    .map((e) => (e.message ? `${e.code}: ${e.message}` : e.code))
    .join('; ');
  // The CLI prints the code in front already: say what happened, not the code again.
  if (init.status === 0) return `${where}: ${init.cause instanceof Error ? init.cause.message : code === 'TIMEOUT' ? 'timed out' : 'no response'}`;
  return `${where}: HTTP ${init.status}${details ? ` (${details})` : ''}`;
}

/** Parses a registry error body (`{"errors":[…]}`); returns an empty list for anything else. */
export function parseErrorBody(body: string): RegistryErrorEntry[] {
  if (body.trim() === '') return [];
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { errors?: unknown }).errors)) {
      return ((parsed as { errors: unknown[] }).errors)
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string')
        .map((e) => ({ code: String(e.code), message: typeof e.message === 'string' ? e.message : undefined, detail: e.detail }));
    }
  } catch {
    // Not JSON: some proxies answer with HTML. The status alone then classifies the error.
  }
  return [];
}

/**
 * Removes credentials from a URL before it is printed: user info, and query parameters that carry
 * secrets (pre-signed blob redirects to S3/GCS put signatures there).
 */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url.toString());
  } catch {
    return '<invalid url>';
  }
  u.username = '';
  u.password = '';
  if (u.search !== '') {
    for (const key of [...u.searchParams.keys()]) {
      if (!SAFE_QUERY_KEYS.has(key.toLowerCase())) u.searchParams.set(key, 'REDACTED');
    }
  }
  return u.toString();
}

// Query keys that are part of the registry protocol and safe to print.
const SAFE_QUERY_KEYS = new Set(['n', 'last', 'digest', 'mount', 'from', 'service', 'scope', 'artifacttype']);
