import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr';
import { InFlight } from '../../internal/once-by-key.ts';
import type { Credential, CredentialProvider } from '../../registry/index.ts';
import { validateRegistryHost } from '../registry-host.ts';
import type { EnsureOptions, EnsureResult, Target } from '../target.ts';
import { awsErrorName, toEcrError } from './aws-errors.ts';
import { awsCredentials, type AwsCredentials } from './credentials.ts';
import { EcrError } from './errors.ts';
import { ecrRegistryHost, partitionOf, validateAccountId, type AwsPartition } from './partition.ts';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.ts';
import { createRepositoryInput, validateEcrRepositoryName, validateSettings, type EcrRepositorySettings } from './settings.ts';
import { decodeAuthorizationToken, TokenCache } from './token.ts';

/** Something the ECR target did that logs or metrics may want; errors it throws are not repeated here. */
export type EcrEvent =
  | { type: 'retry'; action: string; repository?: string | undefined; attempt: number; delayMs: number; awsCode?: string | undefined }
  | { type: 'repository-created'; repository: string }
  /** CreateRepository found the repository already there: another replica (or an earlier attempt) made it. */
  | { type: 'repository-create-race'; repository: string }
  | { type: 'lifecycle-policy-applied'; repository: string }
  /** The repository exists but its policy is not set; the next `ensureRepository` of it tries again. */
  | { type: 'lifecycle-policy-failed'; repository: string; error: EcrError }
  | { type: 'token-refreshed'; expiresAt: number };

/** Receives {@link EcrEvent}s; must not throw. */
export type EcrObserver = (event: EcrEvent) => void;

/** Options of an {@link EcrTarget} (k8s-copycat `ecr.*`, reference §1.3 and §4.4, plus repository settings). */
export interface EcrTargetOptions extends EcrRepositorySettings {
  /** `ecr.accountID` / `ECR_ACCOUNT_ID`: 12 digits. */
  accountId: string;
  /** `ecr.region` / `AWS_REGION`; picks the partition and so the registry host. */
  region: string;
  /** Registry host override (VPC endpoint names, dual-stack, tests); default `<account>.dkr.ecr.<region>.<partition suffix>`. */
  registry?: string;
  /** `ecr.createRepo` / `ECR_CREATE_REPO` (default true). */
  createRepo?: boolean;
  /** `ecr.assumeRoleArn`: STS AssumeRole on top of the default credential chain. */
  assumeRoleArn?: string;
  assumeRoleSessionName?: string;
  assumeRoleExternalId?: string;
  /** Base AWS credentials instead of the default chain (tests, embedding). */
  credentials?: AwsCredentials;
  /** ECR API endpoint URL (VPC endpoint, FIPS, tests); `AWS_ENDPOINT_URL_ECR` works too. */
  endpoint?: string;
  /** STS endpoint URL for AssumeRole and web identity; `AWS_ENDPOINT_URL_STS` works too. */
  stsEndpoint?: string;
  /** A ready ECR client (then `credentials`, `endpoint` and the assume-role options are not used). */
  ecrClient?: ECRClient;
  /** Retries of throttled/5xx/network failures (defaults in {@link DEFAULT_RETRY_POLICY}). */
  retry?: Partial<RetryPolicy>;
  /** Refresh the registry token this long before it expires (default 5 minutes). */
  tokenRefreshMarginMs?: number;
  observer?: EcrObserver;
  /** Clock for the token cache (tests). */
  now?: () => number;
}

/**
 * Amazon ECR as the mirror (reference §4.4), through the AWS SDK v3. Beyond k8s-copycat: every partition's
 * registry host, the registry token cached until shortly before expiry (one GetAuthorizationToken per ~12 h,
 * not per image), creation races tolerated, a failed lifecycle policy retried, throttling retried with
 * backoff, repository settings (tag mutability, scan on push, KMS, tags), and dry runs that change nothing
 * (k8s-copycat created repositories in dry-run, §7.1 item 4).
 */
