import type { Readable } from 'node:stream';
import { sleep } from '../../internal/abort.ts';
import { backoffDelay } from '../../internal/backoff.ts';
import { CopycatError, isAbortError } from '../../internal/errors.ts';
import { InFlight } from '../../internal/once-by-key.ts';
import { computeDigest, isDigest, MANIFEST_ACCEPT, parseManifest, schema1Digest, type Descriptor } from '../../oci/index.ts';
import { Authenticator } from '../auth/authenticator.ts';
import { StaticCredentials, type CredentialProvider } from '../auth/credentials.ts';
import { redactUrl, RegistryError } from '../transport/errors.ts';
import { discard, errorFromResponse, readBounded, readText, Transport, type TransportOptions, type TransportRequest, type TransportResponse } from '../transport/transport.ts';
import { openBlob, type BlobReadOptions } from './blob-read.ts';
import { uploadBlob, type UploadOptions } from './blob-upload.ts';
import { parseRateLimit, type RateLimitInfo } from './rate-limit.ts';
import { repoPath, scopeOf, type Repo } from './repo.ts';

/** Options of a {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** Share one transport (connection pools, host back-off) between clients; created when absent. */
  transport?: Transport;
  transportOptions?: TransportOptions;
  credentials?: CredentialProvider;
  /** Registries reached over plain HTTP or with unverified TLS (`--insecure-registry`). Loopback hosts always are. */
  insecureRegistries?: Iterable<string>;
  /** Largest manifest we read (distribution's own limit is 4 MiB). */
  maxManifestBytes?: number;
  /** Called with the request budget a registry announces, so callers can slow down before a 429. */
  onRateLimit?: (registry: string, info: RateLimitInfo) => void;
}

/** A manifest as fetched: its exact bytes, which are what gets pushed, never a re-serialisation. */
export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  /** Digest of the bytes (for schema1: of the signed payload, as registries compute it). */
  digest: string;
  size: number;
}

/** What `HEAD` on a manifest tells. */
export interface ManifestHead {
  mediaType: string;
  digest: string;
  size: number;
}

/** Default largest manifest: 4 MiB, the limit distribution and most registries enforce on push. */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MANIFEST_ACCEPT_HEADER = MANIFEST_ACCEPT.join(', ');
/** Reads of a manifest whose body broke off mid-way, the first included. */
const MANIFEST_BODY_ATTEMPTS = 3;
const TAG_PAGE = 1000; // ECR refuses n > 1000 (go-containerregistry remote/options.go)
const MAX_TAG_PAGES = 10_000;

/**
 * The registry API (OCI distribution spec v1.1) for one process: manifests, blobs, mounts, uploads and
 * tags, with authentication and scheme selection handled per registry. Every method takes the
 * repository it addresses; tokens are scoped to exactly what the call needs.
 */
export class RegistryClient {
  readonly transport: Transport;
  readonly #ownsTransport: boolean;
  readonly #auth: Authenticator;
  readonly #insecure: Set<string>;
  readonly #maxManifest: number;
  readonly #onRateLimit: RegistryClientOptions['onRateLimit'];
  readonly #bases = new Map<string, Promise<string>>();
  readonly #pings = new InFlight<void>();

  constructor(opts: RegistryClientOptions = {}) {
    this.transport = opts.transport ?? new Transport(opts.transportOptions);
    this.#ownsTransport = opts.transport === undefined;
    this.#insecure = new Set(opts.insecureRegistries ?? []);
    this.#auth = new Authenticator(this.transport, opts.credentials ?? new StaticCredentials(), (r) => this.isInsecure(r));
    this.#maxManifest = opts.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
    this.#onRateLimit = opts.onRateLimit;
  }

