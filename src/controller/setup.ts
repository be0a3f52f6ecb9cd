/**
 * Building the controller's parts from a loaded {@link Config}: the target, source credentials, the object
 * filters, the start-up namespace check (behaviour inventory §2.6) and the controller options. Used by the
 * `copycat controller`, `sync` and `verify` commands so all three name and filter images the same way.
 */
import type { Config } from '../config/index.ts';
import { errorMessage } from '../internal/errors.ts';
import { expandNamespaces, RESOURCES, type NamespaceScope, type OwnerLookups } from '../kube/index.ts';
import { ConfigCredentials, type CredentialProvider, type RegistryCredentialEntry } from '../registry/index.ts';
import { DockerTarget, EcrTarget, type EcrObserver, type Target } from '../targets/index.ts';
import type { ControllerOptions } from './controller.ts';
import { ControllerError } from './errors.ts';
import { namespaceFilter, skipListsFrom, type ObjectFilters } from './evaluate.ts';
import type { Logger } from './logger.ts';
import type { NodePlatformInfo } from './platforms.ts';
import { rulesFromConfig } from './rules.ts';

/**
 * The target `config` describes: a {@link DockerTarget} (`targetKind: docker`) or an {@link EcrTarget}. ECR
 * repository settings left at ECR's own defaults (`MUTABLE`, no scan on push, `AES256`, no tags) are not sent,
 * so CreateRepository stays the request it was for configurations that do not set them.
 */
export function targetFromConfig(config: Config, ecr: { observer?: EcrObserver; endpoint?: string } = {}): Target {
  if (config.targetKind === 'docker') {
    const d = config.docker;
    return new DockerTarget({ registry: d.registry, insecure: d.insecure, ...(d.username !== '' ? { username: d.username } : {}), ...(d.password !== '' ? { password: d.password } : {}) });
  }
  const e = config.ecr;
  return new EcrTarget({
    accountId: e.accountID,
    region: e.region,
    createRepo: e.createRepo,
    ...(e.registry !== '' ? { registry: e.registry } : {}),
    ...(e.assumeRoleArn !== '' ? { assumeRoleArn: e.assumeRoleArn } : {}),
    ...(e.lifecyclePolicy !== '' ? { lifecyclePolicy: e.lifecyclePolicy } : {}),
    ...(e.imageTagMutability !== 'MUTABLE' ? { imageTagMutability: e.imageTagMutability } : {}),
    ...(e.scanOnPush ? { scanOnPush: true } : {}),
    ...(e.encryption.type !== 'AES256' ? { encryption: { type: e.encryption.type, ...(e.encryption.kmsKey !== '' ? { kmsKey: e.encryption.kmsKey } : {}) } } : {}),
    ...(Object.keys(e.tags).length > 0 ? { tags: { ...e.tags } } : {}),
    ...(ecr.observer ? { observer: ecr.observer } : {}),
    ...(ecr.endpoint ? { endpoint: ecr.endpoint } : {}),
  });
}

/** `registryCredentials` as a credential provider for source registries (secrets resolved at load time). */
export function sourceCredentialsFromConfig(config: Config): CredentialProvider {
  const entries: RegistryCredentialEntry[] = config.registryCredentials.map((c) => {
    const [registry = '', ...aliases] = c.hosts;
    return c.auth.kind === 'token'
      ? { registry, registryAliases: aliases, token: c.auth.token }
      : { registry, registryAliases: aliases, username: c.auth.username, password: c.auth.password };
  });
  return ConfigCredentials.fromEntries(entries, {});
}

/** The kinds `watchResources` selects (`pods` → `Pod`, …). */
export function kindsFromConfig(config: Config): Set<string> {
  return new Set(config.watchResources.map((r) => RESOURCES[r].kind));
}

/**
 * The start-up namespace check against the namespaces that exist (§2.6): globs expand, plain names must exist
 * (`NAMESPACE_MISSING` names all missing ones, sorted), with upstream's log lines. Returns the scope to watch:
 * `'*'`, or the names; a selection whose globs match nothing is empty and watches nothing (upstream watched
 * everything, §2.6 [BUG]).
 */
export function validateNamespaces(config: Config, existing: readonly string[], log: Logger): NamespaceScope {
  const expansion = expandNamespaces(config.includeNamespaces, existing);
  for (const { pattern, error } of expansion.invalidPatterns) log.error({ pattern, error: errorMessage(error) }, 'invalid namespace pattern');
  for (const pattern of expansion.unmatchedPatterns) log.info({ pattern }, 'namespace wildcard matched no namespaces');
  for (const namespace of expansion.missing) log.error({ namespace, error: `namespace ${JSON.stringify(namespace)} does not exist` }, 'configured namespace missing');
  if (expansion.missing.length > 0) throw new ControllerError('NAMESPACE_MISSING', `configured namespace(s) do not exist: ${expansion.missing.join(', ')}`);
  const scope = expansion.scope;
  if (scope === '*') log.info({}, 'listing resources in all namespaces');
  else if (scope.length === 0) log.info({}, 'no namespaces matched include configuration; controllers will not watch any namespaces');
  else log.info({ namespaces: scope }, 'listing resources in configured namespaces');
  return scope;
}

/** Object filters from the configuration and a validated namespace scope. */
export function filtersFromConfig(
  config: Config,
  scope: NamespaceScope,
  lookups: { owners?: OwnerLookups; nodePlatform?: (nodeName: string) => Promise<NodePlatformInfo | undefined> } = {},
): ObjectFilters {
  return {
    namespaceAllowed: namespaceFilter(scope, config.skipNamespaces),
    skip: skipListsFrom(config.skipNames),
    kinds: kindsFromConfig(config),
    owners: lookups.owners,
    nodePlatform: lookups.nodePlatform,
  };
}

/** The parts a controller needs that the configuration does not describe. */
export interface ControllerParts {
  target: Target;
  source: ControllerOptions['source'];
  targetClient: ControllerOptions['targetClient'];
  filters: ObjectFilters;
  logger?: Logger;
  metrics?: ControllerOptions['metrics'];
  /** The kube module's `podPullSecretsFetcher`; used only when `usePodPullSecrets` is on. */
  pullSecrets?: ControllerOptions['pullSecrets'];
  /** The credential sources `source` was built with (`registryCredentials`, docker config, insecure registries). */
  sourceCredentials?: ControllerOptions['sourceCredentials'];
}

/** Controller options from a configuration: every setting mapped, in k8s-copycat's meaning. */
export function controllerOptionsFromConfig(config: Config, parts: ControllerParts): ControllerOptions {
  const { pullSecrets, ...rest } = parts;
  const logger = parts.logger;
  return {
    ...rest,
    // Off unless enabled: without the setting no Secret is ever read, whatever the wiring passed.
    ...(config.usePodPullSecrets && pullSecrets !== undefined ? { pullSecrets } : {}),
    rules: rulesFromConfig(config, parts.target, (entry, error) => logger?.info({ platform: entry, error: errorMessage(error) }, 'ignoring invalid mirror platform')),
    dryRun: config.dryRun,
    dryPull: config.dryPull,
    requestTimeoutMs: config.requestTimeoutMs,
    retryAttempts: config.registryRetryAttempts,
    retryBackoffMs: config.registryRetryBackoffMs,
    failureCooldownMs: config.failureCooldownMs,
    maxConcurrentReconciles: config.maxConcurrentReconciles,
    resyncIntervalMs: config.forceReconcileMs,
  };
}
