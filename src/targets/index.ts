/**
 * Where mirrored images go: the {@link Target} interface, repository naming (`repoPrefix` templating and
 * `pathMap`), any OCI registry ({@link DockerTarget}) and Amazon ECR ({@link EcrTarget}).
 */
export type { EnsureOptions, EnsureResult, Target } from './target.ts';
export { TargetError } from './errors.ts';
export { architectureLabel, expandRepoPrefix, targetRepository, validateNamingRules } from './naming.ts';
export type { NamingContext, NamingRules } from './naming.ts';
export { applyPathMap, compilePathMap } from './path-map.ts';
export type { CompiledPathMapRule, PathMapRule } from './path-map.ts';
export { cleanRepoName, MAX_REPOSITORY_LENGTH, UNKNOWN_REPOSITORY } from './clean-name.ts';
export { parseRegistryLocation, validateRegistryHost } from './registry-host.ts';
export type { RegistryLocation } from './registry-host.ts';
export * from './docker/index.ts';
export * from './ecr/index.ts';
