import type { Readable } from 'node:stream';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { sleep } from '../../internal/abort.ts';
import { backoffDelay, parseRetryAfter, type BackoffOptions } from '../../internal/backoff.ts';
import { isAbortError } from '../../internal/errors.ts';
import { parseErrorBody, redactUrl, RegistryError } from './errors.ts';
import { HostGate } from './host-gate.ts';

/** A request the transport sends. */
export interface TransportRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  url: string | URL;
  headers?: Record<string, string>;
  /** A buffer (replayable) or a stream (sent once: never retried, never redirected). */
  body?: Uint8Array | string | Readable;
  signal?: AbortSignal | undefined;
  /** Overrides the default: GET and HEAD are retried, everything else is not. */
  retry?: boolean;
  /** Skip TLS verification for this request (insecure registries). */
  insecure?: boolean;
}

/** A response whose body the caller must consume or {@link discard}. */
export interface TransportResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with `, ` except where noted. */
  headers: Record<string, string>;
  /** Every `WWW-Authenticate` value separately (they may not be safely joined). */
  challenges: string[];
  body: Readable;
  /** The URL that produced this response, after redirects. */
  url: string;
  method: string;
}

/** Hooks for metrics and logs; the composition root wires these, lower layers never import metrics. */
export interface TransportObserver {
  /** One HTTP exchange finished (each retry and redirect counts). */
  onResponse?(info: { method: string; host: string; status: number; durationMs: number }): void;
  /** A request waits because a host throttled us (429, Retry-After) or failed. */
  onThrottle?(info: { host: string; waitMs: number; reason: string }): void;
}

/** Tuning of the transport. */
export interface TransportOptions {
  userAgent?: string;
  /** Connections per origin in the keep-alive pool. */
  connectionsPerHost?: number;
  /** Attempts for idempotent requests, the first included. */
  attempts?: number;
  backoff?: BackoffOptions;
  /** The longest `Retry-After` we are willing to sleep inside one request; longer ones fail with `retryAfterMs` set. */
  maxRetryAfterMs?: number;
  /** Time to receive response headers. */
  headersTimeoutMs?: number;
  /** Longest silence while a body flows before the request fails (catches stalled responses). */
  bodyIdleTimeoutMs?: number;
  observer?: TransportObserver;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_REDIRECTS = 10;
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * HTTP for registries: pooled keep-alive connections (undici), redirects followed by hand so that
 * `Authorization` never leaves its origin, and the single retry layer for idempotent requests,
 * honouring `Retry-After` through a per-host gate shared by every request to that host.
 */
export class Transport {
  readonly #secure: Agent;
  readonly #insecure: Agent;
  readonly #opts: Required<Omit<TransportOptions, 'observer'>>;
  readonly #observer: TransportObserver | undefined;
  readonly #gate = new HostGate();
  #closed = false;

  constructor(opts: TransportOptions = {}) {
    this.#opts = {
      userAgent: opts.userAgent ?? 'copycat',
      connectionsPerHost: opts.connectionsPerHost ?? 16,
      attempts: opts.attempts ?? 4,
      backoff: opts.backoff ?? { initialMs: 200, maxMs: 5_000 },
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
      headersTimeoutMs: opts.headersTimeoutMs ?? 60_000,
      bodyIdleTimeoutMs: opts.bodyIdleTimeoutMs ?? 60_000,
    };
    this.#observer = opts.observer;
    const common = {
      connections: this.#opts.connectionsPerHost,
      keepAliveTimeout: 30_000,
      headersTimeout: this.#opts.headersTimeoutMs,
      bodyTimeout: this.#opts.bodyIdleTimeoutMs,
    };
    this.#secure = new Agent(common);
    this.#insecure = new Agent({ ...common, connect: { rejectUnauthorized: false } });
  }

