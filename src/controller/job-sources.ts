/**
 * Source clients per job for `usePodPullSecrets`: a job reads its source with the chain
 * `registryCredentials` → the pull secrets of **that job's users** → docker config → anonymous
 * (docs/credentials.md). Why per job and never a cluster-wide pool of secrets: a pod must not get an image
 * mirrored with another namespace's credentials. A job used only by a pod of namespace `b` must fail as that
 * pod's own pull would, even when namespace `a` holds a secret that opens the registry.
 *
 * Cheap: the secrets are fetched through the kube module's TTL cache, and clients are kept per credential
 * set (a hash of the secrets' contents), so every job with the same secrets shares one client. Each
 * client has its own authenticator, so a registry token obtained with one set is never sent for another.
 * All clients share the source client's transport (connection pools, host back-off). A job whose users
 * have no usable pull secret uses the shared source client as is.
 */
import { createHash } from 'node:crypto';
import type { Copier } from '../copy/index.ts';
import type { PullSecretUser } from '../kube/index.ts';
import { defaultChain, PullSecretCredentials, RegistryClient, type CredentialProvider, type PullSecret, type RateLimitInfo } from '../registry/index.ts';
import type { Logger } from './logger.ts';

/** Fetches the pull secrets of a job's users: `podPullSecretsFetcher` from the kube module, injected by the wiring. */
export type PullSecretsLookup = (users: readonly PullSecretUser[]) => Promise<PullSecret[]>;

/**
 * The parts of the source credential chain around the pull secrets, and the client settings a per-job
 * client needs. They must match how the shared source client was built (`defaultChain({config,
 * dockerConfig})`), so a job without pull secrets reads exactly as one with them, minus the secrets.
 */
export interface SourceCredentialSources {
  /** `registryCredentials` (`sourceCredentialsFromConfig`): asked before the pull secrets. */
  config?: CredentialProvider | undefined;
  /** The docker config with its helpers: asked after the pull secrets. */
  dockerConfig?: CredentialProvider | undefined;
  /** Registries reached over HTTP or unverified TLS, as given to the shared source client. */
  insecureRegistries?: Iterable<string> | undefined;
}

/** The source a job reads from. */
export interface JobSource {
  /** The credential set: `''` for the shared source client, else a hash of the secrets' contents. */
  key: string;
  client: RegistryClient;
  /** The copy engine reading through `client`; undefined for the shared client (the controller's own copier). */
  copier: Copier | undefined;
  /** The secrets the users offered, `namespace/name`: names only, never their contents. */
  secrets: string[];
}

/** Options of {@link JobSources}. */
export interface JobSourcesOptions {
  lookup: PullSecretsLookup;
  credentials: SourceCredentialSources;
  /** The shared source client: jobs without pull secrets use it, the others share its transport. */
  shared: RegistryClient;
  /** Builds the copy engine of a per-job client (the controller's target client and blob concurrency). */
  newCopier: (source: RegistryClient) => Copier;
  onRateLimit?: ((registry: string, info: RateLimitInfo) => void) | undefined;
  log: Logger;
  /** Credential sets whose clients are kept, least recently used dropped first (default 32). */
  maxClients?: number;
}

interface Entry {
  client: RegistryClient | undefined;
  copier: Copier | undefined;
}

/** See the file comment. */
export class JobSources {
  readonly #o: JobSourcesOptions;
  readonly #max: number;
  readonly #insecure: string[] | undefined;
  /** Credential-set key → its client; insertion order is recency (LRU). */
  readonly #entries = new Map<string, Entry>();

  constructor(options: JobSourcesOptions) {
    this.#o = options;
    this.#max = Math.max(1, options.maxClients ?? 32);
    // Read once: an iterable may be a one-shot generator, and every client needs the full list.
    this.#insecure = options.credentials.insecureRegistries === undefined ? undefined : [...options.credentials.insecureRegistries];
  }

  /** Clients kept right now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The source for a job with these users; rejects when the secrets cannot be read (the job waits and retries). */
  async forUsers(users: readonly PullSecretUser[]): Promise<JobSource> {
    const secrets = users.length === 0 ? [] : await this.#o.lookup(users);
    const names = secrets.map((s) => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`);
    if (secrets.length === 0) return { key: '', client: this.#o.shared, copier: undefined, secrets: names };
    const key = fingerprint(secrets);
    let entry = this.#entries.get(key);
    if (entry !== undefined) this.#entries.delete(key);
    else entry = this.#create(secrets);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    if (entry.client === undefined) return { key: '', client: this.#o.shared, copier: undefined, secrets: names };
    entry.copier ??= this.#o.newCopier(entry.client);
    return { key, client: entry.client, copier: entry.copier, secrets: names };
  }

  /** Drops every per-job copy engine (they remember what they moved), as the controller does with its own. */
  renewCopiers(): void {
    for (const entry of this.#entries.values()) entry.copier = undefined;
  }

  #create(secrets: readonly PullSecret[]): Entry {
    const { credentials, warnings } = PullSecretCredentials.fromSecrets(secrets);
    // Warnings name the secret and what is wrong with it, never its contents.
    for (const warning of warnings) this.#o.log.warn({ warning }, 'ignoring unusable pull secret');
    if (credentials.size === 0) return { client: undefined, copier: undefined };
    const c = this.#o.credentials;
    const client = new RegistryClient({
      transport: this.#o.shared.transport,
      credentials: defaultChain({ config: c.config, pullSecrets: credentials, dockerConfig: c.dockerConfig }),
      ...(this.#insecure !== undefined ? { insecureRegistries: this.#insecure } : {}),
      ...(this.#o.onRateLimit ? { onRateLimit: this.#o.onRateLimit } : {}),
    });
    return { client, copier: undefined };
  }
}

/** A hash of the secrets' types and data, in order (order decides which credential wins for one registry key). */
function fingerprint(secrets: readonly PullSecret[]): string {
  const hash = createHash('sha256');
  for (const s of secrets) {
    const data = Object.entries(s.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    hash.update(JSON.stringify([s.type ?? '', data]));
    hash.update('\n');
  }
  return hash.digest('hex');
}
