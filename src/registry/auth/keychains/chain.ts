import type { Credential, CredentialProvider } from '../credentials.ts';

/**
 * Asks credential providers in order; the first that has a credential for the registry wins, and
 * when none has one the registry is used anonymously. A provider that throws (a failing credential
 * helper) stops the lookup: guessing on with a weaker credential would hide the failure.
 */
export class CredentialChain implements CredentialProvider {
  readonly #providers: readonly CredentialProvider[];

  constructor(providers: Iterable<CredentialProvider | undefined>) {
    this.#providers = [...providers].filter((p): p is CredentialProvider => p !== undefined);
  }

  /** How many providers the chain asks. */
  get length(): number {
    return this.#providers.length;
  }

  /** The first provider's credential for `registry`, or undefined (anonymous) when none has one. */
  async resolve(registry: string, repository?: string): Promise<Credential | undefined> {
    for (const provider of this.#providers) {
      const credential = await provider.resolve(registry, repository);
      if (credential) return credential;
    }
    return undefined;
  }
}

/** The credential sources copycat knows, each optional; see {@link defaultChain} for their order. */
export interface CredentialSources {
  /** Given on the command line (`--src-creds`, `--dest-creds`, `--creds`) or by a library caller. */
  explicit?: CredentialProvider | undefined;
  /** The config file's `registryCredentials` ({@link ConfigCredentials}). */
  config?: CredentialProvider | undefined;
  /** The pod's `imagePullSecrets` plus its service account's ({@link PullSecretCredentials}). */
  pullSecrets?: CredentialProvider | undefined;
  /** A docker `config.json` with its credential helpers ({@link DockerConfigCredentials}). */
  dockerConfig?: CredentialProvider | undefined;
}

/**
 * The chain in copycat's documented order (docs/credentials.md), most deliberate source first:
 * 1. explicit credentials (CLI flags, library callers);
 * 2. the config file's `registryCredentials`;
 * 3. Kubernetes pull secrets: the pod's `imagePullSecrets`, then its service account's;
 * 4. the docker config (`auths`, `credHelpers`, `credsStore`);
 * 5. otherwise anonymous.
 */
export function defaultChain(sources: CredentialSources = {}): CredentialChain {
  return new CredentialChain([sources.explicit, sources.config, sources.pullSecrets, sources.dockerConfig]);
}