  /** True when a registry is reached over HTTP or unverified TLS. */
  isInsecure(registry: string): boolean {
    if (this.#insecure.has(registry)) return true;
    // Loopback is always allowed plain HTTP, like Docker's default insecure range 127.0.0.0/8.
    const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : (registry.split(':')[0] ?? registry);
    return host === 'localhost' || host.startsWith('127.') || host === '::1';
  }

  /** `GET /v2/`: checks the registry answers and learns how it authenticates. */
  async ping(registry: string, signal?: AbortSignal): Promise<void> {
    const base = await this.#base(registry, signal);
    const res = await this.transport.request({ method: 'GET', url: `${base}/v2/`, signal, insecure: this.isInsecure(registry) });
    if (res.status === 200) {
      discard(res);
      this.#auth.learn(registry, null);
      return;
    }
    if (res.status === 401) {
      discard(res);
      this.#auth.learn(registry, res.challenges);
      return;
    }
    throw await errorFromResponse(res);
  }

  /** One ping per registry however many uploads start at once before its auth scheme is known. */
  #learnAuth(registry: string, signal: AbortSignal | undefined): Promise<void> {
    return this.#pings.run(registry, () => this.ping(registry, signal));
  }

  /** `HEAD` a manifest by tag or digest; undefined when the registry says it does not exist. */
  async headManifest(repo: Repo, reference: string, signal?: AbortSignal): Promise<ManifestHead | undefined> {
    const res = await this.#send(repo, [scopeOf(repo, 'pull')], {
      method: 'HEAD',
      path: `/manifests/${referencePath(reference)}`,
      headers: { accept: MANIFEST_ACCEPT_HEADER },
      signal,
    });
    if (res.status === 404) {
      discard(res);
      return undefined;
    }
    if (res.status !== 200) throw await errorFromResponse(res);
    discard(res);
    const digest = res.headers['docker-content-digest'];
    const size = Number(res.headers['content-length']);
    const mediaType = stripParams(res.headers['content-type']);
    if (!digest || !isDigest(digest) || !Number.isFinite(size) || !mediaType) {
      // Some registries omit Docker-Content-Digest on HEAD: learn it from the bytes instead.
      const m = await this.getManifest(repo, reference, signal);
      return { mediaType: m.mediaType, digest: m.digest, size: m.size };
    }
    if (isDigest(reference) && digest !== reference) {
      throw new CopycatError('DIGEST_MISMATCH', `${repo.registry}/${repo.repository}@${reference}: registry reports digest ${digest}`);
    }
    return { mediaType, digest, size };
  }

  /**
   * `GET` a manifest by tag or digest, always sending the full `Accept` list: a tag GET without it makes
   * distribution 2.8 down-convert schema2 to schema1, a different document under a different digest.
   * The bytes are checked against the requested digest, and against `Docker-Content-Digest`.
   */
  async getManifest(repo: Repo, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const where = `${repo.registry}/${repo.repository}${isDigest(reference) ? '@' : ':'}${reference}`;
    let res: TransportResponse;
    let bytes: Buffer;
    for (let attempt = 1; ; attempt++) {
      res = await this.#send(repo, [scopeOf(repo, 'pull')], {
        method: 'GET',
        path: `/manifests/${referencePath(reference)}`,
        headers: { accept: MANIFEST_ACCEPT_HEADER },
        signal,
      });
      if (res.status !== 200) throw await errorFromResponse(res);
      try {
        bytes = await readLimited(res, this.#maxManifest, where);
        break;
      } catch (err) {
        if (err instanceof CopycatError || isAbortError(err) || signal?.aborted) throw err;
        // The body broke off or stalled (`bodyIdleTimeoutMs`) after the headers had arrived: that is past
        // the transport's retry layer, which ends once a response starts. A manifest is small and read
        // whole here, so asking again is safe; the last failure surfaces as a typed NETWORK/TIMEOUT error
        // naming the URL instead of undici's bare "Body Timeout Error" (found by test/copy-faults.test.ts).
        if (attempt >= MANIFEST_BODY_ATTEMPTS) throw bodyReadError(res, err);
        await sleep(backoffDelay(attempt - 1, { initialMs: 100, maxMs: 1_000 }), signal);
      }
    }
    const expected = isDigest(reference) ? reference : undefined;
    let parsed: ReturnType<typeof parseManifest>;
    try {
      parsed = parseManifest(bytes, stripParams(res.headers['content-type']));
    } catch (err) {
      // Bytes damaged in flight rarely still parse: when they do not hash to the digest asked for, that
      // is the fault to report (DIGEST_MISMATCH), not a malformed image (found by test/copy-bad-input.test.ts).
      if (expected !== undefined && computeDigest(bytes) !== expected) {
        throw new CopycatError('DIGEST_MISMATCH', `manifest ${where} has digest ${computeDigest(bytes)}: the registry sent other bytes than requested`, { cause: err });
      }
      throw err;
    }
    const digest = parsed.kind === 'schema1' ? schema1Digest(bytes) : computeDigest(bytes);
    if (expected !== undefined && digest !== expected) {
      throw new CopycatError('DIGEST_MISMATCH', `manifest ${where} has digest ${digest}: the registry sent other bytes than requested`);
    }
    const announced = res.headers['docker-content-digest'];
    if (announced && isDigest(announced) && announced.startsWith('sha256:') && digest.startsWith('sha256:') && announced !== digest) {
      throw new CopycatError('DIGEST_MISMATCH', `manifest ${where}: registry announced ${announced} but the bytes hash to ${digest}`);
    }
    return { bytes, mediaType: parsed.mediaType, digest, size: bytes.length };
  }

  /**
   * `PUT` manifest bytes exactly as given under a tag or digest; returns the digest the registry
   * stored, which must be the digest of the bytes (anything else means the registry rewrote them).
   */
  async putManifest(repo: Repo, reference: string, bytes: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<string> {
    const digest = computeDigest(bytes);
    const res = await this.#send(repo, [scopeOf(repo, 'pull,push')], {
      method: 'PUT',
      path: `/manifests/${referencePath(reference)}`,
      headers: { 'content-type': mediaType },
      body: bytes,
      signal,
      retry: true, // a manifest PUT is idempotent: same bytes, same result
    });
    if (res.status !== 201 && res.status !== 200 && res.status !== 202) throw await errorFromResponse(res);
    discard(res);
    const stored = res.headers['docker-content-digest'];
    if (stored && stored !== digest) {
      throw new CopycatError('DIGEST_MISMATCH', `${repo.registry}/${repo.repository}: registry stored the manifest as ${stored}, not ${digest}`);
    }
    return digest;
  }

  /** `HEAD` a blob: its size when the repository has it, undefined otherwise. */
  async headBlob(repo: Repo, digest: string, signal?: AbortSignal): Promise<number | undefined> {
    const res = await this.#send(repo, [scopeOf(repo, 'pull')], { method: 'HEAD', path: `/blobs/${digest}`, signal });
    discard(res);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw await errorFromResponse(res);
    const size = Number(res.headers['content-length']);
    return Number.isFinite(size) ? size : -1;
  }

  /**
   * Streams a blob, verifying size and digest while the bytes flow; a dropped connection is resumed
   * with a `Range` request from where it broke. The stream errors with `DIGEST_MISMATCH` or
   * `SIZE_MISMATCH` instead of ever ending normally with wrong bytes.
   */
  async getBlob(repo: Repo, desc: Pick<Descriptor, 'digest' | 'size'>, opts: BlobReadOptions = {}): Promise<Readable> {
    return openBlob((range, signal) => {
      const headers: Record<string, string> = range > 0 ? { range: `bytes=${range}-` } : {};
      return this.#send(repo, [scopeOf(repo, 'pull')], { method: 'GET', path: `/blobs/${desc.digest}`, headers, signal });
    }, desc, opts);
  }

  /**
   * Asks the registry to link a blob from another repository on the same registry (cross-repo mount).
   * Returns true when mounted. When the registry starts an upload instead (202), the session is
   * cancelled and false returned; any failure also returns false, because a mount is only a shortcut.
   */
  async mountBlob(repo: Repo, digest: string, from: Repo, signal?: AbortSignal): Promise<boolean> {
    if (from.registry !== repo.registry || from.repository === repo.repository) return false;
    let res: TransportResponse;
    try {
      res = await this.#send(repo, [scopeOf(repo, 'pull,push'), scopeOf(from, 'pull')], {
        method: 'POST',
        path: `/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from.repository)}`,
        headers: { 'content-length': '0' },
        signal,
      });
    } catch {
      return false;
    }
    discard(res);
    if (res.status === 201) return true;
    if (res.status === 202 && res.headers.location) {
      // An unused upload session would linger until the registry purges it: close it now.
      const url = new URL(res.headers.location, res.url);
      await this.#sendUrl(repo, [scopeOf(repo, 'pull,push')], { method: 'DELETE', url: url.toString(), signal })
        .then(discard, () => undefined);
    }
    return false;
  }

  /**
   * Uploads a blob from a stream factory (called again for each fallback attempt): one monolithic
   * `PUT`, else a streamed `PATCH`, else fixed-size chunks. The registry checks the digest on commit,
   * and the stream itself is verified, so wrong bytes are never committed.
   */
  async uploadBlob(repo: Repo, desc: Pick<Descriptor, 'digest' | 'size'>, open: () => Promise<Readable>, opts: UploadOptions = {}): Promise<void> {
    if (!this.#auth.knows(repo.registry)) await this.#learnAuth(repo.registry, opts.signal);
    await uploadBlob(
      {
        start: async (signal) => {
          const res = await this.#send(repo, [scopeOf(repo, 'pull,push')], {
            method: 'POST',
            path: '/blobs/uploads/',
            headers: { 'content-length': '0' },
            signal,
          });
          if (res.status !== 202) throw await errorFromResponse(res);
          discard(res);
          const location = res.headers.location;
          if (!location) throw new RegistryError({ status: res.status, method: 'POST', url: redactUrl(res.url), code: 'BLOB_UPLOAD_INVALID', message: `${repo.registry}: upload started without a Location header` });
          return new URL(location, res.url).toString();
        },
        send: (req) => this.#sendUrl(repo, [scopeOf(repo, 'pull,push')], req),
      },
      desc,
      open,
      opts,
    );
  }

  /** Every tag of a repository, following `Link` pagination. */
  async listTags(repo: Repo, signal?: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    const seen = new Set<string>();
    let next: string | undefined = `${await this.#base(repo.registry, signal)}/v2/${repoPath(repo)}/tags/list?n=${TAG_PAGE}`;
    for (let page = 0; next !== undefined && page < MAX_TAG_PAGES; page++) {
      if (seen.has(next)) break; // a registry that links a page to itself would loop forever
      seen.add(next);
      const res = await this.#sendUrl(repo, [scopeOf(repo, 'pull')], { method: 'GET', url: next, signal });
      if (res.status !== 200) throw await errorFromResponse(res);
      const body = JSON.parse(await readText(res, 16 * 1024 * 1024)) as { tags?: unknown };
      if (Array.isArray(body.tags)) for (const t of body.tags) if (typeof t === 'string') tags.push(t);
      next = nextLink(res.headers.link, res.url);
    }
    return tags;
  }

  /** Closes pooled connections (only when this client created its transport). */
  async close(): Promise<void> {
    if (this.#ownsTransport) await this.transport.close();
  }

  async #send(repo: Repo, scopes: string[], req: { method: TransportRequest['method']; path: string; headers?: Record<string, string>; body?: TransportRequest['body']; signal?: AbortSignal | undefined; retry?: boolean }): Promise<TransportResponse> {
    const base = await this.#base(repo.registry, req.signal);
    const { path, ...rest } = req;
    return this.#sendUrl(repo, scopes, { ...rest, url: `${base}/v2/${repoPath(repo)}${path}` });
  }

  /** Sends with authentication: learns challenges from 401s and retries with the scopes asked for. */
  async #sendUrl(repo: Repo, initialScopes: string[], req: Omit<TransportRequest, 'insecure'>): Promise<TransportResponse> {
    const registry = repo.registry;
    const replayable = req.body === undefined || typeof req.body === 'string' || req.body instanceof Uint8Array;
    if (!replayable && !this.#auth.knows(registry)) await this.#learnAuth(registry, req.signal ?? undefined);
    let scopes = initialScopes;
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.#auth.header(registry, scopes, req.signal ?? undefined);
      const headers = { ...(req.headers ?? {}), ...(authorization ? { authorization } : {}) };
      const res = await this.transport.request({ ...req, headers, insecure: this.isInsecure(registry) });
      const limits = parseRateLimit(res.headers);
      if (limits) this.#onRateLimit?.(registry, limits);
      if ((res.status === 401 || res.status === 403) && res.challenges.length > 0 && replayable && attempt < 2) {
        const next = this.#auth.onDenied(registry, res.status, res.challenges, scopes, authorization !== undefined);
        if (next) {
          discard(res);
          scopes = next;
          continue;
        }
      }
      if (res.status < 400 && !this.#auth.knows(registry)) this.#auth.learn(registry, null);
      if (res.status === 401) throw await unauthorized(res, repo, authorization !== undefined);
      return res;
    }
  }

  /**
   * The base URL of a registry: https, except for insecure ones, which get https with unverified TLS
   * when they speak it and plain http otherwise (Docker's behaviour for `insecure-registries`).
   */
  #base(registry: string, signal?: AbortSignal): Promise<string> {
    let base = this.#bases.get(registry);
    if (!base) {
      base = this.#detectBase(registry, signal);
      this.#bases.set(registry, base);
      base.catch(() => this.#bases.delete(registry));
    }
    return base;
  }

  async #detectBase(registry: string, signal?: AbortSignal): Promise<string> {
    const host = apiHost(registry);
    if (!this.isInsecure(registry)) return `https://${host}`;
    try {
      const res = await this.transport.request({ method: 'GET', url: `https://${host}/v2/`, insecure: true, signal, retry: false });
      discard(res);
      if (res.status === 401) this.#auth.learn(registry, res.challenges);
      return `https://${host}`;
    } catch (err) {
      if (signal?.aborted) throw err;
      return `http://${host}`;
    }
  }
}

