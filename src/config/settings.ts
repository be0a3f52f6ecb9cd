/**
 * The single source of truth for every setting: its file key, env var, file value kind, default and
 * documentation. The file reader builds its key schema from this table, the resolver takes names and
 * defaults from it, and `CONFIG_SCHEMA_DOC` / docs/configuration.md are rendered from it, so names,
 * defaults and docs cannot drift apart. Order follows the inventory's table (§1.3).
 */
import { ALL_WATCH_RESOURCES } from './watch.ts';

/** Default values, in the units users write (seconds, minutes), as k8s-copycat defines them. */
export const DEFAULTS = Object.freeze({
  configPath: '/config/config.yaml',
  targetKind: 'ecr',
  logLevel: 'info',
  createRepo: true,
  digestPullIgnoredTags: Object.freeze(['latest']),
  allowDifferentDigestRepush: true,
  includeNamespaces: Object.freeze(['*']),
  watchResources: ALL_WATCH_RESOURCES,
  requestTimeoutSeconds: 300,
  registryRetryAttempts: 3,
  registryRetryBackoffSeconds: 10,
  failureCooldownMinutes: 60,
  forceReconcileMinutes: 0,
  maxConcurrentReconciles: 2,
  metricsBindAddress: ':8080',
  sparseIndexFallback: 'platforms',
  ecrImageTagMutability: 'MUTABLE',
  ecrEncryptionType: 'AES256',
});

/**
 * How a file value is read: `string` (`secret`: never echoed), `bool`, `number` (text parsed by the
 * resolver), `list` of strings, `map` of text keys to text values, or a list of entries (`credentials`,
 * `pathMap`).
 */
export type FileKind = 'string' | 'secret' | 'bool' | 'number' | 'list' | 'map' | 'credentials' | 'pathMap';

/** One setting: a row of the configuration table. */
export interface Setting {
  /** Stable id: the file key path, or the env var for env-only settings. */
  readonly id: string;
  /** The `Config` property it fills (dot path), or the loader field for `CONFIG_PATH`. */
  readonly property: string;
  /** Key path in the YAML file (matched case-insensitively, as upstream's Go decoder does); none for env-only settings. */
  readonly file?: string;
  /** Further file keys accepted for this setting (names that worked in k8s-copycat by accident). */
  readonly fileAliases?: readonly string[];
  /** How the file value is read; set exactly when `file` is. */
  readonly fileKind?: FileKind;
  /** Environment variable, when there is one. */
  readonly env?: string;
  /** Type, for the docs. */
  readonly type: string;
  /** Default, for the docs. */
  readonly default: string;
  /** What it does and how values are read, for the docs. */
  readonly description: string;
}

/** One field of a `registryCredentials` or `pathMap` entry. */
export interface ItemField {
  /** Field name (matched case-insensitively). */
  readonly name: string;
  /** How its value is read. */
  readonly kind: 'string' | 'secret' | 'bool' | 'list';
  /** Type, for the docs. */
  readonly type: string;
  /** Default, for the docs. */
  readonly default: string;
  /** Meaning, for the docs. */
  readonly description: string;
}

const GO_DURATION = 'or a Go duration such as `90s`, `5m`, `1h30m`';

