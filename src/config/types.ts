/**
 * The typed, fully defaulted configuration copycat's controller runs with. Keys follow
 * k8s-copycat's YAML keys (camelCase); durations are milliseconds with the unit in the name.
 */
import type { WatchResource } from './watch.ts';

/** Where mirrored images go: AWS ECR or any OCI/Docker registry. */
export type TargetKind = 'ecr' | 'docker';

/** Log levels, with zap's names as k8s-copycat accepts them (`dpanic` and `panic` log at error level and above). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'dpanic' | 'panic' | 'fatal';

/** `ecr.imageTagMutability`: whether a tag of a created repository may be pushed again (CreateRepository's `imageTagMutability`). */
export type EcrTagMutability = 'MUTABLE' | 'IMMUTABLE';

/** `ecr.encryption.type`: encryption at rest of a created repository (CreateRepository's `encryptionType`). */
export type EcrEncryptionType = 'AES256' | 'KMS' | 'KMS_DSSE';

/** `ecr.encryption.*` (copycat only). */
export interface EcrEncryptionConfig {
  /** Encryption type; `AES256` is ECR's own default. */
  readonly type: EcrEncryptionType;
  /** KMS key ARN, id or alias; `''` for none (with a KMS type ECR then uses `aws/ecr`). Only set with a KMS type. */
  readonly kmsKey: string;
}

/** The `ecr.*` settings (inventory §4.4, plus copycat's repository settings from docs/ecr.md). */
export interface EcrConfig {
  /** AWS account that owns the registry; the host is `<accountID>.dkr.ecr.<region>.amazonaws.com`. */
  readonly accountID: string;
  /** AWS region of the registry. */
  readonly region: string;
  /** Repository prefix template (`$namespace`, `$podname`, `$container_name`, `$arch`, `$registry`); `''` for none. */
  readonly repoPrefix: string;
  /** Create a missing repository before pushing. */
  readonly createRepo: boolean;
  /** Role to assume with STS on top of the default credential chain; `''` for none. */
  readonly assumeRoleArn: string;
  /** Lifecycle policy JSON for repositories copycat creates; `''` for none. */
  readonly lifecyclePolicy: string;
  /** Tag mutability of repositories copycat creates (copycat only); `MUTABLE` is ECR's default. */
  readonly imageTagMutability: EcrTagMutability;
  /** Basic scanning on push for repositories copycat creates (copycat only). */
  readonly scanOnPush: boolean;
  /** Encryption at rest of repositories copycat creates (copycat only). */
  readonly encryption: EcrEncryptionConfig;
  /** Resource tags for repositories copycat creates (copycat only); empty for none. */
  readonly tags: Readonly<Record<string, string>>;
  /** Registry host override, lowercased `host[:port]` (copycat only); `''` derives it from account and region. */
  readonly registry: string;
}

/** The `docker.*` settings plus the env-only target credentials (inventory §4.3). */
export interface DockerConfig {
  /** Target `host[:port]`, optionally followed by a path that prefixes every repository. */
  readonly registry: string;
  /** Repository prefix template; `''` for none. */
  readonly repoPrefix: string;
  /** Allow plain HTTP and skip TLS verification, for the target only. */
  readonly insecure: boolean;
  /** `TARGET_USERNAME`; `''` for anonymous. */
  readonly username: string;
  /** `TARGET_PASSWORD` (a secret: never log it; see `redactConfig`). */
  readonly password: string;
}

/** Names of workloads never mirrored, per kind: `name`, `namespace/name` or `*` (inventory §2.5). */
export interface SkipNames {
  /** Deployments to skip (also skips the pods they own). */
  readonly deployments: readonly string[];
  /** StatefulSets to skip. */
  readonly statefulSets: readonly string[];
  /** DaemonSets to skip. */
  readonly daemonSets: readonly string[];
  /** Jobs to skip. */
  readonly jobs: readonly string[];
  /** CronJobs to skip (also skips their jobs' pods). */
  readonly cronJobs: readonly string[];
  /** Pods to skip. */
  readonly pods: readonly string[];
}

/** How a source registry credential authenticates: a bearer token sent as is, or basic auth. */
export type CredentialAuth =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

