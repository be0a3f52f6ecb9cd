import { CopycatError } from '../../internal/errors.ts';

/** A credential for one registry. */
export type Credential =
  | { kind: 'basic'; username: string; password: string }
  /** An identity (refresh) token, exchanged with the OAuth2 POST flow (`docker login` with a token helper). */
  | { kind: 'identity-token'; token: string; username?: string }
  /** A ready registry bearer token, sent as is. */
  | { kind: 'bearer'; token: string };

/** Finds the credential to use for a registry (`docker.io`, `ghcr.io`, `127.0.0.1:5000`), or none for anonymous access. */
export interface CredentialProvider {
  /**
   * The credential for `registry` (copycat's canonical name), or undefined for anonymous access.
   * `repository` (`library/nginx`), when the caller knows it, lets providers with path-scoped keys
   * (Kubernetes pull secrets keyed `quay.io/org`) pick the most specific credential; providers that
   * work per registry ignore it.
   */
  resolve(registry: string, repository?: string): Promise<Credential | undefined>;
}

/** A fixed registry → credential table (CLI `--src-creds`, tests). */
export class StaticCredentials implements CredentialProvider {
  readonly #byRegistry: Map<string, Credential>;

  constructor(entries: Iterable<[string, Credential]> = []) {
    this.#byRegistry = new Map(entries);
  }

  /** Adds or replaces the credential of one registry. */
  set(registry: string, credential: Credential): this {
    this.#byRegistry.set(registry, credential);
    return this;
  }

  resolve(registry: string): Promise<Credential | undefined> {
    return Promise.resolve(this.#byRegistry.get(registry));
  }
}

/**
 * Parses the `user:password` form of `--src-creds` / `--dest-creds` (skopeo's syntax). Only the first
 * colon splits, so passwords may contain colons. The error never repeats the value.
 */
export function parseUserPass(value: string, flag: string): Credential {
  const at = value.indexOf(':');
  if (at <= 0) throw new CopycatError('CREDENTIALS_INVALID', `${flag} must be USERNAME:PASSWORD (the value given has no username before a colon)`);
  return { kind: 'basic', username: value.slice(0, at), password: value.slice(at + 1) };
}