export class EcrTarget implements Target {
  readonly kind = 'ecr' as const;
  readonly registry: string;
  /** ECR is always HTTPS with a valid certificate. */
  readonly insecure = false;
  /** ECR repositories are named by `repoPrefix` alone. */
  readonly repositoryPrefix = '';
  readonly credentials: CredentialProvider;
  readonly accountId: string;
  readonly region: string;
  readonly partition: AwsPartition;
  readonly createRepo: boolean;
  readonly #client: ECRClient;
  readonly #ownsClient: boolean;
  readonly #settings: EcrRepositorySettings;
  readonly #retry: RetryPolicy;
  readonly #observer: EcrObserver;
  readonly #where: string;
  readonly #tokens: TokenCache;
  readonly #ensured = new Set<string>();
  readonly #pendingLifecycle = new Set<string>();
  readonly #ensuring = new InFlight<EnsureResult>();
  readonly #applying = new InFlight<void>();

  constructor(options: EcrTargetOptions) {
    this.accountId = validateAccountId(options.accountId);
    this.region = options.region.trim();
    this.partition = partitionOf(this.region);
    this.registry = options.registry !== undefined ? validateRegistryHost(options.registry) : ecrRegistryHost(this.accountId, this.region);
    this.createRepo = options.createRepo ?? true;
    this.#settings = validateSettings(options);
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#observer = options.observer ?? (() => {});
    this.#where = `registry ${this.registry} (account ${this.accountId}, region ${this.region})`;
    this.#ownsClient = options.ecrClient === undefined;
    this.#client =
      options.ecrClient ??
      new ECRClient({
        region: this.region,
        // Our retry layer (retry.ts) is the only one: it knows throttling and reports each retry.
        maxAttempts: 1,
        credentials: awsCredentials({
          region: this.region,
          credentials: options.credentials,
          assumeRoleArn: options.assumeRoleArn,
          roleSessionName: options.assumeRoleSessionName,
          externalId: options.assumeRoleExternalId,
          stsEndpoint: options.stsEndpoint,
        }),
        ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      });
    this.#tokens = new TokenCache(() => this.#fetchToken(), {
      ...(options.tokenRefreshMarginMs !== undefined ? { refreshMarginMs: options.tokenRefreshMarginMs } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    const registry = this.registry;
    const tokens = this.#tokens;
    this.credentials = {
      async resolve(host: string): Promise<Credential | undefined> {
        if (host.toLowerCase() !== registry) return undefined;
        const token = await tokens.get();
        return { kind: 'basic', username: token.username, password: token.password };
      },
    };
  }

  /**
   * See {@link Target.ensureRepository}. Concurrent calls for one repository share one check (and so the first
   * caller's abort signal). Throws {@link EcrError}: `ECR_REPOSITORY_INVALID` before any call for a name ECR
   * refuses, `ECR_REPOSITORY_NOT_FOUND` when missing with `createRepo` off, or the API failure.
   */
  async ensureRepository(repository: string, opts: EnsureOptions = {}): Promise<EnsureResult> {
    validateEcrRepositoryName(repository);
    opts.signal?.throwIfAborted();
    const dryRun = opts.dryRun === true;
    if (this.#ensured.has(repository)) {
      if (!dryRun && this.#pendingLifecycle.has(repository)) await this.#applyLifecycle(repository, opts.signal);
      return 'exists';
    }
    return this.#ensuring.run(`${dryRun ? 'dry' : 'real'}\n${repository}`, () => this.#ensure(repository, dryRun, opts.signal));
  }

  /** Every repository of the registry (DescribeRepositories, following `nextToken` through all pages). */
  async listRepositories(opts: { signal?: AbortSignal } = {}): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.#call('DescribeRepositories', undefined, opts.signal, (abortSignal) =>
        this.#client.send(new DescribeRepositoriesCommand({ registryId: this.accountId, maxResults: 1000, ...(token !== undefined ? { nextToken: token } : {}) }), { abortSignal }),
      );
      for (const r of page.repositories ?? []) if (r.repositoryName !== undefined) names.push(r.repositoryName);
      nextToken = page.nextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return names;
  }

  /**
   * Lists the registry once and remembers every repository as existing, so a start-up over many images costs
   * a few paged calls instead of one DescribeRepositories per repository. Returns how many were found.
   */
  async primeRepositories(opts: { signal?: AbortSignal } = {}): Promise<number> {
    const names = await this.listRepositories(opts);
    for (const n of names) this.#ensured.add(n);
    return names.length;
  }

  /** Drops the cached registry token, e.g. after the registry refused it; the next resolve fetches one. */
  invalidateToken(): void {
    this.#tokens.invalidate();
  }