/**
 * A final 401 as an error that says which registry refused and what to check; the registry's own
 * message is kept, our credentials never appear (only whether any were sent).
 */
async function unauthorized(res: TransportResponse, repo: Repo, sentCredentials: boolean): Promise<RegistryError> {
  const cause = await errorFromResponse(res);
  const hint = sentCredentials ? 'the credentials for this registry were rejected' : 'it needs credentials and none are configured for it';
  return new RegistryError({
    status: 401,
    method: cause.method,
    url: cause.url,
    errors: cause.errors,
    code: 'UNAUTHORIZED',
    message: `${repo.registry} refused ${cause.method} on ${repo.repository}: ${hint} (${cause.message})`,
    cause,
  });
}

/** Docker Hub's API lives on `registry-1.docker.io`, not on the name users write. */
function apiHost(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
}

/**
 * A tag or digest as a path segment. A digest goes raw (`sha256:…`), as the distribution spec writes it
 * and other clients send it: `%3A` is not equivalent to `:` (RFC 3986 §2.2), so a registry or proxy that
 * matches the raw path would miss it. Anything else is escaped so it cannot change the path.
 */
function referencePath(reference: string): string {
  return isDigest(reference) ? reference : encodeURIComponent(reference);
}

/** A manifest body that failed mid-read (socket closed, idle timeout), as a typed, temporary registry error. */
function bodyReadError(res: TransportResponse, cause: unknown): RegistryError {
  const name = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.name) : '';
  return new RegistryError({ status: 0, method: res.method, url: redactUrl(res.url), code: /TIMEOUT/i.test(name) ? 'TIMEOUT' : 'NETWORK', cause });
}

function stripParams(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim() ?? '';
}

async function readLimited(res: TransportResponse, limit: number, where: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // undici errors a destroyed body with `Request aborted`; unheard, that is an uncaughtException.
    res.body.on('error', () => {}).destroy();
    throw new CopycatError('MANIFEST_TOO_LARGE', `manifest ${where} is ${declared} bytes, over the ${limit}-byte limit`);
  }
  const { bytes, truncated } = await readBounded(res, limit);
  if (truncated) throw new CopycatError('MANIFEST_TOO_LARGE', `manifest ${where} is over the ${limit}-byte limit`);
  return bytes;
}

/** The `rel="next"` target of an RFC 8288 `Link` header, resolved against the request URL. */
export function nextLink(link: string | undefined, base: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /(?:^|;)\s*rel="?next"?\s*(?:;|$)/i.test(m[2] ?? '')) return new URL(m[1] ?? '', base).toString();
  }
  return undefined;
}
