/**
 * From one object to its planned image uses: k8s-copycat's reconcile filters (namespace allow check, skip
 * lists, owners' skip lists, pod phase; behaviour inventory §2.2, §2.5), the node platform (§2.7), then the
 * planner for every container. Shared by the controller, `copycat sync` and `copycat verify`.
 */
import type { SkipNames } from '../config/index.ts';
import { extractImages, NameMatcher, namespaceAllowed, shouldSkipPod, skipListFor, type ImageUse, type KubeObject, type NamespaceScope, type OwnerLookups, type PodLike, type SkipLists } from '../kube/index.ts';
import type { UserRef } from './demand.ts';
import { isActivePod, podOwnerName, refOf, type ObjectRef } from './objects.ts';
import { planImage, type PlanDecision } from './planner.ts';
import type { NodePlatformInfo } from './platforms.ts';
import type { MirrorRules } from './rules.ts';

/** Which objects count and how their owners and nodes are found. */
export interface ObjectFilters {
  /** `nsAllowed`: skip wins over include (§2.5). */
  namespaceAllowed: (namespace: string) => boolean;
  /** The six `skipNames` lists. */
  skip: SkipLists;
  /** Kinds to act on (`watchResources` as kinds); all when undefined. */
  kinds?: ReadonlySet<string> | undefined;
  /** ReplicaSet and Job lookups for owners' skip lists and `$podname`; without them owners stop at the first level. */
  owners?: OwnerLookups | undefined;
  /** Node platform by node name, used only with `checkNodePlatform`; undefined when unknown. */
  nodePlatform?: ((nodeName: string) => Promise<NodePlatformInfo | undefined>) | undefined;
}

/** Why an object contributes nothing. */
export type IgnoreReason = 'kind' | 'namespace' | 'skip-list' | 'owner-skipped' | 'inactive';

/** One container's image with its decision. */
export interface EvaluatedUse {
  use: ImageUse;
  user: UserRef;
  decision: PlanDecision;
}

/** What an object contributes. */
export type Evaluation = { kind: 'ignored'; ref: ObjectRef | undefined; reason: IgnoreReason } | { kind: 'uses'; ref: ObjectRef; uses: EvaluatedUse[] };

/** The `skipNames` lists as matchers. */
export function skipListsFrom(names: SkipNames): SkipLists {
  return {
    deployments: new NameMatcher(names.deployments),
    statefulSets: new NameMatcher(names.statefulSets),
    daemonSets: new NameMatcher(names.daemonSets),
    jobs: new NameMatcher(names.jobs),
    cronJobs: new NameMatcher(names.cronJobs),
    pods: new NameMatcher(names.pods),
  };
}

/** `nsAllowed` over an expanded include scope (`'*'` or names) and `skipNamespaces`. */
export function namespaceFilter(scope: NamespaceScope, skip: readonly string[]): (namespace: string) => boolean {
  const skipped = skip.map((s) => s.trim()).filter((s) => s !== '');
  return (namespace) => namespaceAllowed(namespace, scope, skipped);
}

/**
 * Evaluates one object (see the file comment). Owner and node lookups may throw (an API error): the caller
 * retries the object later, as controller-runtime requeued the reconcile.
 */
export async function evaluateObject(obj: KubeObject, rules: MirrorRules, filters: ObjectFilters): Promise<Evaluation> {
  const ref = refOf(obj);
  if (ref === undefined || (filters.kinds !== undefined && !filters.kinds.has(ref.kind))) return { kind: 'ignored', ref, reason: 'kind' };
  if (!filters.namespaceAllowed(ref.namespace)) return { kind: 'ignored', ref, reason: 'namespace' };
  if (skipListFor(ref.kind, filters.skip)?.matches(ref.namespace, ref.name)) return { kind: 'ignored', ref, reason: 'skip-list' };

  let owner = ref.name;
  let node: NodePlatformInfo | undefined;
  if (ref.kind === 'Pod') {
    const pod = obj as PodLike;
    if (await shouldSkipPod(pod, filters.skip, filters.owners ?? {})) return { kind: 'ignored', ref, reason: 'owner-skipped' };
    if (!isActivePod(pod)) return { kind: 'ignored', ref, reason: 'inactive' };
    owner = await podOwnerName(pod, filters.owners);
    const nodeName = pod.spec?.nodeName?.trim() ?? '';
    if (rules.checkNodePlatform && nodeName !== '' && filters.nodePlatform) node = await filters.nodePlatform(nodeName);
  }
  const uses = extractImages(obj, ref.kind).map((use): EvaluatedUse => {
    const user: UserRef = { kind: ref.kind, namespace: ref.namespace, name: ref.name, container: use.container };
    const decision = planImage(rules, use.image, ref.kind === 'Pod' ? use.imageID : undefined, { namespace: ref.namespace, owner, container: use.container, node });
    return { use, user, decision };
  });
  return { kind: 'uses', ref, uses };
}