/** Every top-level setting, in documentation order. */
export const SETTINGS: readonly Setting[] = Object.freeze([
  {
    id: 'targetKind',
    property: 'targetKind',
    file: 'targetKind',
    fileKind: 'string',
    env: 'TARGET_KIND',
    type: '`ecr` \\| `docker`',
    default: DEFAULTS.targetKind,
    description:
      'Where images are pushed. Case-insensitive and trimmed in the file and, unlike k8s-copycat (which took `TARGET_KIND` verbatim), in the env var too. Anything else is a start-up error.',
  },
  {
    id: 'logLevel',
    property: 'logLevel',
    file: 'logLevel',
    fileKind: 'string',
    type: '`debug` \\| `info` \\| `warn` \\| `error` \\| `dpanic` \\| `panic` \\| `fatal`',
    default: DEFAULTS.logLevel,
    description: 'Minimum log level (zap names, case-insensitive). File only, as upstream; a log-level flag passed by the CLI wins. Anything else is a start-up error.',
  },
  {
    id: 'ecr.accountID',
    property: 'ecr.accountID',
    file: 'ecr.accountID',
    fileKind: 'string',
    env: 'ECR_ACCOUNT_ID',
    type: 'string',
    default: '',
    description:
      'AWS account that owns the target registry. Required when the target is `ecr`. Read as written, so an unquoted `012345678901` keeps its leading zero; anything but 12 digits gets a warning.',
  },
  {
    id: 'ecr.region',
    property: 'ecr.region',
    file: 'ecr.region',
    fileKind: 'string',
    env: 'AWS_REGION',
    type: 'string',
    default: '',
    description: 'AWS region of the target registry. Required when the target is `ecr` (the AWS SDK reads `AWS_REGION` too).',
  },
  {
    id: 'ecr.repoPrefix',
    property: 'ecr.repoPrefix',
    file: 'ecr.repoPrefix',
    fileKind: 'string',
    env: 'ECR_REPO_PREFIX',
    type: 'template',
    default: '',
    description: 'Repository prefix for the ECR target; placeholders `$namespace`, `$podname`, `$container_name`, `$arch`, `$registry`.',
  },
  {
    id: 'ecr.createRepo',
    property: 'ecr.createRepo',
    file: 'ecr.createRepo',
    fileKind: 'bool',
    env: 'ECR_CREATE_REPO',
    type: 'bool',
    default: String(DEFAULTS.createRepo),
    description: 'Create a missing ECR repository before pushing. The env var takes Go booleans (`true`, `false`, `1`, `0`, `t`, `f`, …); anything else is a start-up error.',
  },
  {
    id: 'ecr.assumeRoleArn',
    property: 'ecr.assumeRoleArn',
    file: 'ecr.assumeRoleArn',
    fileKind: 'string',
    type: 'string',
    default: '',
    description:
      'IAM role assumed with STS on top of the default AWS credentials (cross-account pushes). File only: `AWS_ROLE_ARN` is read by the AWS SDK for IRSA, not by copycat.',
  },
  {
    id: 'ecr.lifecyclePolicy',
    property: 'ecr.lifecyclePolicy',
    file: 'ecr.lifecyclePolicy',
    fileKind: 'string',
    type: 'JSON string',
    default: '',
    description: 'Lifecycle policy applied to repositories copycat creates. File only. Text that is not JSON gets a start-up warning.',
  },
  // Repository settings k8s-copycat never had (docs/ecr.md). File only, like the other ECR extras: they are
  // per-registry infrastructure choices, and a tag map has no sensible env form.
  {
    id: 'ecr.imageTagMutability',
    property: 'ecr.imageTagMutability',
    file: 'ecr.imageTagMutability',
    fileKind: 'string',
    type: '`MUTABLE` \\| `IMMUTABLE`',
    default: DEFAULTS.ecrImageTagMutability,
    description:
      'copycat only. Tag mutability of repositories copycat creates (never changed on existing ones). With `IMMUTABLE` a tag that moves upstream cannot be mirrored again under the same tag (docs/ecr.md). File only; case-insensitive; anything else is a start-up error.',
  },
  {
    id: 'ecr.scanOnPush',
    property: 'ecr.scanOnPush',
    file: 'ecr.scanOnPush',
    fileKind: 'bool',
    type: 'bool',
    default: 'false',
    description: 'copycat only. Basic image scanning on push for repositories copycat creates. File only.',
  },
  {
    id: 'ecr.encryption.type',
    property: 'ecr.encryption.type',
    file: 'ecr.encryption.type',
    fileKind: 'string',
    type: '`AES256` \\| `KMS` \\| `KMS_DSSE`',
    default: DEFAULTS.ecrEncryptionType,
    description:
      'copycat only. Encryption at rest of repositories copycat creates; `KMS` and `KMS_DSSE` use `ecr.encryption.kmsKey`, or the AWS managed key `aws/ecr` without one. File only; case-insensitive; anything else is a start-up error.',
  },
  {
    id: 'ecr.encryption.kmsKey',
    property: 'ecr.encryption.kmsKey',
    file: 'ecr.encryption.kmsKey',
    fileKind: 'string',
    type: 'string',
    default: '',
    description:
      'copycat only. KMS key (ARN, key id or alias) for `ecr.encryption.type` `KMS` or `KMS_DSSE`. File only; set with `AES256` (or no type) it is a start-up error.',
  },
  {
    id: 'ecr.tags',
    property: 'ecr.tags',
    file: 'ecr.tags',
    fileKind: 'map',
    type: 'map of strings',
    default: '',
    description:
      'copycat only. Resource tags (`key: value`) put on repositories copycat creates; needs `ecr:TagResource`. File only. At most 50; keys 1–128 characters without the reserved `aws:` prefix, values up to 256; anything else is a start-up error.',
  },
  {
    id: 'ecr.registry',
    property: 'ecr.registry',
    file: 'ecr.registry',
    fileKind: 'string',
    type: 'string',
    default: '',
    description:
      'copycat only. Registry host pushes go to instead of `<accountID>.dkr.ecr.<region>.<partition suffix>` (a VPC endpoint name, a dual-stack host). `host[:port]` without a scheme or path, lowercased; checked at start-up. File only.',
  },
  {
    id: 'docker.registry',
    property: 'docker.registry',
    file: 'docker.registry',
    fileKind: 'string',
    env: 'TARGET_REGISTRY',
    type: 'string',
    default: '',
    description:
      'Target `host[:port]`, optionally followed by a path (`harbor.example.com/mirror`), without a scheme. Required when the target is `docker`; checked at start-up (k8s-copycat failed every image instead).',
  },
  {
    id: 'docker.repoPrefix',
    property: 'docker.repoPrefix',
    file: 'docker.repoPrefix',
    fileKind: 'string',
    env: 'TARGET_REPO_PREFIX',
    type: 'template',
    default: '',
    description: 'Repository prefix for the docker target; same placeholders as `ecr.repoPrefix`.',
  },
  {
    id: 'repoPrefix',
    property: 'ecr.repoPrefix, docker.repoPrefix',
    file: 'repoPrefix',
    fileKind: 'string',
    type: 'template',
    default: '',
    description:
      "Fallback prefix for the selected target when its own prefix key and env var are unset. k8s-copycat's README documents this key but its code ignores it; copycat honours it and says so in a warning.",
  },
  {
    id: 'docker.insecure',
    property: 'docker.insecure',
    file: 'docker.insecure',
    fileKind: 'bool',
    env: 'TARGET_INSECURE',
    type: 'bool',
    default: 'false',
    description: 'Allow plain HTTP and skip TLS verification for the target only. An env value that is not a Go boolean is ignored, as upstream, but with a warning.',
  },
  {
    id: 'TARGET_USERNAME',
    property: 'docker.username',
    env: 'TARGET_USERNAME',
    type: 'string',
    default: '',
    description: 'Username for the docker target. Env only (keep it in a Secret).',
  },
  {
    id: 'TARGET_PASSWORD',
    property: 'docker.password',
    env: 'TARGET_PASSWORD',
    type: 'secret',
    default: '',
    description: 'Password for the docker target. Env only; never logged or shown in errors.',
  },
  {
    id: 'digestPull',
    property: 'digestPull',
    file: 'digestPull',
    fileKind: 'bool',
    env: 'DIGEST_PULL',
    type: 'bool',
    default: 'false',
    description: "Mirror the digest a pod reports (`imageID`) rather than the tag's current digest. Env: Go boolean, else a start-up error.",
  },
  {
    id: 'digestPullIgnoredTags',
    property: 'digestPullIgnoredTags',
    file: 'digestPullIgnoredTags',
    fileKind: 'list',
    env: 'DIGEST_PULL_IGNORED_TAGS',
    type: 'list',
    default: DEFAULTS.digestPullIgnoredTags.join(', '),
    description: 'Tags that stay tag-based when `digestPull` is on (compared lowercase). An empty list means the default, as upstream: list a dummy tag to ignore none.',
  },
  {
    id: 'ignoreMissingPlatforms',
    property: 'ignoreMissingPlatforms',
    file: 'ignoreMissingPlatforms',
    fileKind: 'list',
    env: 'IGNORE_MISSING_PLATFORMS',
    type: 'list of regexes',
    default: '',
    description:
      'Go RE2 patterns matched (unanchored) against `<source>|<os/arch>`; a match silences the "does not offer platform" log. Invalid patterns are dropped with a warning. Commas inside a file entry are kept (`a{1,3}` works; upstream split it).',
  },
  {
    id: 'checkNodePlatform',
    property: 'checkNodePlatform',
    file: 'checkNodePlatform',
    fileKind: 'bool',
    env: 'CHECK_NODE_PLATFORM',
    type: 'bool',
    default: 'false',
    description: "Look up the node's OS and architecture for pods and mirror that platform first. Env: Go boolean, else a start-up error.",
  },
  {
    id: 'mirrorPlatforms',
    property: 'mirrorPlatforms',
    file: 'mirrorPlatforms',
    fileKind: 'list',
    env: 'MIRROR_PLATFORMS',
    type: 'list of `os/arch[/variant]`',
    default: '',
    description:
      'Platforms always mirrored when `digestPull` is on. `amd64` means `linux/amd64`; `arm/v7` means `linux/arm/v7` (upstream read it as OS `arm`). Invalid entries are dropped with a warning; duplicates removed.',
  },
  {
    id: 'allowDifferentDigestRepush',
    property: 'allowDifferentDigestRepush',
    file: 'allowDifferentDigestRepush',
    fileKind: 'bool',
    env: 'ALLOW_DIFFERENT_DIGEST_REPUSH',
    type: 'bool',
    default: String(DEFAULTS.allowDifferentDigestRepush),
    description: 'Overwrite a target tag that already points to a different digest (`latest` always may be). Env: Go boolean, else a start-up error.',
  },
  {
    id: 'includeNamespaces',
    property: 'includeNamespaces',
    file: 'includeNamespaces',
    fileKind: 'list',
    env: 'INCLUDE_NAMESPACES',
    type: 'list',
    default: DEFAULTS.includeNamespaces.join(', '),
    description:
      'Namespaces to watch: `*`, names, or `path.Match` globs (`team-*`). Names must exist at start-up; globs are expanded against the namespaces that exist then. A glob that matches nothing watches nothing (upstream then watched every namespace).',
  },
  {
    id: 'skipNamespaces',
    property: 'skipNamespaces',
    file: 'skipNamespaces',
    fileKind: 'list',
    env: 'SKIP_NAMESPACES',
    type: 'list',
    default: '',
    description: 'Namespaces never mirrored; exact names (an entry with `*?[` gets a warning, it is not a glob). Skip wins over include.',
  },
  ...(
    [
      ['deployments', 'SKIP_DEPLOYMENTS', 'Deployments (and the pods of their ReplicaSets)'],
      ['statefulSets', 'SKIP_STATEFULSETS', 'StatefulSets (and their pods)'],
      ['daemonSets', 'SKIP_DAEMONSETS', 'DaemonSets (and their pods)'],
      ['jobs', 'SKIP_JOBS', 'Jobs (and their pods)'],
      ['cronJobs', 'SKIP_CRONJOBS', 'CronJobs (and the pods of their Jobs)'],
      ['pods', 'SKIP_PODS', 'Pods'],
    ] as const
  ).map(
    ([kind, env, what]): Setting => ({
      id: `skipNames.${kind}`,
      property: `skipNames.${kind}`,
      file: `skipNames.${kind}`,
      fileKind: 'list',
      env,
      type: 'list',
      default: '',
      description: `${what} never mirrored: \`name\` (any namespace), \`namespace/name\`, or \`*\` for all. Exact names.`,
    }),
  ),
  {
    id: 'excludeRegistries',
    property: 'excludeRegistries',
    file: 'excludeRegistries',
    fileKind: 'list',
    env: 'EXCLUDE_REGISTRIES',
    type: 'list',
    default: '',
    description:
      'Source registry prefixes never mirrored (`docker.io`, `registry.gitlab.com/team`); matched on `/`, `:` or `@` boundaries. Normalised: lowercase, `https://`/`http://` and one trailing `/` removed, `index.docker.io` → `docker.io`. List the target registry here to avoid loops.',
  },
  {
    id: 'watchResources',
    property: 'watchResources',
    file: 'watchResources',
    fileKind: 'list',
    env: 'WATCH_RESOURCES',
    type: 'list',
    default: DEFAULTS.watchResources.join(', '),
    description: 'Resource types to watch, plural and case-insensitive. Any other entry is a start-up error.',
  },
  {
    id: 'dryRun',
    property: 'dryRun',
    file: 'dryRun',
    fileKind: 'bool',
    env: 'DRY_RUN',
    type: 'bool',
    default: 'false',
    description:
      'Do everything except pushing. A non-blank `DRY_RUN` decides alone: `1`, `true` or `yes` (any case) turn it on, any other value turns it off, as upstream (with a warning for values that are not booleans). Otherwise the dry-run flag OR the file value.',
  },
  {
    id: 'dryPull',
    property: 'dryPull',
    file: 'dryPull',
    fileKind: 'bool',
    env: 'DRY_PULL',
    type: 'bool',
    default: 'false',
    description: 'Plan only, without contacting any registry: log the source, pull reference and target each image would get (what upstream\'s README promises). Same rules as `dryRun` (`DRY_PULL`, dry-pull flag).',
  },
  {
    id: 'requestTimeout',
    property: 'requestTimeoutMs',
    file: 'requestTimeout',
    fileAliases: ['requestTimeoutSeconds'],
    fileKind: 'number',
    env: 'REGISTRY_REQUEST_TIMEOUT',
    type: 'seconds',
    default: String(DEFAULTS.requestTimeoutSeconds),
    description: `Deadline per registry request, in whole seconds (${GO_DURATION}); 0 or less disables it. k8s-copycat ignored this file key and read only its alias, which still wins when both are set.`,
  },
  {
    id: 'registryRetryAttempts',
    property: 'registryRetryAttempts',
    file: 'registryRetryAttempts',
    fileKind: 'number',
    env: 'REGISTRY_RETRY_ATTEMPTS',
    type: 'integer',
    default: String(DEFAULTS.registryRetryAttempts),
    description: 'Total attempts for a push that fails with a retryable error. Must be greater than zero.',
  },
  {
    id: 'registryRetryBackoff',
    property: 'registryRetryBackoffMs',
    file: 'registryRetryBackoff',
    fileAliases: ['registryRetryBackoffSeconds'],
    fileKind: 'number',
    env: 'REGISTRY_RETRY_BACKOFF',
    type: 'seconds',
    default: String(DEFAULTS.registryRetryBackoffSeconds),
    description: `Wait between push attempts, in whole seconds (${GO_DURATION}); 0 retries at once; negative is a start-up error. k8s-copycat ignored this file key and read only its alias, which still wins when both are set.`,
  },
  {
    id: 'failureCooldownMinutes',
    property: 'failureCooldownMs',
    file: 'failureCooldownMinutes',
    fileKind: 'number',
    env: 'FAILURE_COOLDOWN_MINUTES',
    type: 'minutes',
    default: String(DEFAULTS.failureCooldownMinutes),
    description: `How long a target that failed is skipped, in whole minutes (${GO_DURATION}); 0 or less disables the cooldown.`,
  },
  {
    id: 'forceReconcileMinutes',
    property: 'forceReconcileMs',
    file: 'forceReconcileMinutes',
    fileKind: 'number',
    env: 'FORCE_RECONCILE_MINUTES',
    type: 'minutes',
    default: String(DEFAULTS.forceReconcileMinutes),
    description: `Rescan every watched resource this often, in whole minutes (${GO_DURATION}); 0 or less disables it. A real rescan, as upstream's README promises (its code only set an informer resync that never reconciled).`,
  },
  {
    id: 'maxConcurrentReconciles',
    property: 'maxConcurrentReconciles',
    file: 'maxConcurrentReconciles',
    fileKind: 'number',
    env: 'MAX_CONCURRENT_RECONCILES',
    type: 'integer',
    default: String(DEFAULTS.maxConcurrentReconciles),
    description: 'Image jobs mirrored at once, in total (upstream: reconciles per watched kind; see docs/differences.md). Must be greater than zero.',
  },
  {
    id: 'sparseIndexFallback',
    property: 'sparseIndexFallback',
    file: 'sparseIndexFallback',
    fileKind: 'string',
    env: 'SPARSE_INDEX_FALLBACK',
    type: '`platforms` \\| `full` \\| `fail`',
    default: DEFAULTS.sparseIndexFallback,
    description:
      'copycat only. When platforms are selected (`digestPull` with a node platform or `mirrorPlatforms`) and the target refuses the original index without its other platforms (distribution 2.8 does): `platforms` keeps the selected platform manifests reachable by digest and writes no tag, `full` copies the remaining platforms so the index and its digest go in unchanged, `fail` fails the image. An index with another digest is never made (docs/adr/0002-sparse-index.md). Case-insensitive; anything else is a start-up error.',
  },
  {
    id: 'registryCredentials',
    property: 'registryCredentials',
    file: 'registryCredentials',
    fileKind: 'credentials',
    type: 'list of entries',
    default: '',
    description: 'Credentials for pulling from source registries (fields below). File only. A later entry wins for the same host.',
  },
  {
    id: 'usePodPullSecrets',
    property: 'usePodPullSecrets',
    file: 'usePodPullSecrets',
    fileKind: 'bool',
    env: 'USE_POD_PULL_SECRETS',
    type: 'bool',
    default: 'false',
    description:
      "copycat only. Pull source images with the credentials of the pods that use them: each pod's `imagePullSecrets`, then its service account's, read from the pod's own namespace only (after `registryCredentials`, before the docker config; docs/credentials.md). Needs RBAC `get` on `secrets` and `serviceaccounts`. Env: Go boolean, else a start-up error.",
  },
  {
    id: 'pathMap',
    property: 'pathMap',
    file: 'pathMap',
    fileKind: 'pathMap',
    type: 'list of entries',
    default: '',
    description: 'Rewrites of the source repository path (without registry) before the prefix is added; the first matching rule wins (fields below). File only.',
  },
  {
    id: 'METRICS_ADDR',
    property: 'metricsBindAddress',
    env: 'METRICS_ADDR',
    type: 'address',
    default: `\`${DEFAULTS.metricsBindAddress}\``,
    description: 'Bind address of the metrics server (`host:port`, `:port`, or `0` to turn it off). A metrics-address flag passed by the CLI wins. Checked at start-up.',
  },
  {
    id: 'CONFIG_PATH',
    property: '(loader) path',
    env: 'CONFIG_PATH',
    type: 'path',
    default: `\`${DEFAULTS.configPath}\``,
    description: 'The YAML config file. A missing file means defaults everywhere; a file that exists but cannot be read, or is not valid YAML, is a start-up error.',
  },
] satisfies Setting[]);

