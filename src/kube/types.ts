/**
 * The few fields of Kubernetes objects copycat reads, as plain JSON shapes.
 *
 * Why not client-node's generated `V1Pod` & co.: those model classes carry `Date` objects for
 * timestamps, while watch events arrive as raw JSON; mixing the two in one cache gives objects of two
 * shapes. We read raw JSON everywhere and type only what we use. Every field is optional because the
 * API server omits empty ones.
 */

/** An owner reference (`metadata.ownerReferences[]`). */
export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  /** True for the managing controller (at most one per object). */
  controller?: boolean;
}

/** The metadata fields copycat uses. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Server-side apply bookkeeping; dropped by the watch cache to save memory (see watch.ts). */
  managedFields?: unknown[];
}

/** Any Kubernetes object. List items come without `apiVersion`/`kind`; the watch cache fills them in. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** A container (init, regular or ephemeral) of a pod spec. */
export interface ContainerLike {
  name?: string;
  image?: string;
}

/** A reference to a Secret in the same namespace (`imagePullSecrets[]`). */
export interface LocalObjectReference {
  name?: string;
}

/** The parts of a pod spec that name images, the node, and the credentials the kubelet pulls with. */
export interface PodSpecLike {
  initContainers?: ContainerLike[];
  containers?: ContainerLike[];
  ephemeralContainers?: ContainerLike[];
  nodeName?: string;
  /** Pull secrets of the pod, in its own namespace. */
  imagePullSecrets?: LocalObjectReference[];
  /** The pod's service account (`default` when unset), whose `imagePullSecrets` apply too. */
  serviceAccountName?: string;
  /** Deprecated alias of `serviceAccountName`, still accepted by the API server. */
  serviceAccount?: string;
}

/** A container status: what the kubelet actually runs (`imageID` carries the digest). */
export interface ContainerStatusLike {
  name?: string;
  image?: string;
  imageID?: string;
}

/** The parts of a pod status copycat reads. */
export interface PodStatusLike {
  phase?: string;
  initContainerStatuses?: ContainerStatusLike[];
  containerStatuses?: ContainerStatusLike[];
  ephemeralContainerStatuses?: ContainerStatusLike[];
}

/** A Pod. */
export interface PodLike extends KubeObject {
  spec?: PodSpecLike;
  status?: PodStatusLike;
}

/** A pod template (`spec.template` of a workload). */
export interface PodTemplateLike {
  metadata?: ObjectMeta;
  spec?: PodSpecLike;
}

/** A workload: Deployment, StatefulSet, DaemonSet, ReplicaSet and Job (`spec.template`) or CronJob (`spec.jobTemplate`). */
export interface WorkloadLike extends KubeObject {
  spec?: {
    template?: PodTemplateLike;
    jobTemplate?: { metadata?: ObjectMeta; spec?: { template?: PodTemplateLike } };
  };
}

/** A Node: its platform sits in `status.nodeInfo` and in the well-known labels. */
export interface NodeLike extends KubeObject {
  status?: { nodeInfo?: { operatingSystem?: string; architecture?: string } };
}

/** A core/v1 Secret: `data` values are base64 (a pull secret's `.dockerconfigjson` or `.dockercfg`). */
export interface SecretLike extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

/** A core/v1 ServiceAccount: its `imagePullSecrets` apply to every pod running as it. */
export interface ServiceAccountLike extends KubeObject {
  imagePullSecrets?: LocalObjectReference[];
}

/** `coordination.k8s.io/v1` Lease spec; times are RFC 3339 MicroTime strings. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** A `coordination.k8s.io/v1` Lease. */
export interface LeaseLike extends KubeObject {
  spec?: LeaseSpec;
}

/** A list response (`…List`); `continue` is set when more pages follow. */
export interface ListLike<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

/** A `Status` object: the body of API errors and of watch `ERROR` events. */
export interface StatusLike {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}
