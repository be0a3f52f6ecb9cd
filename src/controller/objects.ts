/**
 * The Kubernetes objects the controller reads: which kinds count, their identity, the slim copy it keeps,
 * which pods are active, and the workload name `$podname` takes for a Pod.
 */
import { topOwner, type KubeObject, type OwnerLookups, type PodLike, type PodSpecLike, type WorkloadLike } from '../kube/index.ts';

/** The kinds k8s-copycat has controllers for (behaviour inventory §2.2). */
export const OBSERVED_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;

/** One of {@link OBSERVED_KINDS}. */
export type ObservedKind = (typeof OBSERVED_KINDS)[number];

/** `kind`, `namespace`, `name` of an object. */
export interface ObjectRef {
  kind: ObservedKind;
  namespace: string;
  name: string;
}

/** The watch resource name (`watchResources`) of each kind. */
export const RESOURCE_OF_KIND: Readonly<Record<ObservedKind, string>> = {
  Pod: 'pods',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
};

const KINDS: ReadonlySet<string> = new Set(OBSERVED_KINDS);

/** The object's kind when it is one copycat mirrors (a kindless object with containers counts as a Pod). */
export function kindOf(obj: KubeObject): ObservedKind | undefined {
  const kind = obj.kind;
  if (kind !== undefined) return KINDS.has(kind) ? (kind as ObservedKind) : undefined;
  const spec = (obj as PodLike).spec;
  return spec?.containers !== undefined ? 'Pod' : undefined;
}

/** The object's reference, or undefined when it is not a mirrored kind or has no name. */
export function refOf(obj: KubeObject): ObjectRef | undefined {
  const kind = kindOf(obj);
  const name = obj.metadata?.name?.trim() ?? '';
  if (kind === undefined || name === '') return undefined;
  return { kind, namespace: obj.metadata?.namespace?.trim() ?? '', name };
}

/** `Kind/namespace/name`: the demand index key of an object. */
export function keyOf(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** k8s-copycat processes pods in phase Pending or Running (§2.2); a manifest without a status counts as pending. */
export function isActivePod(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === undefined || phase === '' || phase === 'Pending' || phase === 'Running';
}

function slimSpec(spec: PodSpecLike | undefined): PodSpecLike | undefined {
  if (spec === undefined) return undefined;
  const containers = (list: PodSpecLike['containers']) => list?.map((c) => ({ name: c.name, image: c.image }));
  return {
    ...(spec.initContainers ? { initContainers: containers(spec.initContainers) } : {}),
    ...(spec.containers ? { containers: containers(spec.containers) } : {}),
    ...(spec.ephemeralContainers ? { ephemeralContainers: containers(spec.ephemeralContainers) } : {}),
    ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
    // Names only (Secrets are read by name when `usePodPullSecrets` is on, see job-sources.ts).
    ...(spec.imagePullSecrets ? { imagePullSecrets: spec.imagePullSecrets.map((r) => ({ name: r.name })) } : {}),
    ...(spec.serviceAccountName || spec.serviceAccount ? { serviceAccountName: spec.serviceAccountName || spec.serviceAccount } : {}),
  };
}

/**
 * The fields the controller needs from an object, nothing more: names, owners, the `pod-template-hash`
 * label, containers and images, the node, the pull secret and service account names, the phase and the
 * container `imageID`s. Kept per object so a forced
 * reconcile can re-plan without the API server, at a fraction of the memory of the full object.
 */
export function slimObject(obj: KubeObject): KubeObject {
  const m = obj.metadata ?? {};
  const hash = m.labels?.['pod-template-hash'];
  const metadata = {
    name: m.name,
    namespace: m.namespace,
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.generation !== undefined ? { generation: m.generation } : {}),
    ...(hash !== undefined ? { labels: { 'pod-template-hash': hash } } : {}),
    ...(m.ownerReferences ? { ownerReferences: m.ownerReferences.map((o) => ({ kind: o.kind, name: o.name, ...(o.controller ? { controller: true } : {}) })) } : {}),
  };
  const pod = obj as PodLike;
  if (kindOf(obj) === 'Pod') {
    const statuses = (list: NonNullable<PodLike['status']>['containerStatuses']) => list?.map((s) => ({ name: s.name, imageID: s.imageID }));
    const status = pod.status;
    return {
      kind: 'Pod',
      metadata,
      ...(pod.spec ? { spec: slimSpec(pod.spec) } : {}),
      ...(status
        ? {
            status: {
              ...(status.phase ? { phase: status.phase } : {}),
              ...(status.initContainerStatuses ? { initContainerStatuses: statuses(status.initContainerStatuses) } : {}),
              ...(status.containerStatuses ? { containerStatuses: statuses(status.containerStatuses) } : {}),
              ...(status.ephemeralContainerStatuses ? { ephemeralContainerStatuses: statuses(status.ephemeralContainerStatuses) } : {}),
            },
          }
        : {}),
    } as KubeObject;
  }
  const w = obj as WorkloadLike;
  const spec = w.spec?.jobTemplate
    ? { jobTemplate: { spec: { template: { spec: slimSpec(w.spec.jobTemplate.spec?.template?.spec) } } } }
    : { template: { spec: slimSpec(w.spec?.template?.spec) } };
  return { kind: obj.kind, metadata, spec } as KubeObject;
}

/**
 * The name `$podname` takes for a Pod: the workload that owns it (a Deployment through its ReplicaSet, a
 * CronJob through its Job, a StatefulSet, a DaemonSet, a Job), else the pod's own name. k8s-copycat used the
 * pod's name, so `$podname` gave one repository per pod instance (`web-7d9c5-abcde`, behaviour inventory §7.2
 * "Per-pod repos") and every pod of a Deployment its own copy; naming by the owner makes the Pod path and the
 * workload path agree (docs/differences.md).
 *
 * Without a ReplicaSet lookup, the Deployment name is the ReplicaSet name minus `-<pod-template-hash>`, which
 * is how the Deployment controller names ReplicaSets.
 */
export async function podOwnerName(pod: PodLike, lookups: OwnerLookups = {}): Promise<string> {
  const self = pod.metadata?.name ?? '';
  const top = await topOwner({ ...pod, kind: 'Pod' }, lookups);
  if (top.kind === 'Pod') return self;
  if (top.kind === 'ReplicaSet') {
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    if (hash !== undefined && hash !== '' && top.name.endsWith(`-${hash}`)) return top.name.slice(0, -(hash.length + 1));
  }
  return top.name;
}
