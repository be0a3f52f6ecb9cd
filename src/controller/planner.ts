/**
 * The planner: one image use (a container's image, its pod `imageID`, its owner and node) plus the rules give
 * the mirror to perform, or why there is none. Pure: no I/O, no clock, so every decision of k8s-copycat's
 * `Mirror` that does not need a registry lives here and is unit-tested here (behaviour inventory §3.1–§3.4,
 * §3.9–§3.11).
 *
 * Digest guarantees (ARCHITECTURE §2) shape two decisions that differ from upstream (docs/differences.md):
 * - a digest-only source keeps no tag and is pushed by digest (upstream pushed it as `:latest`, §7.1 item 5);
 * - selecting platforms never builds a new index: the plan asks the copy engine for the platforms and the
 *   original index, and `sparseFallback` decides what happens when the target refuses it (ADR 0002).
 */
import { normalizeImageID, parseImageID } from '../kube/index.ts';
import { formatPlatform, type Platform } from '../oci/index.ts';
import { parseReference, type Reference } from '../reference/index.ts';
import { targetRepository, type NamingContext, type PathMapRule } from '../targets/index.ts';
import { ControllerError } from './errors.ts';
import { matchExcludedRegistry } from './exclude.ts';
import { desiredPlatforms, nodePlatformOf, nodePlatformUnlisted, type NodePlatformInfo } from './platforms.ts';
import type { MirrorRules } from './rules.ts';

/** Who uses an image: the values `repoPrefix` placeholders take, and the node the pod runs on. */
export interface UseContext {
  /** `$namespace`. */
  namespace: string;
  /** `$podname`: the workload name (for a Pod, the workload that owns it; see `objects.ts`). */
  owner: string;
  /** `$container_name` (init and ephemeral containers too). */
  container: string;
  /** The node's platform; used only with `checkNodePlatform`. */
  node?: NodePlatformInfo | undefined;
}

/**
 * How the copy treats an index: `full` copies every platform and attestation byte for byte; `platforms`
 * copies the desired platforms (plus their attestations) and then tries the original index (§3.3, ADR 0002).
 */
export type CopyMode = 'full' | 'platforms';

/** Something worth logging about a decision, with k8s-copycat's message text (§5.3). */
export interface PlanNote {
  level: 'debug' | 'info';
  message: string;
  fields: Record<string, unknown>;
}

/** One mirror to perform. Everything is decided except what needs a registry (digests, presence). */
export interface MirrorPlan {
  /** The job key: plans with equal keys are one job (200 pods of a Deployment → one key). */
  readonly key: string;
  /** The image as written in the spec. */
  readonly source: string;
  /** The source parsed (normalised: `nginx` is `docker.io/library/nginx`). */
  readonly sourceRef: Reference;
  /** Where the bytes are read: the source, or `<repo>@<imageID digest>` when pulling by the pod's digest. */
  readonly pull: Reference;
  /** The pod's `imageID` digest when the pull is by it (`usePodDigest && havePodDigest`). */
  readonly podDigest?: string | undefined;
  /** The target repository path (with the target's fixed path in front). */
  readonly targetRepository: string;
  /** The target reference: `registry/repository:tag`, or `registry/repository` for a digest-only source. */
  readonly target: Reference;
  /** The tag written in the target; undefined: push by digest only (digest-only source). */
  readonly tag?: string | undefined;
  /** Platforms wanted, node platform first; empty for `full`. */
  readonly platforms: readonly Platform[];
  readonly mode: CopyMode;
  /** Why `full` was chosen, for the "mirroring entire multi-architecture index" log. */
  readonly fullReason?: 'digestPull disabled' | 'platform metadata unavailable' | undefined;
  /** The `$arch` placeholder is used: the repository is recomputed from what the source holds (§3.9). */
  readonly archDependent: boolean;
  /** The placeholder values the repository was named with (`architecture` is the node's, or empty). */
  readonly naming: Readonly<NamingContext>;
}

