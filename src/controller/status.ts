/**
 * What the controller knows about each image, and the `/status` document built from it: per image its source,
 * where it goes, the digests in the target (top and per platform), its state, the last error (secrets
 * removed), when it is retried, the names of the pull secrets it was read with, and who uses it.
 */
import type { UserRef } from './demand.ts';
import type { MirrorResultKind } from './mirror.ts';
import type { MirrorPlan } from './planner.ts';

/**
 * The state of one image:
 * `pending` (waiting or running), `mirrored` (the target serves it), `partial` (platforms served by digest but
 * the target refused the original index: no tag, ADR 0002), `failed` (will be retried, see `nextRetry`),
 * `cooldown` (failed; held back until `nextRetry`), `skipped` (excluded, waiting for a digest, or a dry run),
 * `invalid` (the reference does not parse: fix the spec).
 */
export type JobState = 'pending' | 'mirrored' | 'partial' | 'failed' | 'cooldown' | 'skipped' | 'invalid';

/** Every state, in the order the status lists counts. */
export const JOB_STATES: readonly JobState[] = ['pending', 'mirrored', 'partial', 'failed', 'cooldown', 'skipped', 'invalid'];

/** The controller's record of one job (one image use key). */
export interface JobRecord {
  key: string;
  /** `mirror` jobs run; `skip` and `invalid` records only report. */
  kind: 'mirror' | 'skip' | 'invalid';
  source: string;
  plan?: MirrorPlan | undefined;
  state: JobState;
  /** Why it is skipped or invalid, or what the last run noticed. */
  reason?: string | undefined;
  digest?: string | undefined;
  mediaType?: string | undefined;
  platforms: Array<{ platform: string; digest: string }>;
  tagged: boolean;
  /** The target repository actually written (differs from the plan's when `$arch` re-aimed it). */
  repository?: string | undefined;
  lastError?: string | undefined;
  errorCode?: string | undefined;
  /** Epoch ms of the next try, when one is scheduled. */
  nextRetry?: number | undefined;
  /** Epoch ms of the last run that left the image mirrored. */
  lastMirrored?: number | undefined;
  /** What the last finished run did: `copied` bytes, found it `present`, a dry run… */
  lastResult?: MirrorResultKind | undefined;
  /** Blob bytes the last run uploaded. */
  lastBytes?: number | undefined;
  /** `usePodPullSecrets`: the pull secrets (`namespace/name`) the last run could read the source with. */
  pullSecrets?: string[] | undefined;
  runs: number;
  running: boolean;
}

/** One image in the `/status` document. */
export interface ImageStatus {
  key: string;
  source: string;
  /** Where the bytes are read (`…@<imageID digest>` when pulling by the pod's digest). */
  pull?: string | undefined;
  /** The target reference (`registry/repository:tag`, or `registry/repository@digest`). */
  target?: string | undefined;
  state: JobState;
  running: boolean;
  digest?: string | undefined;
  mediaType?: string | undefined;
  platforms: Array<{ platform: string; digest: string }>;
  tagged: boolean;
  reason?: string | undefined;
  lastError?: string | undefined;
  errorCode?: string | undefined;
  /** ISO time of the next try. */
  nextRetry?: string | undefined;
  /** ISO time the image was last confirmed mirrored. */
  lastMirrored?: string | undefined;
  /** What the last finished run did (`copied`, `present`, `partial`, `dry-run`, `dry-pull`). */
  lastResult?: MirrorResultKind | undefined;
  /** Blob bytes the last run uploaded. */
  lastBytes?: number | undefined;
  /** The pull secrets (`namespace/name`, names only) its users offered the last run (`usePodPullSecrets`). */
  pullSecrets?: string[] | undefined;
  /** The first users (at most {@link MAX_USERS_LISTED}); `userCount` has them all. */
  users: UserRef[];
  userCount: number;
}

/** The `/status` document. */
export interface ControllerStatus {
  generatedAt: string;
  dryRun: boolean;
  dryPull: boolean;
  queue: { depth: number; active: number; delayed: number };
  counts: Record<JobState, number>;
  /** Source registries copycat is leaving alone for now (429, exhausted rate limit). */
  throttledRegistries: Array<{ registry: string; until: string; reason: string }>;
  images: ImageStatus[];
}

/** Users listed per image; a Deployment of 200 pods lists its first 50 and `userCount: 200`. */
export const MAX_USERS_LISTED = 50;

// Credentials that could reach an error text: URL user info, auth headers, secret-looking query/JSON fields.
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1REDACTED@'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 REDACTED'],
  [/\b(password|passwd|token|access_token|refresh_token|secret)(["']?\s*[=:]\s*["']?)[^\s"'&,;}]+/gi, '$1$2REDACTED'],
];

/** Removes credentials from a message before it is stored or shown (ARCHITECTURE §4 "Secrets never printed"). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Counts of records per state, every state present. */
export function countStates(records: Iterable<JobRecord>): Record<JobState, number> {
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const r of records) counts[r.state]++;
  return counts;
}

/** The status entry of one record. */
export function imageStatus(record: JobRecord, users: readonly UserRef[]): ImageStatus {
  const plan = record.plan;
  const target = plan === undefined ? undefined : record.repository !== undefined && record.repository !== plan.targetRepository ? `${plan.target.registry}/${record.repository}${plan.tag !== undefined ? `:${plan.tag}` : ''}` : plan.target.toString();
  return {
    key: record.key,
    source: record.source,
    pull: plan?.pull.toString(),
    target: target !== undefined && plan?.tag === undefined && record.digest !== undefined ? `${target}@${record.digest}` : target,
    state: record.state,
    running: record.running,
    digest: record.digest,
    mediaType: record.mediaType,
    platforms: record.platforms,
    tagged: record.tagged,
    reason: record.reason,
    lastError: record.lastError,
    errorCode: record.errorCode,
    nextRetry: record.nextRetry !== undefined ? new Date(record.nextRetry).toISOString() : undefined,
    lastMirrored: record.lastMirrored !== undefined ? new Date(record.lastMirrored).toISOString() : undefined,
    lastResult: record.lastResult,
    lastBytes: record.lastBytes,
    ...(record.pullSecrets !== undefined ? { pullSecrets: record.pullSecrets } : {}),
    users: users.slice(0, MAX_USERS_LISTED),
    userCount: users.length,
  };
}
