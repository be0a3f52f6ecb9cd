/**
 * A thin JSON client over `@kubernetes/client-node`: its `KubeConfig` does authentication and TLS
 * (tokens, client certificates, exec and OIDC plugins), its HTTP library sends requests, and its
 * `Watch` streams watch events. Answers stay raw JSON (see types.ts for why) and every failure
 * becomes a {@link KubeError}.
 */
import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext, Watch, type KubeConfig } from '@kubernetes/client-node';
import { anySignal } from '../internal/abort.ts';
import { KubeError, normaliseKubeError, statusError } from './errors.ts';
import type { ListLike } from './types.ts';

/** Query parameters; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** Options of one request. */
export interface KubeRequestOptions {
  query?: Query;
  /** JSON body (POST/PUT). */
  body?: unknown;
  /** Aborts the request; the abort reason is rethrown as is. */
  signal?: AbortSignal;
  /** Per-request deadline (default: the client's, 30 s). */
  timeoutMs?: number;
}

/** Options of {@link KubeClient}. */
export interface KubeClientOptions {
  /** Deadline of every non-watch request, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** How long one connection pool is reused before a fresh one is built (default 10 min), see `#dispatcher`. */
  dispatcherTtlMs?: number;
}

/** Receives each watch event's `type` and `object` synchronously. */
export type WatchEventCallback = (type: string, object: unknown) => void;

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** Raw JSON access to the API server of one {@link KubeConfig}. */
export class KubeClient {
  /** The loaded configuration (cluster, user, context). */
  readonly config: KubeConfig;
  readonly #http = new IsomorphicFetchHttpLibrary();
  readonly #watch: Watch;
  readonly #timeoutMs: number;
  readonly #dispatcherTtlMs: number;
  /**
   * client-node builds a new undici Agent (so a new TCP/TLS connection) on every request; the lease
   * renewal alone would then open one connection every 2 s. We keep the first Agent for a while
   * and reuse it, replacing it periodically so rotated client certificates are picked up.
   */
  #dispatcher: { value: Dispatcher; at: number } | undefined;

  constructor(config: KubeConfig, options: KubeClientOptions = {}) {
    this.config = config;
    this.#watch = new Watch(config);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#dispatcherTtlMs = options.dispatcherTtlMs ?? 600_000;
  }

  /** The API server URL of the current context. */
  get server(): string {
    const cluster = this.config.getCurrentCluster();
    if (cluster === null) throw new KubeError('KUBE_CONFIG_INVALID', `kubeconfig context ${JSON.stringify(this.config.getCurrentContext())} has no cluster`);
    return cluster.server.replace(/\/+$/, '');
  }

  #url(path: string, query: Query | undefined): string {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  #reuseDispatcher(ctx: RequestContext): void {
    const fresh = ctx.getDispatcher();
    if (fresh === undefined) return;
    const now = Date.now();
    const cached = this.#dispatcher;
    if (cached !== undefined && now - cached.at < this.#dispatcherTtlMs) {
      ctx.setDispatcher(cached.value);
      return;
    }
    this.#dispatcher = { value: fresh, at: now };
    // Closing waits for the requests still running on the old pool.
    if (cached !== undefined) cached.value.close().catch(() => undefined);
  }

  /** Sends one request and returns the parsed JSON answer; any non-2xx answer throws a {@link KubeError}. */
  async request<T>(method: HttpMethod, path: string, options: KubeRequestOptions = {}): Promise<T> {
    const what = `${method} ${path}`;
    const ctx = new RequestContext(this.#url(path, options.query), method);
    ctx.setHeaderParam('Accept', 'application/json');
    if (options.body !== undefined) {
      ctx.setHeaderParam('Content-Type', 'application/json');
      ctx.setBody(JSON.stringify(options.body));
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs);
    const signal = anySignal(options.signal, timeout);
    if (signal !== undefined) ctx.setSignal(signal);
    let status: number;
    let text: string;
    try {
      await this.config.applySecurityAuthentication(ctx);
      this.#reuseDispatcher(ctx);
      const response = await this.#http.send(ctx).toPromise();
      status = response.httpStatusCode;
      text = await response.body.text();
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw normaliseKubeError(err, what);
    }
    if (status < 200 || status >= 300) throw statusError(what, status, text);
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new KubeError('KUBE_BAD_RESPONSE', `${what}: answer is not JSON (${text.length} bytes)`, { status, cause: err });
    }
  }

  /** GET one object. */
  get<T>(path: string, options: Omit<KubeRequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>(HttpMethod.GET, path, options);
  }

  /** GET one page of a collection; checks the answer has an `items` array. */
  async list<T>(path: string, options: Omit<KubeRequestOptions, 'body'> = {}): Promise<ListLike<T>> {
    const list = await this.request<ListLike<T>>(HttpMethod.GET, path, options);
    if (typeof list !== 'object' || list === null || !Array.isArray(list.items)) {
      throw new KubeError('KUBE_BAD_RESPONSE', `GET ${path}: answer is not a list (no "items" array)`);
    }
    return list;
  }

  /** POST a new object to a collection path. */
  create<T>(path: string, body: T, options: Omit<KubeRequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>(HttpMethod.POST, path, { ...options, body });
  }

  /** PUT an object; with `metadata.resourceVersion` set, a concurrent change answers `KUBE_CONFLICT`. */
  replace<T>(path: string, body: T, options: Omit<KubeRequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>(HttpMethod.PUT, path, { ...options, body });
  }

  /** DELETE an object. */
  delete(path: string, options: Omit<KubeRequestOptions, 'body'> = {}): Promise<unknown> {
    return this.request<unknown>(HttpMethod.DELETE, path, options);
  }

  /**
   * Opens a watch stream (`?watch=true` is added). `onEvent` gets every decoded event; `onDone` is
   * called exactly once when the stream ends: `undefined` for a clean end (the server closed it, or
   * client-node's 30 s inactivity timeout fired), else the error as a {@link KubeError}. Resolves
   * with the controller that aborts the stream once the response headers arrived (or it failed).
   */
  async watch(path: string, query: Query, onEvent: WatchEventCallback, onDone: (err: KubeError | undefined) => void): Promise<AbortController> {
    const what = `WATCH ${path}`;
    let done = false;
    const finish = (err: unknown): void => {
      if (done) return;
      done = true;
      // client-node reports its inactivity timeout as a TimeoutError; the API server would have sent
      // at least a bookmark on a healthy stream, so this is a quiet end, not a failure.
      if (err === null || err === undefined || (err as { name?: unknown }).name === 'TimeoutError') onDone(undefined);
      else onDone(normaliseKubeError(err, what));
    };
    try {
      return await this.#watch.watch(path, query, (type, object) => onEvent(type, object), finish);
    } catch (err) {
      finish(err ?? new Error('watch failed'));
      return new AbortController();
    }
  }
}
