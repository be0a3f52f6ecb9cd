/**
 * k8s-copycat-compatible configuration: the YAML file at `CONFIG_PATH` plus the same env vars, with
 * the same defaults and precedence, validated into a typed {@link Config}.
 */
export { loadConfig, loadConfigWithWarnings } from './load.ts';
export type { LoadConfigOptions, LoadedConfig } from './load.ts';
export { resolveConfig, MAX_DURATION_MS } from './resolve.ts';
export type { ConfigFlags, Origin, Resolved } from './resolve.ts';
export { readConfigText, FileSettings } from './file.ts';
export { ConfigError } from './errors.ts';
export type { ConfigErrorCode } from './errors.ts';
export type {
  Config,
  CredentialAuth,
  DockerConfig,
  EcrConfig,
  EcrEncryptionConfig,
  EcrEncryptionType,
  EcrTagMutability,
  LogLevel,
  PathMapping,
  RegistryCredential,
  SkipNames,
  SparseIndexFallback,
  TargetKind,
} from './types.ts';
export type { Env } from './credentials.ts';
export { ALL_WATCH_RESOURCES, parseWatchResources } from './watch.ts';
export type { WatchResource } from './watch.ts';
export { expandIncludeNamespaces, normalizeIncludeNamespaces } from './namespaces.ts';
export type { NamespaceSelection } from './namespaces.ts';
export { compileGlob, isGlob } from './glob.ts';
export { compileGoRegex } from './regex.ts';
export { normalizeRegistryPrefix, normalizeExcludedRegistries } from './registries.ts';
export { CONFIG_SCHEMA_DOC, renderConfigTable } from './docs.ts';
export type { ConfigDocRow } from './docs.ts';
export { redactConfig, REDACTED } from './redact.ts';
export { DEFAULTS } from './settings.ts';
