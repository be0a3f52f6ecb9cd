/**
 * The Kubernetes side of copycat: configuration and a JSON client on `@kubernetes/client-node`,
 * self-healing cached list+watch, image extraction, owners, node platforms, skip lists, namespace
 * expansion, Lease leader election, and pods' image pull secrets.
 */
export { loadKubeConfig, SERVICE_ACCOUNT_DIR } from './config.ts';
export type { LoadKubeConfigOptions, LoadedKubeConfig } from './config.ts';
export { KubeClient } from './client.ts';
export type { KubeClientOptions, KubeRequestOptions, Query, WatchEventCallback } from './client.ts';
export { KubeError, codeForStatus, normaliseKubeError, statusError } from './errors.ts';
export type { KubeErrorCode, KubeErrorDetails } from './errors.ts';
export { RESOURCES, WATCH_RESOURCES, apiVersionOf, collectionPath, objectPath, resourceForKind } from './resources.ts';
export type { ResourceType, WatchResourceName } from './resources.ts';
export { extractImages, normalizeImageID, parseImageID, podImages, podSpecImages, podTemplateOf } from './images.ts';
export type { ContainerKind, ImageUse } from './images.ts';
export { ResourceWatch, defaultTransform } from './watch.ts';
export type { NamespaceScope, ResourceWatchOptions, WatchHandlers, WatchStatusEvent } from './watch.ts';
export { apiLookup, cachedLookup, lazyWatchLookup, watchLookup } from './lookup.ts';
export type { ObjectLookup } from './lookup.ts';
export { NodePlatforms, nodePlatform } from './nodes.ts';
export type { NodePlatform, NodePlatformsOptions } from './nodes.ts';
export { ownerChains, topOwner } from './owners.ts';
export type { OwnerLookups, WorkloadRef } from './owners.ts';
export { NameMatcher, isSkipped, namespaceAllowed, shouldSkipPod, skipListFor } from './skip.ts';
export type { SkipLists } from './skip.ts';
export {
  compileNamespacePattern,
  expandNamespaces,
  isNamespacePattern,
  listNamespaceNames,
  matchNamespacePattern,
  resolveNamespaces,
  selectsAllNamespaces,
} from './namespaces.ts';
export type { NamespaceExpansion } from './namespaces.ts';
export { DEFAULT_LEASE_NAME, LeaseClient, formatMicroTime, parseMicroTime } from './lease.ts';
export { DEFAULT_LEADER_TIMINGS, LEADER_JITTER_FACTOR, LeaderElector, decide, defaultIdentity, releaseSpec, validateTimings } from './leader.ts';
export type { LeaderDecision, LeaderElectionOptions, LeaderTimings } from './leader.ts';
export { ClusterWatches } from './cluster.ts';
export { DEFAULT_PULL_SECRETS_TTL_MS, podPullSecretsFetcher, pullSecretUserOf } from './pull-secrets.ts';
export type { PodPullSecretsOptions, PullSecretsFetcher, PullSecretUser } from './pull-secrets.ts';
export { TtlCache } from './ttl-cache.ts';
export type { TtlCacheOptions } from './ttl-cache.ts';
export type { ClusterEvent, ClusterWatchesOptions, WatchTuning } from './cluster.ts';
export type {
  ContainerLike,
  ContainerStatusLike,
  KubeObject,
  LeaseLike,
  LeaseSpec,
  ListLike,
  LocalObjectReference,
  NodeLike,
  ObjectMeta,
  OwnerReference,
  PodLike,
  PodSpecLike,
  PodStatusLike,
  PodTemplateLike,
  SecretLike,
  ServiceAccountLike,
  StatusLike,
  WorkloadLike,
} from './types.ts';
