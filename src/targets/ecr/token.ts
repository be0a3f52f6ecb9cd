import { InFlight } from '../../internal/once-by-key.ts';
import { EcrError } from './errors.ts';

/** Registry credentials decoded from an ECR authorization token. */
export interface RegistryToken {
  /** Always `AWS` for private ECR. */
  username: string;
  password: string;
  /** Epoch milliseconds after which the registry refuses the password. */
  expiresAt: number;
}

/** `authorizationData[0]` of a GetAuthorizationToken answer (the SDK's shape). */
export interface AuthorizationDataLike {
  authorizationToken?: string | undefined;
  expiresAt?: Date | undefined;
}

/** Lifetime assumed when ECR names no `expiresAt` (its tokens last 12 h; assuming less only refreshes sooner). */
const DEFAULT_LIFETIME_MS = 60 * 60 * 1000;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes `base64(user:password)` (k8s-copycat `BasicAuth`, reference §4.4). Errors say what was wrong and for
 * which registry (`where`), never any part of the token.
 */
export function decodeAuthorizationToken(data: readonly AuthorizationDataLike[] | undefined, where: string, now: number = Date.now()): RegistryToken {
  const first = data?.[0];
  const encoded = first?.authorizationToken?.trim() ?? '';
  if (encoded === '') throw new EcrError('ECR_TOKEN_INVALID', `ECR GetAuthorizationToken for ${where} returned no authorization data`, { action: 'GetAuthorizationToken' });
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw new EcrError('ECR_TOKEN_INVALID', `ECR GetAuthorizationToken for ${where} returned a token that is not base64`, { action: 'GetAuthorizationToken' });
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new EcrError('ECR_TOKEN_INVALID', `ECR GetAuthorizationToken for ${where} returned a token that is not "user:password"`, { action: 'GetAuthorizationToken' });
  }
  const expires = first?.expiresAt?.getTime();
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    expiresAt: expires !== undefined && Number.isFinite(expires) ? expires : now + DEFAULT_LIFETIME_MS,
  };
}

/** Options of a {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Refresh this long before `expiresAt` (default 5 minutes), so a push never starts with a dying token. */
  refreshMarginMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Holds one registry token and fetches a new one only when it is within the refresh margin of expiring
 * (k8s-copycat fetched one per image, reference §7.2). Concurrent callers share one fetch (single-flight);
 * a failed fetch is not cached, so the next caller tries again.
 */
export class TokenCache {
  readonly #fetch: () => Promise<RegistryToken>;
  readonly #margin: number;
  readonly #now: () => number;
  readonly #inflight = new InFlight<RegistryToken>();
  #token: RegistryToken | undefined;

  constructor(fetch: () => Promise<RegistryToken>, opts: TokenCacheOptions = {}) {
    this.#fetch = fetch;
    this.#margin = opts.refreshMarginMs ?? 5 * 60 * 1000;
    this.#now = opts.now ?? Date.now;
  }

  /** A token valid for at least the refresh margin, fetched when the cached one is not. */
  get(): Promise<RegistryToken> {
    const t = this.#token;
    if (t && t.expiresAt - this.#margin > this.#now()) return Promise.resolve(t);
    return this.#inflight.run('token', async () => {
      const fresh = await this.#fetch();
      this.#token = fresh;
      return fresh;
    });
  }

  /** Forgets the cached token (e.g. after the registry refused it), so the next {@link get} fetches. */
  invalidate(): void {
    this.#token = undefined;
  }
}
