/**
 * Skip lists and the namespace allow check (k8s-copycat behaviour §2.5): which objects copycat
 * ignores, by kind, namespace and name, including Pods whose owning workload is skipped.
 */
import type { OwnerLookups, WorkloadRef } from './owners.ts';
import { ownerChains } from './owners.ts';
import type { PodLike } from './types.ts';
import type { NamespaceScope } from './watch.ts';

/**
 * One `skipNames.<kind>` list. Entries are trimmed and blanks ignored: `*` matches everything,
 * `ns/name` only that name in that namespace (split at the first `/`; an empty side makes the
 * entry void), `name` that name in any namespace. Matching is exact: no other globs.
 */
export class NameMatcher {
  readonly #all: boolean;
  readonly #anywhere = new Set<string>();
  readonly #scoped = new Set<string>();

  constructor(entries: readonly string[] = []) {
    let all = false;
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === '') continue;
      if (entry === '*') {
        all = true;
        continue;
      }
      const slash = entry.indexOf('/');
      if (slash === -1) this.#anywhere.add(entry);
      else if (slash > 0 && slash < entry.length - 1) this.#scoped.add(entry);
    }
    this.#all = all;
  }

  /** True when no entry can match anything. */
  get empty(): boolean {
    return !this.#all && this.#anywhere.size === 0 && this.#scoped.size === 0;
  }

  /** True when the object `namespace/name` is on the list. */
  matches(namespace: string, name: string): boolean {
    return this.#all || this.#anywhere.has(name) || this.#scoped.has(`${namespace}/${name}`);
  }
}

/** The six `skipNames` lists; a missing one skips nothing. */
export interface SkipLists {
  deployments?: NameMatcher;
  statefulSets?: NameMatcher;
  daemonSets?: NameMatcher;
  jobs?: NameMatcher;
  cronJobs?: NameMatcher;
  pods?: NameMatcher;
}

/** The skip list that applies to a kind (undefined for kinds without one, such as ReplicaSet). */
export function skipListFor(kind: string, lists: SkipLists): NameMatcher | undefined {
  switch (kind) {
    case 'Deployment':
      return lists.deployments;
    case 'StatefulSet':
      return lists.statefulSets;
    case 'DaemonSet':
      return lists.daemonSets;
    case 'Job':
      return lists.jobs;
    case 'CronJob':
      return lists.cronJobs;
    case 'Pod':
      return lists.pods;
    default:
      return undefined;
  }
}

/** True when the workload `kind namespace/name` is on its kind's skip list. */
export function isSkipped(ref: WorkloadRef, lists: SkipLists): boolean {
  return skipListFor(ref.kind, lists)?.matches(ref.namespace, ref.name) ?? false;
}

/**
 * `nsAllowed`: false for a namespace in `skip` (skip beats include), else true when it is in the
 * scope (`'*'` allows all). Unlike k8s-copycat an empty scope allows nothing; see namespaces.ts.
 */
export function namespaceAllowed(namespace: string, scope: NamespaceScope, skip: Iterable<string> = []): boolean {
  for (const s of skip) if (s.trim() === namespace) return false;
  return scope === '*' || scope.includes(namespace);
}

/**
 * `shouldSkipPod`: true when the Pod is on the pods list, or any owner in any of its owner chains
 * is on its kind's list (ReplicaSet → Deployment, Job → CronJob, direct StatefulSet, DaemonSet,
 * Deployment, Job). Owners are only looked up when a Deployment or CronJob list could match.
 */
export async function shouldSkipPod(pod: PodLike, lists: SkipLists, lookups: OwnerLookups): Promise<boolean> {
  const namespace = pod.metadata?.namespace ?? '';
  if (lists.pods?.matches(namespace, pod.metadata?.name ?? '')) return true;
  const needed: OwnerLookups = {};
  if (lookups.replicaSet && lists.deployments && !lists.deployments.empty) needed.replicaSet = lookups.replicaSet;
  if (lookups.job && lists.cronJobs && !lists.cronJobs.empty) needed.job = lookups.job;
  const chains = await ownerChains(pod, needed);
  return chains.some((chain) => chain.some((ref) => isSkipped(ref, lists)));
}
