/**
 * An in-process Docker token server (https://distribution.github.io/distribution/spec/auth/token/
 * and the OAuth2 variant, spec/auth/oauth/) that issues JWTs distribution 2.8 accepts.
 *
 * distribution 2.8 (`registry/auth/token/token.go`, `VerifySigningKey`) looks for the signing key
 * in the JWT header in this order: `x5c` (a certificate chain verified against
 * `auth.token.rootcertbundle`), `jwk`, then `kid` (a libtrust fingerprint of a root certificate's
 * key). We send `x5c` with the self-signed issuer certificate, which is itself the root in the
 * bundle, and sign with ES256 (JOSE raw r‖s signature, which libtrust's EC verifier expects).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { SelfSignedCert } from './openssl.ts';
import { closeHttpServer, listenEphemeral } from './net.ts';

/** One entry of a token's `access` claim. */
export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** What a single request to the token endpoint asked for and got; tests assert scope upgrades with it. */
export interface TokenRequestRecord {
  method: string;
  /** The `service` parameter as sent ('' when absent). */
  service: string;
  /** All requested scopes joined by one space ('' when none), in request order. */
  scope: string;
  /** The requested scopes one by one. */
  scopes: string[];
  /** The authenticated user; absent for anonymous requests. */
  user?: string;
  /** `password` or `refresh_token` for OAuth2 POSTs. */
  grantType?: string;
  /** What the issued token allows (empty when the request was refused). */
  granted: AccessEntry[];
  /** HTTP status the token server answered with. */
  status: number;
}

/** Decides which of the requested actions a caller gets on one resource. */
export type TokenPolicy = (request: { user?: string; type: string; name: string; actions: string[] }) => string[];

/** Configuration of {@link startTokenServer}. */
export interface TokenServerOptions {
  /** Must equal the registry's `auth.token.service`; the token's `aud`. */
  service: string;
  /** Must equal the registry's `auth.token.issuer`; the token's `iss`. */
  issuer: string;
  /** The signing key and the certificate the registry trusts. */
  cert: SelfSignedCert;
  /** Accepted username → password pairs. */
  users: Record<string, string>;
  /** Repositories anonymous callers may pull (regex on the repository name, or exact names). Default: none. */
  anonymousPull?: RegExp | readonly string[];
  /** Replaces the default grant rules (user: everything asked; anonymous: pull per `anonymousPull`). */
  policy?: TokenPolicy;
  /** Token lifetime in seconds (default 300). */
  ttlSeconds?: number;
  /** When false, `POST /token` answers 404 so clients must fall back to GET (default true). */
  oauth2?: boolean;
}

/** A running token server. */
export interface TokenServer {
  /** The realm to put in `auth.token.realm`: `http://127.0.0.1:PORT/token`. */
  realm: string;
  /** Every request to the token endpoint, in arrival order. */
  tokenRequests: TokenRequestRecord[];
  /** Stops the server and drops open connections. */
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Splits `repository:name:actions` where name may itself contain ':' (e.g. a port in a proxied name). */
function parseScope(scope: string): AccessEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  const actions = scope.slice(last + 1).split(',').filter((a) => a !== '');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

function matchesAnonymous(name: string, rule: RegExp | readonly string[] | undefined): boolean {
  if (rule === undefined) return false;
  if (rule instanceof RegExp) return rule.test(name);
  return rule.includes(name);
}

function signJwt(key: KeyObject, certDerBase64: string, claims: object): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certDerBase64] };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${base64url(signature)}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: object, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

