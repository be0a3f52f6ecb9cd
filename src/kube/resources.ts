/**
 * The Kubernetes resources copycat reads or writes, their REST paths, and the `watchResources`
 * setting (k8s-copycat behaviour §1.3, §2.2).
 */

/** One REST resource: enough to build its collection and object paths. */
export interface ResourceType {
  /** Kind of the objects, e.g. `Deployment`. */
  readonly kind: string;
  /** API group; `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** Lowercase plural used in paths, e.g. `deployments`. */
  readonly plural: string;
  /** False for cluster-scoped resources (nodes, namespaces). */
  readonly namespaced: boolean;
}

const resource = (kind: string, group: string, version: string, plural: string, namespaced = true): ResourceType =>
  Object.freeze({ kind, group, version, plural, namespaced });

/** Every resource the kube module uses. */
export const RESOURCES = Object.freeze({
  pods: resource('Pod', '', 'v1', 'pods'),
  nodes: resource('Node', '', 'v1', 'nodes', false),
  namespaces: resource('Namespace', '', 'v1', 'namespaces', false),
  // Read only with `usePodPullSecrets` (pull-secrets.ts): one GET per named object, never listed or watched.
  secrets: resource('Secret', '', 'v1', 'secrets'),
  serviceaccounts: resource('ServiceAccount', '', 'v1', 'serviceaccounts'),
  deployments: resource('Deployment', 'apps', 'v1', 'deployments'),
  statefulsets: resource('StatefulSet', 'apps', 'v1', 'statefulsets'),
  daemonsets: resource('DaemonSet', 'apps', 'v1', 'daemonsets'),
  replicasets: resource('ReplicaSet', 'apps', 'v1', 'replicasets'),
  jobs: resource('Job', 'batch', 'v1', 'jobs'),
  cronjobs: resource('CronJob', 'batch', 'v1', 'cronjobs'),
  leases: resource('Lease', 'coordination.k8s.io', 'v1', 'leases'),
});

/** The six kinds `watchResources` may name, as their lowercase plurals (k8s-copycat §1.3). */
export type WatchResourceName = 'deployments' | 'statefulsets' | 'daemonsets' | 'jobs' | 'cronjobs' | 'pods';

/** All six watchable resources in k8s-copycat's order; the default when `watchResources` is empty. */
export const WATCH_RESOURCES: readonly WatchResourceName[] = Object.freeze(['deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'pods']);

/** `apiVersion` of a resource: `v1` for core, `group/version` otherwise. */
export function apiVersionOf(r: ResourceType): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

function prefix(r: ResourceType): string {
  return r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
}

/**
 * Collection path of a resource: all namespaces when `namespace` is undefined (or the resource is
 * cluster-scoped), else one namespace.
 */
export function collectionPath(r: ResourceType, namespace?: string): string {
  if (!r.namespaced || namespace === undefined) return `${prefix(r)}/${r.plural}`;
  return `${prefix(r)}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`;
}

/** Path of one object; `namespace` is ignored for cluster-scoped resources. */
export function objectPath(r: ResourceType, name: string, namespace?: string): string {
  const ns = r.namespaced ? (namespace ?? 'default') : undefined;
  return `${collectionPath(r, ns)}/${encodeURIComponent(name)}`;
}

/** The resource of a kind (`Deployment` → deployments), if copycat knows it. */
export function resourceForKind(kind: string): ResourceType | undefined {
  return Object.values(RESOURCES).find((r) => r.kind === kind);
}