/** Fields of one `registryCredentials` entry (inventory §4.1). */
export const CREDENTIAL_FIELDS: readonly ItemField[] = Object.freeze([
  { name: 'registry', kind: 'string', type: 'string', default: '', description: 'Registry host (lowercased). Blank: the whole entry is ignored, with a warning.' },
  {
    name: 'registryAliases',
    kind: 'list',
    type: 'list',
    default: '',
    description: 'More hosts for the same credentials; an entry with `*?[` is a glob (`*.ghcr.io`). Docker Hub pulls look up `index.docker.io`, so list it.',
  },
  { name: 'username', kind: 'string', type: 'string', default: '', description: 'Basic-auth user name (trimmed).' },
  { name: 'usernameEnv', kind: 'string', type: 'env var name', default: '', description: 'Env var whose non-empty value replaces `username`.' },
  { name: 'password', kind: 'secret', type: 'secret', default: '', description: 'Basic-auth password, used as written. Prefer `passwordEnv`.' },
  { name: 'passwordEnv', kind: 'string', type: 'env var name', default: '', description: 'Env var whose non-empty value replaces `password`.' },
  { name: 'token', kind: 'secret', type: 'secret', default: '', description: 'Bearer token sent as is (wins over username/password). Prefer `tokenEnv`.' },
  { name: 'tokenEnv', kind: 'string', type: 'env var name', default: '', description: 'Env var whose non-empty value replaces `token`. An entry left with no credential is ignored, with a warning.' },
] satisfies ItemField[]);

/** Fields of one `pathMap` entry (inventory §3.10). */
export const PATH_MAP_FIELDS: readonly ItemField[] = Object.freeze([
  {
    name: 'from',
    kind: 'string',
    type: 'string',
    default: '',
    description: 'Prefix of the repository path (no segment boundary, as upstream), or a Go RE2 pattern when `regex` is true. Invalid patterns drop the rule with a warning.',
  },
  { name: 'to', kind: 'string', type: 'string', default: '', description: 'Replacement prefix, or a regex template (`$1`, `${name}`) applied to every match.' },
  { name: 'regex', kind: 'bool', type: 'bool', default: 'false', description: 'Treat `from` as a regular expression.' },
] satisfies ItemField[]);

const BY_ID: ReadonlyMap<string, Setting> = new Map(SETTINGS.map((s) => [s.id, s]));

/** The setting with `id` (a file key path or an env-only var); throws for an unknown id, which is a bug. */
export function setting(id: string): Setting {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`no setting ${id}`);
  return found;
}
