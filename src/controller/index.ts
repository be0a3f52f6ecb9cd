/**
 * The mirroring brain: from Kubernetes objects to mirrored images. A demand index (image → the objects using
 * it) feeds a keyed job queue; the planner reproduces k8s-copycat's decisions; the mirror executes a plan on
 * the digest-exact copy engine; cooldowns, per-registry back-off, resync and status around it.
 */
export { Controller, jobKeyOf } from './controller.ts';
export type { ControllerOptions, ForceReconcileResult, ResyncResult } from './controller.ts';
export { ControllerError, MirrorError } from './errors.ts';
export type { ErrorSide } from './errors.ts';
export { memoryLogger, noopLogger, withFields } from './logger.ts';
export type { LogMethod, LogRecord, Logger } from './logger.ts';
export type { ControllerMetrics, MirrorMetricResult } from './metrics.ts';
export { nameTarget, planImage, retarget } from './planner.ts';
export type { CopyMode, MirrorPlan, PlanDecision, PlanNote, SkipReason, UseContext } from './planner.ts';
export { defaultRules, rulesFromConfig } from './rules.ts';
export type { MirrorRules, TargetNaming } from './rules.ts';
export { matchExcludedRegistry, normalizeSourceForExclusion } from './exclude.ts';
export { desiredPlatforms, isMissingPlatformIgnored, nodePlatformOf, parseMirrorPlatforms, platformKey } from './platforms.ts';
export type { NodePlatformInfo } from './platforms.ts';
export { JobSources } from './job-sources.ts';
export type { JobSource, JobSourcesOptions, PullSecretsLookup, SourceCredentialSources } from './job-sources.ts';
export { DemandIndex } from './demand.ts';
export type { DemandChange, DemandEntry, UserRef } from './demand.ts';
export { DEFAULT_QUEUE_BACKOFF, KeyedQueue } from './queue.ts';
export type { KeyedQueueOptions, QueueHandler } from './queue.ts';
export { FailureCooldown, RegistryBackoff } from './cooldown.ts';
export type { Clock, RegistryBackoffOptions } from './cooldown.ts';
export { goDuration, isStopped, mirrorImage } from './mirror.ts';
export type { MirrorContext, MirrorOutcome, MirrorResultKind } from './mirror.ts';
export { OVERWRITTEN_HINT, classifyError } from './classify.ts';
export { JOB_STATES, MAX_USERS_LISTED, countStates, redactSecrets } from './status.ts';
export type { ControllerStatus, ImageStatus, JobRecord, JobState } from './status.ts';
export { OBSERVED_KINDS, isActivePod, keyOf, kindOf, podOwnerName, refOf, slimObject } from './objects.ts';
export type { ObjectRef, ObservedKind } from './objects.ts';
export { evaluateObject, namespaceFilter, skipListsFrom } from './evaluate.ts';
export type { EvaluatedUse, Evaluation, IgnoreReason, ObjectFilters } from './evaluate.ts';
export { documentLookups, emptyDocumentSet, parseDocuments } from './documents.ts';
export type { DocumentSet } from './documents.ts';
export { GAP_STATES, verifyPods } from './verify.ts';
export type { VerifyOptions, VerifyReport, VerifyRow, VerifyState } from './verify.ts';
export { controllerOptionsFromConfig, filtersFromConfig, kindsFromConfig, sourceCredentialsFromConfig, targetFromConfig, validateNamespaces } from './setup.ts';
export type { ControllerParts } from './setup.ts';
