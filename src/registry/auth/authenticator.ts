import { InFlight } from '../../internal/once-by-key.ts';
import type { Transport } from '../transport/transport.ts';
import { parseChallenges, pickChallenge, type Challenge } from './challenge.ts';
import type { CredentialProvider } from './credentials.ts';
import { basicHeader, fetchToken, type Token } from './token.ts';

/** How the authenticator learns whether a registry is plain HTTP or local. */
export type InsecurePredicate = (registry: string) => boolean;

/**
 * Produces `Authorization` headers per registry and scope set, and learns from `401` challenges.
 *
 * Flow (distribution token auth):
 * 1. Unknown registry: the first request goes out anonymous; a `401` teaches us its challenge.
 * 2. Basic challenge: send the credential on every request.
 * 3. Bearer challenge: exchange the credential for a token scoped to exactly the repositories and
 *    actions the request needs; cache it per registry + scope set until shortly before expiry.
 * 4. A `401`/`403` naming a scope we lack (`insufficient_scope`) adds it, new scopes first, and retries once.
 */
export class Authenticator {
  readonly #transport: Transport;
  readonly #credentials: CredentialProvider;
  readonly #insecure: InsecurePredicate;
  readonly #challenges = new Map<string, Challenge | null>();
  readonly #tokens = new Map<string, Token>();
  readonly #fetching = new InFlight<Token>();

  constructor(transport: Transport, credentials: CredentialProvider, insecure: InsecurePredicate) {
    this.#transport = transport;
    this.#credentials = credentials;
    this.#insecure = insecure;
  }

  /** True once we know how a registry authenticates (after a ping or a first 401). */
  knows(registry: string): boolean {
    return this.#challenges.has(registry);
  }

  /** Records what `GET /v2/` (or any 401) told us; `null` means the registry needs no auth. */
  learn(registry: string, wwwAuthenticate: readonly string[] | null): void {
    if (wwwAuthenticate === null) {
      this.#challenges.set(registry, null);
      return;
    }
    const challenge = pickChallenge(parseChallenges(wwwAuthenticate));
    this.#challenges.set(registry, challenge ?? null);
  }

  /** The `Authorization` value for a request needing `scopes`, or undefined to go anonymous. */
  async header(registry: string, scopes: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
    const challenge = this.#challenges.get(registry);
    if (!challenge) return undefined;
    // Pull secrets may be keyed by repository path (`quay.io/org`): say which repository this is for.
    const credential = await this.#credentials.resolve(registry, primaryRepository(scopes));
    if (challenge.scheme === 'basic') {
      return credential?.kind === 'basic' ? basicHeader(credential.username, credential.password) : undefined;
    }
    if (credential?.kind === 'bearer') return `Bearer ${credential.token}`;
    // The cache key is order-free, but the token request keeps the caller's order: onDenied puts the
    // scopes a registry asked for first, because some token servers only read the first one.
    const wanted = [...new Set(scopes)];
    const key = `${registry}\n${[...wanted].sort().join(' ')}`;
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    const token = await this.#fetching.run(key, () =>
      fetchToken(this.#transport, {
        registry,
        challenge,
        scopes: wanted,
        credential,
        registryInsecure: this.#insecure(registry),
        signal,
      }),
    );
    this.#tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  /**
   * Handles a 401/403 answer: learns the challenge and returns the scopes to retry with
   * (extra scopes the server named first), or undefined when retrying cannot help.
   */
  onDenied(registry: string, status: number, wwwAuthenticate: readonly string[], scopes: readonly string[], hadAuth: boolean): string[] | undefined {
    const challenge = pickChallenge(parseChallenges(wwwAuthenticate));
    if (!challenge) return undefined;
    const known = this.#challenges.get(registry);
    this.#challenges.set(registry, challenge);
    const wanted = challenge.params.scope ? challenge.params.scope.split(' ').filter((s) => s !== '') : [];
    const extra = wanted.filter((s) => !scopes.includes(s));
    // Some registries only read the first scope parameter: put the new ones first (go-containerregistry bearer.go).
    const next = [...extra, ...scopes];
    if (!hadAuth || !known) return next;
    if (extra.length > 0) return next;
    if (status === 401 && challenge.scheme === 'bearer') {
      // Our token was refused although it had the scopes: it may have expired early. Drop it, try once more.
      this.#forget(registry, scopes);
      return next;
    }
    return undefined;
  }

  #forget(registry: string, scopes: readonly string[]): void {
    const key = `${registry}\n${[...new Set(scopes)].sort().join(' ')}`;
    this.#tokens.delete(key);
  }
}

/**
 * The repository a request is mainly about: the one it pushes to, else the first it reads.
 * Scope strings are `repository:<name>:<actions>` (distribution token scope grammar).
 */
export function primaryRepository(scopes: readonly string[]): string | undefined {
  const parsed = scopes
    .filter((s) => s.startsWith('repository:'))
    .map((s) => ({ name: s.slice('repository:'.length, s.lastIndexOf(':')), actions: s.slice(s.lastIndexOf(':') + 1) }));
  return (parsed.find((p) => p.actions.split(',').includes('push')) ?? parsed[0])?.name;
}
