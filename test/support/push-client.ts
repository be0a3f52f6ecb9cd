/**
 * A deliberately simple, independent registry client built on `fetch`, used by the fixtures to
 * write test images and by tests to read raw bytes back. It shares no code with `src/` so it can
 * act as a second opinion on what our client does.
 *
 * Auth: it sends the request, and on a 401 follows the `WWW-Authenticate` challenge — Basic with
 * the target's credentials, or Bearer through a `GET realm?service=…&scope=…` token request
 * (https://distribution.github.io/distribution/spec/auth/token/) — then retries once.
 */
import { createHash } from 'node:crypto';

/** Where to push: a running registry, a proxy in front of one, or any `{url, username?, password?}`. */
export interface PushTarget {
  /** Base URL, e.g. `http://127.0.0.1:5000`. */
  url: string;
  username?: string;
  password?: string;
}

/** A registry answered with an unexpected status. */
export class RegistryHttpError extends Error {
  /** HTTP status received. */
  readonly status: number;
  /** Response body (truncated to 2 KiB), usually OCI error JSON. */
  readonly body: string;

  constructor(method: string, url: string, status: number, body: string) {
    super(`${method} ${url} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'RegistryHttpError';
    this.status = status;
    this.body = body.slice(0, 2048);
  }
}

/** Returns `sha256:<hex>` of `bytes`. */
export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a `WWW-Authenticate` header (enough for distribution's single challenge). */
function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const param of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3]!;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** Per-target auth state: whether to send Basic, and bearer tokens by scope. */
interface AuthCache {
  basic: boolean;
  tokens: Map<string, string>;
}

const authCaches = new WeakMap<PushTarget, AuthCache>();

function cacheFor(target: PushTarget): AuthCache {
  let cache = authCaches.get(target);
  if (!cache) {
    cache = { basic: false, tokens: new Map() };
    authCaches.set(target, cache);
  }
  return cache;
}

function basicHeader(target: PushTarget): string | undefined {
  if (target.username === undefined) return undefined;
  return `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
}

async function fetchToken(target: PushTarget, challenge: Challenge, scope: string): Promise<string> {
  const realm = challenge.params['realm'];
  if (realm === undefined) throw new Error(`Bearer challenge without realm from ${target.url}`);
  const url = new URL(realm);
  if (challenge.params['service'] !== undefined) url.searchParams.set('service', challenge.params['service']);
  const wanted = scope || challenge.params['scope'] || '';
  for (const s of wanted.split(' ').filter((x) => x !== '')) url.searchParams.append('scope', s);
  const headers: Record<string, string> = {};
  const basic = basicHeader(target);
  if (basic !== undefined) headers['authorization'] = basic;
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new RegistryHttpError('GET', url.toString(), response.status, text);
  const body = JSON.parse(text) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (token === undefined) throw new Error(`token response from ${url.toString()} has no token: ${text.slice(0, 200)}`);
  return token;
}

/** Options of {@link registryFetch}. */
export interface RegistryFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Token scope to ask for on a Bearer challenge, e.g. `repository:foo:pull,push`. */
  scope?: string;
}

/**
 * Sends one request to `pathOrUrl` (a path on the target, or an absolute URL such as an upload
 * `Location`), answering an auth challenge once. The response is returned whatever its status.
 */
export async function registryFetch(target: PushTarget, pathOrUrl: string, options: RegistryFetchOptions = {}): Promise<Response> {
  const url = new URL(pathOrUrl, target.url);
  const cache = cacheFor(target);
  const scope = options.scope ?? '';
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { ...options.headers };
    const token = cache.tokens.get(scope);
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    else if (cache.basic) {
      const basic = basicHeader(target);
      if (basic !== undefined) headers['authorization'] = basic;
    }
    const init: RequestInit = { method: options.method ?? 'GET', headers, redirect: 'follow' };
    if (options.body !== undefined) init.body = options.body;
    const response = await fetch(url, init);
    if (response.status !== 401 || attempt > 0) return response;
    const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
    const canAnswer =
      challenge !== undefined &&
      (challenge.scheme === 'bearer' || (challenge.scheme === 'basic' && target.username !== undefined));
    if (!canAnswer) return response;
    await response.arrayBuffer();
    if (challenge.scheme === 'basic') cache.basic = true;
    else cache.tokens.set(scope, await fetchToken(target, challenge, scope));
  }
}

