import type { CredentialProvider } from '../registry/index.ts';

/** What {@link Target.ensureRepository} found or did. */
export type EnsureResult = 'exists' | 'created' | 'would-create';

/** Options of {@link Target.ensureRepository}. */
export interface EnsureOptions {
  /** Check only: no mutating call is made, a missing repository answers `'would-create'`. */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/**
 * Where mirrored images go (k8s-copycat's `Target`, reference §4.2): the registry host pushes are sent to,
 * the credentials for it, and the repository lifecycle the registry needs before a push.
 */
export interface Target {
  readonly kind: 'docker' | 'ecr';
  /** Registry host pushes go to (`123456789012.dkr.ecr.eu-west-1.amazonaws.com`, `harbor.example.com:5000`). */
  readonly registry: string;
  /** Plain HTTP / unverified TLS. */
  readonly insecure: boolean;
  /**
   * A fixed path in front of every repository, without slashes at the ends (docker: the `/team` of
   * `TARGET_REGISTRY=harbor.example.com/team`, which k8s-copycat accepted because it joined strings); push to
   * `${repositoryPrefix}/${targetRepository(…)}` when set. Absent or `''` for none (always for ECR).
   */
  readonly repositoryPrefix?: string;
  /**
   * Credentials for `registry` (ECR: token from GetAuthorizationToken, cached until ~5 min before expiresAt,
   * refreshed with single-flight; failures name the registry/account, never the secret).
   */
  readonly credentials: CredentialProvider;
  /**
   * Make sure the repository exists. docker: no-op ('exists'). ecr: DescribeRepositories → create (+settings,
   * +lifecycle) when missing and createRepo; lifecycle policy re-applied on a later call if applying it failed
   * before; dryRun: no mutating call, returns 'would-create'. Cached per repository once ensured.
   */
  ensureRepository(repository: string, opts?: EnsureOptions): Promise<EnsureResult>;
}