/** One usable `registryCredentials` entry, with its `*Env` references already resolved (inventory §4.1). */
export interface RegistryCredential {
  /** `registry` then its aliases, trimmed, lowercased, deduplicated; entries with `*?[` are globs. */
  readonly hosts: readonly string[];
  /** The credential (secrets inside: never log it; see `redactConfig`). */
  readonly auth: CredentialAuth;
}

/**
 * What to do when the target refuses an index whose unselected platforms are absent (copycat only;
 * docs/adr/0002-sparse-index.md): keep the selected `platforms` by digest, copy the `full` index, or `fail`.
 */
export type SparseIndexFallback = 'platforms' | 'full' | 'fail';

/** One `pathMap` rule (inventory §3.10); the first rule that matches a repository path wins. */
export type PathMapping =
  | { readonly regex: false; readonly from: string; readonly to: string }
  | {
      readonly regex: true;
      readonly from: string;
      readonly to: string;
      /** `from` compiled (translated from Go RE2); no `g` flag — add it to replace every match as Go does. */
      readonly pattern: RegExp;
    };

/** Everything the controller is configured with, fully defaulted and validated. */
export interface Config {
  /** Which target `ecr` / `docker` describes the registry to push to. */
  readonly targetKind: TargetKind;
  /** Minimum level logged. */
  readonly logLevel: LogLevel;
  /** ECR target settings (used when `targetKind` is `ecr`). */
  readonly ecr: EcrConfig;
  /** Docker/OCI target settings (used when `targetKind` is `docker`). */
  readonly docker: DockerConfig;
  /** Mirror the digest the pod reports (`imageID`) instead of re-resolving the tag. */
  readonly digestPull: boolean;
  /** Tags (lowercase) that stay tag-based when `digestPull` is on; never empty. */
  readonly digestPullIgnoredTags: readonly string[];
  /** Patterns on `<source>|<os/arch>` that silence "does not offer platform" logs. */
  readonly ignoreMissingPlatforms: readonly RegExp[];
  /** Look up the node's platform for pods. */
  readonly checkNodePlatform: boolean;
  /** Extra platforms to mirror, canonical `os/arch[/variant]`, lowercase, deduplicated. */
  readonly mirrorPlatforms: readonly string[];
  /** Overwrite a target tag that points to a different digest. */
  readonly allowDifferentDigestRepush: boolean;
  /** `['*']`, or names and globs to expand with `expandIncludeNamespaces` at start-up. */
  readonly includeNamespaces: readonly string[];
  /** Namespaces never mirrored (exact names; skip wins over include). */
  readonly skipNamespaces: readonly string[];
  /** Workloads never mirrored. */
  readonly skipNames: SkipNames;
  /** Normalised source registry prefixes never mirrored, sorted. */
  readonly excludeRegistries: readonly string[];
  /** Resource types to watch, never empty. */
  readonly watchResources: readonly WatchResource[];
  /** Do everything except pushing. */
  readonly dryRun: boolean;
  /** Stop after describing the source. */
  readonly dryPull: boolean;
  /** Per-request deadline; 0 disables it. */
  readonly requestTimeoutMs: number;
  /** Attempts for a retryable push, at least 1. */
  readonly registryRetryAttempts: number;
  /** Wait between push attempts; 0 retries at once. */
  readonly registryRetryBackoffMs: number;
  /** How long a failed target is skipped; 0 disables the cooldown. */
  readonly failureCooldownMs: number;
  /** Interval of the periodic full rescan; 0 disables it. */
  readonly forceReconcileMs: number;
  /** Parallel reconciles per watched resource type, at least 1. */
  readonly maxConcurrentReconciles: number;
  /** Usable source registry credentials; later entries win for the same host. */
  readonly registryCredentials: readonly RegistryCredential[];
  /** Also pull with the pods' own image pull secrets (and their service accounts'), per job and namespace. */
  readonly usePodPullSecrets: boolean;
  /** Repository path rewrite rules, in order. */
  readonly pathMap: readonly PathMapping[];
  /** Metrics server bind address (`:8080`); `'0'` disables the server. */
  readonly metricsBindAddress: string;
  /** Fallback when the target refuses a platform-filtered (sparse) index. */
  readonly sparseIndexFallback: SparseIndexFallback;
}