/** Why an image is not mirrored. */
export type SkipReason = 'excluded' | 'digest-pending';

/** The planner's answer for one image use. */
export type PlanDecision =
  | { kind: 'mirror'; plan: MirrorPlan; notes: PlanNote[] }
  | { kind: 'skip'; source: string; reason: SkipReason; detail: string; notes: PlanNote[] }
  | { kind: 'invalid'; source: string; error: ControllerError; notes: PlanNote[] };

const ARCH_PLACEHOLDER = /\$arch/;

/**
 * Plans the mirror of `image` (as written in the spec) used in `ctx`, with the pod's `imageID` when the
 * kubelet reported one. See the file comment; the steps follow k8s-copycat's `Mirror` (§3.1) up to the first
 * registry request.
 */
export function planImage(rules: MirrorRules, image: string, imageID: string | undefined, ctx: UseContext): PlanDecision {
  const notes: PlanNote[] = [];
  const source = image.trim();

  // 1. excludeRegistries (§3.11): nothing else happens, not even parsing.
  const excluded = matchExcludedRegistry(source, rules.excludeRegistries);
  if (excluded !== undefined) {
    notes.push({ level: 'debug', message: 'source matches excluded registry prefix, skipping', fields: { excludedPrefix: excluded, result: 'skipped' } });
    return { kind: 'skip', source, reason: 'excluded', detail: `matches excluded registry prefix ${excluded}`, notes };
  }

  // 2. Parse (upstream `parse source: …`, a plain error: no cooldown).
  let ref: Reference;
  try {
    ref = parseReference(source);
  } catch (err) {
    const error = new ControllerError('IMAGE_REFERENCE_INVALID', `parse source: ${(err as Error).message}`, { cause: err });
    return { kind: 'invalid', source, error, notes };
  }

  // 3. digestPull and digestPullIgnoredTags (§3.2): a tag source (a missing tag is `latest`) on the ignored
  // list stays tag-based; a digest source is never ignored.
  const sourceIsDigest = ref.digest !== undefined;
  let usePodDigest = rules.digestPull;
  if (usePodDigest && !sourceIsDigest) {
    const tag = (ref.tag ?? 'latest').trim().toLowerCase();
    if (rules.digestPullIgnoredTags.has(tag)) {
      usePodDigest = false;
      notes.push({ level: 'debug', message: 'digest pull ignored for tag configured in digestPullIgnoredTags', fields: { tag } });
    }
  }

  // 4. The pull reference: the pod's imageID digest when usable, with the imageID's own repository when it
  // names one (upstream pulls from it, e.g. behind a containerd mirror), else the source's (§2.4).
  let pull: Reference = ref;
  let podDigest: string | undefined;
  const normalizedID = normalizeImageID(imageID);
  if (usePodDigest && normalizedID !== '') {
    const parsed = parseImageID(normalizedID);
    if (parsed === undefined) {
      notes.push({ level: 'debug', message: 'failed to parse digest from pod imageID', fields: { imageID: normalizedID } });
    } else {
      podDigest = parsed.digest;
      pull = pullFrom(ref, parsed.repository, parsed.digest);
    }
  }
  if (usePodDigest && podDigest === undefined && !sourceIsDigest) {
    notes.push({ level: 'debug', message: 'digest pull enabled but pod imageID digest is not available yet, skipping until it is reported', fields: { result: 'skipped' } });
    return { kind: 'skip', source, reason: 'digest-pending', detail: 'digestPull is on and the pod has not reported an imageID digest yet', notes };
  }

  // 5. Platforms (§3.4): the node's first (checkNodePlatform), then mirrorPlatforms.
  const node = rules.checkNodePlatform ? nodePlatformOf(ctx.node) : undefined;
  if (nodePlatformUnlisted(node, rules.mirrorPlatforms)) {
    notes.push({
      level: 'info',
      message: 'checkNodePlatform detected platform not configured in mirrorPlatforms; continuing with node-specific manifest',
      fields: { severity: 'warning', architecture: node?.architecture, os: node?.os },
    });
  }
  const desired = desiredPlatforms(node, rules.mirrorPlatforms);
  // Branch selection uses the global digestPull, not usePodDigest (§3.3).
  const mode: CopyMode = rules.digestPull && desired.length > 0 ? 'platforms' : 'full';
  const fullReason = mode === 'full' ? (rules.digestPull ? 'platform metadata unavailable' : 'digestPull disabled') : undefined;

  // 6. Target naming (§3.9, §3.10); `$arch` starts as the node's architecture.
  const naming: NamingContext = {
    namespace: ctx.namespace,
    podName: ctx.owner,
    containerName: ctx.container,
    architecture: node?.architecture ?? '',
    registry: ref.registry,
  };
  // A digest-only source keeps no tag (ARCHITECTURE §2.4); `repo:tag@digest` keeps its tag; a bare name is `latest`.
  const tag = sourceIsDigest ? ref.tag : (ref.tag ?? 'latest');
  let named: { repository: string; target: Reference };
  try {
    named = nameTarget(rules, ref.repository, naming, tag);
  } catch (err) {
    const error = new ControllerError('IMAGE_REFERENCE_INVALID', `parse target: ${(err as Error).message}`, { cause: err });
    return { kind: 'invalid', source, error, notes };
  }
  const platforms = mode === 'platforms' ? desired : [];
  const key = `${named.target.toString()}|${pull.toString()}|${mode}${platforms.length > 0 ? `:${platforms.map(formatPlatform).join(',')}` : ''}`;
  const plan: MirrorPlan = {
    key,
    source,
    sourceRef: ref,
    pull,
    podDigest,
    targetRepository: named.repository,
    target: named.target,
    tag,
    platforms,
    mode,
    fullReason,
    archDependent: ARCH_PLACEHOLDER.test(rules.repoPrefix),
    naming,
  };
  return { kind: 'mirror', plan, notes };
}