  /** Releases the SDK client's sockets (only a client this target created). */
  close(): void {
    if (this.#ownsClient) this.#client.destroy();
  }

  async #ensure(repository: string, dryRun: boolean, signal: AbortSignal | undefined): Promise<EnsureResult> {
    if (await this.#exists(repository, signal)) {
      this.#ensured.add(repository);
      return 'exists';
    }
    if (!this.createRepo) {
      throw new EcrError('ECR_REPOSITORY_NOT_FOUND', `ECR repository ${JSON.stringify(repository)} does not exist in ${this.#where} and ecr.createRepo is false: create it, or allow copycat to`, {
        action: 'DescribeRepositories',
        repository,
      });
    }
    if (dryRun) return 'would-create';
    let raced = false;
    try {
      await this.#call('CreateRepository', repository, signal, (abortSignal) =>
        this.#client.send(new CreateRepositoryCommand(createRepositoryInput(repository, this.accountId, this.#settings)), { abortSignal }),
      );
    } catch (err) {
      if (!(err instanceof EcrError) || err.awsCode !== 'RepositoryAlreadyExistsException') throw err;
      raced = true;
      this.#ensured.add(repository);
      this.#emit({ type: 'repository-create-race', repository });
      // A creator that got here first applies its own policy; but when our create was retried, the repository
      // may be ours from an attempt whose answer was lost, and then nobody else will put the policy.
      if (err.attempts <= 1) return 'exists';
    }
    this.#ensured.add(repository);
    if (!raced) this.#emit({ type: 'repository-created', repository });
    if (this.#settings.lifecyclePolicy !== undefined) {
      this.#pendingLifecycle.add(repository);
      await this.#applyLifecycle(repository, signal);
    }
    return raced ? 'exists' : 'created';
  }

  async #exists(repository: string, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.#call('DescribeRepositories', repository, signal, (abortSignal) =>
        this.#client.send(new DescribeRepositoriesCommand({ registryId: this.accountId, repositoryNames: [repository] }), { abortSignal }),
      );
      return true;
    } catch (err) {
      if (err instanceof EcrError && err.awsCode === 'RepositoryNotFoundException') return false;
      throw err;
    }
  }

  /**
   * Puts the lifecycle policy. A failure does not fail the mirror (the repository is usable without it): it is
   * reported and retried on the next ensure of the repository. k8s-copycat returned the error once and then
   * never applied the policy, because the repository existed from then on (reference §7.1 item 9).
   */
  #applyLifecycle(repository: string, signal: AbortSignal | undefined): Promise<void> {
    const policy = this.#settings.lifecyclePolicy;
    if (policy === undefined) return Promise.resolve();
    return this.#applying.run(repository, async () => {
      try {
        await this.#call('PutLifecyclePolicy', repository, signal, (abortSignal) =>
          this.#client.send(new PutLifecyclePolicyCommand({ registryId: this.accountId, repositoryName: repository, lifecyclePolicyText: policy }), { abortSignal }),
        );
        this.#pendingLifecycle.delete(repository);
        this.#emit({ type: 'lifecycle-policy-applied', repository });
      } catch (err) {
        if (signal?.aborted) throw err;
        this.#emit({ type: 'lifecycle-policy-failed', repository, error: toEcrError(err, { action: 'PutLifecyclePolicy', repository, where: this.#where, attempts: 1 }) });
      }
    });
  }

  async #fetchToken(): Promise<{ username: string; password: string; expiresAt: number }> {
    const answer = await this.#call('GetAuthorizationToken', undefined, undefined, (abortSignal) => this.#client.send(new GetAuthorizationTokenCommand({}), { abortSignal }));
    const token = decodeAuthorizationToken(answer.authorizationData, this.#where);
    this.#emit({ type: 'token-refreshed', expiresAt: token.expiresAt });
    return token;
  }

  /** One API call through the retry layer; failures become {@link EcrError}s naming action, repository and registry. */
  async #call<T>(action: string, repository: string | undefined, signal: AbortSignal | undefined, fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    const tally = { attempts: 0 };
    try {
      return await withRetry(fn, this.#retry, {
        signal,
        tally,
        onRetry: (info) => this.#emit({ type: 'retry', action, repository, attempt: info.attempt, delayMs: info.delayMs, awsCode: awsErrorName(info.error) }),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw toEcrError(err, { action, repository, where: this.#where, attempts: tally.attempts });
    }
  }

  #emit(event: EcrEvent): void {
    try {
      this.#observer(event);
    } catch {
      // An observer bug must not break mirroring.
    }
  }
}