async function expectStatus(response: Response, method: string, url: string, ...ok: number[]): Promise<void> {
  if (ok.includes(response.status)) return;
  throw new RegistryHttpError(method, url, response.status, await response.text());
}

function pushScope(repo: string): string {
  return `repository:${repo}:pull,push`;
}

/**
 * Uploads `bytes` as a blob with one POST (start upload) and one monolithic PUT; skips the upload
 * when a HEAD finds the blob already there. Returns its digest and size.
 */
export async function pushBlob(target: PushTarget, repo: string, bytes: Uint8Array): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  const scope = pushScope(repo);
  const head = await registryFetch(target, `/v2/${repo}/blobs/${digest}`, { method: 'HEAD', scope });
  if (head.status === 200) return { digest, size: bytes.length };
  const start = await registryFetch(target, `/v2/${repo}/blobs/uploads/`, { method: 'POST', scope });
  await expectStatus(start, 'POST', `/v2/${repo}/blobs/uploads/`, 202);
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (location === null) throw new Error(`upload start for ${repo} returned no Location`);
  const uploadUrl = new URL(location, target.url);
  uploadUrl.searchParams.set('digest', digest);
  const put = await registryFetch(target, uploadUrl.toString(), {
    method: 'PUT',
    scope,
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  await expectStatus(put, 'PUT', uploadUrl.toString(), 201);
  await put.arrayBuffer();
  return { digest, size: bytes.length };
}

/**
 * PUTs `raw` unchanged as a manifest under `reference` (tag or digest) with `mediaType` as
 * Content-Type. Returns the registry's `Docker-Content-Digest` (for schema1 that is the payload
 * digest, not the hash of `raw`).
 */
export async function pushManifest(target: PushTarget, repo: string, reference: string, raw: Uint8Array, mediaType: string): Promise<string> {
  const path = `/v2/${repo}/manifests/${reference}`;
  const response = await registryFetch(target, path, {
    method: 'PUT',
    scope: pushScope(repo),
    body: raw,
    headers: { 'content-type': mediaType },
  });
  await expectStatus(response, 'PUT', path, 201);
  await response.arrayBuffer();
  const digest = response.headers.get('docker-content-digest');
  if (digest === null) throw new Error(`manifest PUT ${path} returned no Docker-Content-Digest`);
  return digest;
}

/** Every manifest media type, for an `Accept` header that hides nothing. */
export const ACCEPT_ALL_MANIFESTS = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v1+json',
].join(', ');

/** A manifest as served: exact bytes, Content-Type and Docker-Content-Digest. */
export interface FetchedManifest {
  raw: Buffer;
  mediaType: string;
  digest: string | undefined;
}

/** GETs a manifest's exact bytes (pull scope), throwing {@link RegistryHttpError} unless 200. */
export async function fetchManifest(target: PushTarget, repo: string, reference: string, accept = ACCEPT_ALL_MANIFESTS): Promise<FetchedManifest> {
  const path = `/v2/${repo}/manifests/${reference}`;
  const response = await registryFetch(target, path, { scope: `repository:${repo}:pull`, headers: { accept } });
  await expectStatus(response, 'GET', path, 200);
  return {
    raw: Buffer.from(await response.arrayBuffer()),
    mediaType: response.headers.get('content-type') ?? '',
    digest: response.headers.get('docker-content-digest') ?? undefined,
  };
}

/** HEADs a blob; true on 200, false on 404, throws otherwise. */
export async function blobExists(target: PushTarget, repo: string, digest: string): Promise<boolean> {
  const path = `/v2/${repo}/blobs/${digest}`;
  const response = await registryFetch(target, path, { method: 'HEAD', scope: `repository:${repo}:pull` });
  if (response.status === 404) return false;
  await expectStatus(response, 'HEAD', path, 200);
  return true;
}