/** `<imageID repository or source repository>@<digest>`, keeping the source's tag out (it is a pull by digest). */
function pullFrom(source: Reference, repository: string | undefined, digest: string): Reference {
  if (repository !== undefined) {
    try {
      const r = parseReference(`${repository}@${digest}`);
      if (r.tag === undefined) return r;
    } catch {
      // An imageID repository the grammar refuses: the source's repository is the best guess.
    }
  }
  return parseReference(`${source.registry}/${source.repository}@${digest}`);
}

/**
 * The target repository and reference for a source repository: `pathMap`, the expanded `repoPrefix`, the
 * target's fixed path, then `registry/repository[:tag]`.
 */
export function nameTarget(rules: MirrorRules, sourceRepository: string, naming: NamingContext, tag: string | undefined): { repository: string; target: Reference } {
  const repo = targetRepository(sourceRepository, naming, { repoPrefix: rules.repoPrefix, pathMap: rules.pathMap as PathMapRule[] });
  const repository = rules.targetPathPrefix === '' ? repo : `${rules.targetPathPrefix}/${repo}`;
  const target = parseReference(`${rules.targetRegistry}/${repository}${tag !== undefined ? `:${tag}` : ''}`);
  return { repository, target };
}

/**
 * The plan re-aimed after `$arch` became known from the source (§3.9): same job, repository named with
 * `architecture`. Returns the plan unchanged when the name does not change.
 */
export function retarget(rules: MirrorRules, plan: MirrorPlan, architecture: string): MirrorPlan {
  const naming = { ...plan.naming, architecture };
  const named = nameTarget(rules, plan.sourceRef.repository, naming, plan.tag);
  if (named.repository === plan.targetRepository) return plan;
  return { ...plan, naming, targetRepository: named.repository, target: named.target };
}
