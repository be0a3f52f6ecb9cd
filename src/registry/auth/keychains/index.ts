/**
 * Where credentials come from: the config file's `registryCredentials`, Kubernetes pull secrets, a
 * docker `config.json` with credential helpers, chained in copycat's documented order.
 */
export { CredentialChain, defaultChain } from './chain.ts';
export type { CredentialSources } from './chain.ts';
export { ConfigCredentials } from './config-keychain.ts';
export type { RegistryCredentialEntry } from './config-keychain.ts';
export { DockerConfigCredentials, parseDockerConfig } from './docker-config.ts';
export type { DockerConfigFile, DockerConfigOptions } from './docker-config.ts';
export { DEFAULT_HELPER_TIMEOUT_MS, runCredentialHelper } from './credential-helper.ts';
export type { HelperRequest, HelperResult } from './credential-helper.ts';
export { DOCKER_CONFIG_JSON_TYPE, DOCKERCFG_TYPE, PullSecretCredentials } from './pull-secrets.ts';
export type { PullSecret, PullSecretsResult } from './pull-secrets.ts';
export { KeychainError } from './errors.ts';
export type { KeychainErrorCode } from './errors.ts';
