/**
 * Who owns a Pod: Pod → ReplicaSet → Deployment, Pod → Job → CronJob, or a direct StatefulSet,
 * DaemonSet or other owner (k8s-copycat behaviour §2.5). Used for skip lists and for naming the
 * workload behind a Pod.
 *
 * Owner references are matched by `kind` only, not API group, as k8s-copycat does.
 */
import type { ObjectLookup } from './lookup.ts';
import type { KubeObject, OwnerReference, PodLike } from './types.ts';

/** A reference to one workload object. */
export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
}

/** How the intermediate owners are found; a missing lookup stops the chain at that owner. */
export interface OwnerLookups {
  replicaSet?: ObjectLookup<KubeObject>;
  job?: ObjectLookup<KubeObject>;
}

/** The owner kind one level up from an intermediate kind. */
const PARENT: Readonly<Record<string, { parent: string; lookup: keyof OwnerLookups }>> = {
  ReplicaSet: { parent: 'Deployment', lookup: 'replicaSet' },
  Job: { parent: 'CronJob', lookup: 'job' },
};

function refOf(owner: OwnerReference, namespace: string): WorkloadRef | undefined {
  const kind = (owner.kind ?? '').trim();
  const name = (owner.name ?? '').trim();
  return kind === '' || name === '' ? undefined : { kind, namespace, name };
}

/**
 * Every owner chain of a Pod, one per owner reference, each from the direct owner up: e.g.
 * `[ReplicaSet web-7d9c5, Deployment web]` or `[Job nightly-123, CronJob nightly]`. A ReplicaSet
 * or Job that no longer exists ends its chain (k8s-copycat: NotFound means "don't skip"); other
 * lookup errors propagate. A Pod without owners has no chains.
 */
export async function ownerChains(pod: PodLike, lookups: OwnerLookups): Promise<WorkloadRef[][]> {
  const namespace = pod.metadata?.namespace ?? '';
  const chains: WorkloadRef[][] = [];
  for (const owner of pod.metadata?.ownerReferences ?? []) {
    const ref = refOf(owner, namespace);
    if (ref === undefined) continue;
    const step = PARENT[ref.kind];
    const lookup = step === undefined ? undefined : lookups[step.lookup];
    const middle = lookup === undefined ? undefined : await lookup(ref.name, namespace);
    const parents = (middle?.metadata?.ownerReferences ?? [])
      .filter((o) => o.kind === step?.parent)
      .map((o) => refOf(o, namespace))
      .filter((r): r is WorkloadRef => r !== undefined);
    if (parents.length === 0) chains.push([ref]);
    else for (const parent of parents) chains.push([ref, parent]);
  }
  return chains;
}

/**
 * The top-level workload behind a Pod: the top of the chain of its controller owner (the owner
 * reference with `controller: true`, else the first one), or the Pod itself when it has no owner.
 */
export async function topOwner(pod: PodLike, lookups: OwnerLookups): Promise<WorkloadRef> {
  const owners = pod.metadata?.ownerReferences ?? [];
  const controller = owners.find((o) => o.controller === true) ?? owners[0];
  const self: WorkloadRef = { kind: pod.kind ?? 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' };
  if (controller === undefined) return self;
  const chains = await ownerChains({ ...pod, metadata: { ...pod.metadata, ownerReferences: [controller] } }, lookups);
  const chain = chains[0];
  return chain?.[chain.length - 1] ?? self;
}