/** Starts the token server on an ephemeral 127.0.0.1 port. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(options.cert.keyPem);
  const ttl = options.ttlSeconds ?? 300;
  const tokenRequests: TokenRequestRecord[] = [];
  const refreshTokens = new Map<string, string>(); // refresh token → user

  const policy: TokenPolicy =
    options.policy ??
    (({ user, type, name, actions }) => {
      if (user !== undefined) return actions;
      if (type === 'repository' && matchesAnonymous(name, options.anonymousPull)) return actions.filter((a) => a === 'pull');
      return [];
    });

  const issue = (user: string | undefined, service: string, scopes: string[]): { token: string; granted: AccessEntry[] } => {
    const granted: AccessEntry[] = [];
    for (const scope of scopes) {
      const wanted = parseScope(scope);
      if (!wanted) continue;
      const actions = policy({ ...(user !== undefined ? { user } : {}), ...wanted });
      if (actions.length > 0) granted.push({ type: wanted.type, name: wanted.name, actions });
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: options.issuer,
      sub: user ?? '',
      aud: service,
      exp: now + ttl,
      nbf: now - 5,
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access: granted,
    };
    return { token: signJwt(key, options.cert.certDerBase64, claims), granted };
  };

  const checkPassword = (user: string, password: string): boolean =>
    Object.hasOwn(options.users, user) && options.users[user] === password;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    if (url.pathname !== '/token') return sendJson(res, 404, { error: 'not_found' });

    if (req.method === 'GET') {
      const service = url.searchParams.get('service') ?? '';
      const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== '');
      const record: TokenRequestRecord = { method: 'GET', service, scope: scopes.join(' '), scopes, granted: [], status: 0 };
      tokenRequests.push(record);
      let user: string | undefined;
      const authorization = req.headers.authorization;
      if (authorization !== undefined) {
        const match = /^Basic\s+(\S+)$/i.exec(authorization);
        const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
        const colon = decoded.indexOf(':');
        const name = decoded.slice(0, colon);
        if (colon < 0 || !checkPassword(name, decoded.slice(colon + 1))) {
          record.status = 401;
          return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }, {
            'www-authenticate': 'Basic realm="copycat-test-token"',
          });
        }
        user = name;
        record.user = name;
      }
      const { token, granted } = issue(user, service, scopes);
      record.granted = granted;
      record.status = 200;
      const body: Record<string, unknown> = { token, access_token: token, expires_in: ttl, issued_at: new Date().toISOString() };
      if (user !== undefined && url.searchParams.get('offline_token') === 'true') {
        const refresh = randomBytes(24).toString('hex');
        refreshTokens.set(refresh, user);
        body['refresh_token'] = refresh;
      }
      return sendJson(res, 200, body);
    }

    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const service = form.get('service') ?? '';
      const scopes = form.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== '');
      const grantType = form.get('grant_type') ?? '';
      const record: TokenRequestRecord = { method: 'POST', service, scope: scopes.join(' '), scopes, grantType, granted: [], status: 0 };
      tokenRequests.push(record);
      if (options.oauth2 === false) {
        record.status = 404;
        return sendJson(res, 404, { error: 'not_found' });
      }
      let user: string | undefined;
      if (grantType === 'password') {
        const name = form.get('username') ?? '';
        if (checkPassword(name, form.get('password') ?? '')) user = name;
      } else if (grantType === 'refresh_token') {
        user = refreshTokens.get(form.get('refresh_token') ?? '');
      } else {
        record.status = 400;
        return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${JSON.stringify(grantType)}` });
      }
      if (user === undefined) {
        record.status = 400;
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'bad credentials or refresh token' });
      }
      record.user = user;
      const { token, granted } = issue(user, service, scopes);
      record.granted = granted;
      record.status = 200;
      const refresh = grantType === 'refresh_token' ? form.get('refresh_token')! : randomBytes(24).toString('hex');
      refreshTokens.set(refresh, user);
      return sendJson(res, 200, {
        token,
        access_token: token,
        expires_in: ttl,
        issued_at: new Date().toISOString(),
        refresh_token: refresh,
        scope: granted.map((g) => `${g.type}:${g.name}:${g.actions.join(',')}`).join(' '),
      });
    }

    res.writeHead(405, { allow: 'GET, POST' });
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(err) });
      else res.destroy();
    });
  });
  const port = await listenEphemeral(server);
  return {
    realm: `http://127.0.0.1:${port}/token`,
    tokenRequests,
    stop: () => closeHttpServer(server),
  };
}