  /**
   * Sends a request, following redirects and retrying idempotent ones on temporary failures.
   * Returns every status (the caller decides what is an error) except the temporary ones it gave up on,
   * which throw a {@link RegistryError}.
   */
  async request(req: TransportRequest): Promise<TransportResponse> {
    const retryable = req.retry ?? (req.method === 'GET' || req.method === 'HEAD');
    const attempts = retryable ? this.#opts.attempts : 1;
    let lastError: RegistryError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const host = new URL(req.url).host;
      await this.#gate.wait(host, req.signal);
      let res: TransportResponse;
      try {
        res = await this.#followRedirects(req);
      } catch (err) {
        if (isAbortError(err) || req.signal?.aborted) throw err;
        // Already classified (TOO_MANY_REDIRECTS): not a network failure, and retrying cannot help.
        if (err instanceof RegistryError) throw err;
        lastError = networkError(req, err);
        if (attempt + 1 >= attempts) break;
        const delay = backoffDelay(attempt, this.#opts.backoff);
        this.#observer?.onThrottle?.({ host, waitMs: delay, reason: lastError.code });
        await sleep(delay, req.signal);
        continue;
      }
      if (!retryable || !RETRY_STATUS.has(res.status)) {
        if (res.status < 400) this.#gate.succeeded(host);
        return res;
      }
      lastError = await errorFromResponse(res);
      const retryAfter = lastError.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > this.#opts.maxRetryAfterMs) break;
      if (attempt + 1 >= attempts) break;
      const delay = retryAfter ?? backoffDelay(attempt, this.#opts.backoff);
      // A throttled host is throttled for every request to it, not only this one.
      this.#gate.delay(host, delay);
      this.#observer?.onThrottle?.({ host, waitMs: delay, reason: lastError.code });
    }
    throw lastError ?? new RegistryError({ status: 0, method: req.method, url: redactUrl(req.url) });
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    // Idempotent: several owners (CLI, library users) may close the same transport.
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#secure.close(), this.#insecure.close()]);
  }

  async #followRedirects(req: TransportRequest): Promise<TransportResponse> {
    let url = new URL(req.url);
    const origin = url.origin;
    let headers: Record<string, string> = { 'user-agent': this.#opts.userAgent, ...lowerKeys(req.headers ?? {}) };
    for (let hop = 0; ; hop++) {
      const res = await this.#once(req, url, headers);
      const location = res.headers['location'];
      const follow = REDIRECTS.has(res.status) && location !== undefined && (req.body === undefined || typeof req.body === 'string' || req.body instanceof Uint8Array);
      if (!follow || req.method === 'PUT' || req.method === 'POST' || req.method === 'PATCH') return res;
      if (hop >= MAX_REDIRECTS) {
        discard(res);
        throw new RegistryError({ status: res.status, method: req.method, url: redactUrl(url), code: 'TOO_MANY_REDIRECTS' });
      }
      discard(res);
      url = new URL(location, url);
      if (url.origin !== origin) {
        // Blob downloads redirect to object storage with the credentials in the URL; our token must
        // not follow (it would leak to a third party, and S3 rejects a second auth mechanism).
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
    }
  }

  async #once(req: TransportRequest, url: URL, headers: Record<string, string>): Promise<TransportResponse> {
    const started = performance.now();
    const dispatcher: Dispatcher = req.insecure ? this.#insecure : this.#secure;
    const res = await undiciRequest(url, {
      method: req.method,
      headers,
      body: req.body,
      signal: req.signal,
      dispatcher,
    });
    const flat: Record<string, string> = {};
    let challenges: string[] = [];
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      if (name === 'www-authenticate') challenges = Array.isArray(value) ? value : [value];
      flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.#observer?.onResponse?.({ method: req.method, host: url.host, status: res.statusCode, durationMs: performance.now() - started });
    return { status: res.statusCode, headers: flat, challenges, body: res.body, url: url.toString(), method: req.method };
  }
}

/** Releases a response's connection without reading what is left of its body. */
export function discard(res: TransportResponse): void {
  res.body.on('error', () => {});
  res.body.resume();
}

/**
 * Reads a response body into memory, stopping (and releasing the connection) as soon as it passes
 * `limit` bytes: for small documents only (manifests, tokens, error bodies), never for blobs.
 */
export async function readBounded(res: TransportResponse, limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      // undici errors a destroyed body with `Request aborted`; unheard, that is an uncaughtException.
      res.body.on('error', () => {}).destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

/** Reads a small response body as text, keeping at most `limit` bytes of it. */
export async function readText(res: TransportResponse, limit = ERROR_BODY_LIMIT): Promise<string> {
  return (await readBounded(res, limit)).bytes.toString('utf8');
}

/** Builds the {@link RegistryError} a non-success response stands for, reading its body (64 KiB at most). */
export async function errorFromResponse(res: TransportResponse, code?: string): Promise<RegistryError> {
  const body = res.method === 'HEAD' ? '' : await readText(res).catch(() => '');
  if (res.method === 'HEAD') discard(res);
  return new RegistryError({
    status: res.status,
    method: res.method,
    url: redactUrl(res.url),
    errors: parseErrorBody(body),
    retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    ...(code ? { code } : {}),
  });
}

function networkError(req: TransportRequest, cause: unknown): RegistryError {
  const name = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.name) : '';
  const timeout = /TIMEOUT/i.test(name);
  return new RegistryError({ status: 0, method: req.method, url: redactUrl(req.url), code: timeout ? 'TIMEOUT' : 'NETWORK', cause });
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
