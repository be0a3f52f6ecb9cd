import { isIP } from 'node:net';
import { CopycatError } from '../../internal/errors.ts';
import { errorFromResponse, readText, type Transport } from '../transport/transport.ts';
import type { Challenge } from './challenge.ts';
import type { Credential } from './credentials.ts';

/** A registry token and when to stop using it. */
export interface Token {
  token: string;
  /** Epoch milliseconds after which the token must be refreshed. */
  expiresAt: number;
}

/** What a token exchange needs. */
export interface TokenRequest {
  /** The registry the token is for (used in messages, never its secrets). */
  registry: string;
  challenge: Challenge;
  scopes: readonly string[];
  credential: Credential | undefined;
  /** True when the registry itself is plain HTTP or loopback, which permits a non-HTTPS realm. */
  registryInsecure: boolean;
  signal?: AbortSignal | undefined;
}

const TOKEN_BODY_LIMIT = 64 * 1024;
// distribution's token spec: "If not specified, the token should be considered valid for 60 seconds".
const DEFAULT_EXPIRY_S = 60;
// Refresh a little before the server says so: the request that carries the token takes time too.
const EXPIRY_MARGIN_MS = 10_000;

/**
 * Exchanges credentials for a bearer token at the challenge's realm
 * (https://distribution.github.io/distribution/spec/auth/token/ and …/auth/oauth/).
 * Identity tokens use the OAuth2 POST flow, falling back to GET when the server has no POST endpoint;
 * everything else uses GET with basic auth (or none).
 */
export async function fetchToken(transport: Transport, req: TokenRequest): Promise<Token> {
  const realm = validateRealm(req);
  if (req.credential?.kind === 'identity-token') {
    const posted = await postToken(transport, realm, req);
    if (posted) return posted;
  }
  const url = new URL(realm);
  if (req.challenge.params.service) url.searchParams.set('service', req.challenge.params.service);
  for (const scope of req.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = {};
  if (req.credential?.kind === 'basic') headers.authorization = basicHeader(req.credential.username, req.credential.password);
  const res = await transport.request({ method: 'GET', url, headers, signal: req.signal, insecure: req.registryInsecure });
  if (res.status !== 200) throw tokenError(req, await errorFromResponse(res));
  return parseTokenBody(req, await readText(res, TOKEN_BODY_LIMIT));
}

async function postToken(transport: Transport, realm: string, req: TokenRequest): Promise<Token | undefined> {
  if (req.credential?.kind !== 'identity-token') return undefined;
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: req.credential.token, client_id: 'copycat' });
  if (req.challenge.params.service) form.set('service', req.challenge.params.service);
  if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
  const res = await transport.request({
    method: 'POST',
    url: realm,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    signal: req.signal,
    insecure: req.registryInsecure,
    retry: true,
  });
  // Servers without the OAuth2 endpoint answer 404/405: go-containerregistry falls back to GET too.
  if (res.status === 404 || res.status === 405) {
    await readText(res).catch(() => '');
    return undefined;
  }
  if (res.status !== 200) throw tokenError(req, await errorFromResponse(res));
  return parseTokenBody(req, await readText(res, TOKEN_BODY_LIMIT));
}

function parseTokenBody(req: TokenRequest, body: string): Token {
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch (cause) {
    throw new CopycatError('AUTH_FAILED', `token server for ${req.registry} answered with a body that is not JSON`, { cause });
  }
  const token = typeof parsed.token === 'string' && parsed.token !== '' ? parsed.token : parsed.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new CopycatError('AUTH_FAILED', `token server for ${req.registry} answered without a token`);
  }
  const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_EXPIRY_S;
  return { token, expiresAt: Date.now() + Math.max(expiresIn * 1000 - EXPIRY_MARGIN_MS, expiresIn * 500) };
}

function tokenError(req: TokenRequest, cause: CopycatError & { status?: number }): CopycatError {
  const who = req.credential ? 'the configured credentials were rejected' : 'anonymous access was refused';
  const code = cause.status === 401 || cause.status === 403 ? 'UNAUTHORIZED' : 'AUTH_FAILED';
  return new CopycatError(code, `authentication to ${req.registry} failed: ${who} by its token server (${cause.message})`, { cause });
}

/**
 * Refuses realms that could turn a hostile registry into a request forgery against our network:
 * the realm must be HTTPS, and a loopback, link-local or private IP literal is only accepted when the
 * registry is itself local/insecure (mirrors go-containerregistry's bearer.go realm check).
 */
function validateRealm(req: TokenRequest): string {
  const raw = req.challenge.params.realm;
  if (!raw) throw new CopycatError('AUTH_FAILED', `${req.registry} sent a bearer challenge without a realm`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new CopycatError('AUTH_FAILED', `${req.registry} sent a bearer realm that is not a URL: ${JSON.stringify(raw)}`, { cause });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && req.registryInsecure)) {
    throw new CopycatError('AUTH_FAILED', `${req.registry} sent a bearer realm that is not https: ${url.origin}`);
  }
  if (isPrivateHost(url.hostname) && !req.registryInsecure) {
    throw new CopycatError('AUTH_FAILED', `${req.registry} sent a bearer realm on a private address: ${url.origin}`);
  }
  return url.toString();
}

/** True for loopback, link-local and private-range IP literals and `localhost`. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
  }
  if (family === 6) return host === '::1' || host.startsWith('fe80:') || host.startsWith('fc') || host.startsWith('fd') || host === '::';
  return false;
}

/** `Basic base64(user:pass)` header value. */
export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
