/**
 * Everything the controller watches, wired the way k8s-copycat's manager does (behaviour §2.1,
 * §2.2, §2.5, §2.7): one {@link ResourceWatch} per configured kind over the namespace scope, owner
 * lookups for Pods (ReplicaSets and Jobs, watched lazily on first use), and node platforms from a
 * lazily started cluster-wide Node watch when `checkNodePlatform` is on.
 */
import type { KubeClient } from './client.ts';
import { lazyWatchLookup, watchLookup, type ObjectLookup } from './lookup.ts';
import { NodePlatforms } from './nodes.ts';
import type { OwnerLookups } from './owners.ts';
import { RESOURCES, WATCH_RESOURCES, type ResourceType, type WatchResourceName } from './resources.ts';
import type { KubeObject, NodeLike } from './types.ts';
import { defaultTransform, ResourceWatch, type NamespaceScope, type ResourceWatchOptions } from './watch.ts';

/** One change seen by a watch; `old` is set for updates. */
export interface ClusterEvent {
  resource: WatchResourceName;
  type: 'add' | 'update' | 'delete';
  object: KubeObject;
  old?: KubeObject;
}

/** Tuning shared by every watch (see {@link ResourceWatchOptions}). */
export type WatchTuning = Pick<ResourceWatchOptions<KubeObject>, 'watchdogMs' | 'timeoutSeconds' | 'backoff' | 'pageSize' | 'healthyWithinMs' | 'onStatus' | 'random'>;

/** Options of {@link ClusterWatches}. */
export interface ClusterWatchesOptions extends WatchTuning {
  client: KubeClient;
  /** The kinds to watch (`watchResources`; default all six). */
  resources?: readonly WatchResourceName[];
  /** Namespace scope of every namespaced watch. */
  namespaces: NamespaceScope;
  /** `checkNodePlatform`: look up the node of each Pod (needs get/list/watch on nodes). */
  checkNodePlatform: boolean;
  /**
   * Called synchronously for every change; must only enqueue (see watch.ts). Filtering such as
   * "workloads only when `metadata.generation` changed" is the controller's business.
   */
  onEvent: (event: ClusterEvent) => void;
  /**
   * Shrinks each object of the configured kinds before it is cached and handed to `onEvent` (the
   * controller keeps only names, owners, containers, images and statuses: at 5,000 pods the full objects
   * cost ~40 MB of heap). It must keep `metadata.name`, `namespace`, `resourceVersion` and
   * `ownerReferences` (watch progress and owner lookups read them). Owner and node watches are not shrunk.
   */
  transform?: (obj: KubeObject) => KubeObject;
}

/** The set of watches behind the controller. */
export class ClusterWatches {
  /** The watch of each configured kind. */
  readonly watches: ReadonlyMap<WatchResourceName, ResourceWatch<KubeObject>>;
  /** Owner lookups for Pods (ReplicaSet → Deployment, Job → CronJob). */
  readonly owners: OwnerLookups;
  /** Node platform lookups; disabled unless `checkNodePlatform`. */
  readonly nodes: NodePlatforms;
  /** Resolves when every configured watch finished its first list (lazy owner and node watches not included). */
  readonly synced: Promise<void>;
  readonly #lazy: Array<{ watch(): ResourceWatch<KubeObject> | undefined }> = [];

  constructor(options: ClusterWatchesOptions) {
    const { client, namespaces } = options;
    const tuning: WatchTuning = {
      watchdogMs: options.watchdogMs,
      timeoutSeconds: options.timeoutSeconds,
      backoff: options.backoff,
      pageSize: options.pageSize,
      healthyWithinMs: options.healthyWithinMs,
      onStatus: options.onStatus,
      random: options.random,
    };
    const make = (resource: ResourceType, scope: NamespaceScope, extra: Partial<ResourceWatchOptions<KubeObject>> = {}): ResourceWatch<KubeObject> =>
      new ResourceWatch<KubeObject>({ ...stripUndefined(tuning), ...extra, client, resource, namespaces: scope });
    const watches = new Map<WatchResourceName, ResourceWatch<KubeObject>>();
    for (const name of options.resources && options.resources.length > 0 ? options.resources : WATCH_RESOURCES) {
      watches.set(
        name,
        make(RESOURCES[name], namespaces, {
          ...(options.transform ? { transform: shrinkWith(options.transform, RESOURCES[name]) } : {}),
          onAdd: (object) => options.onEvent({ resource: name, type: 'add', object }),
          onUpdate: (object, old) => options.onEvent({ resource: name, type: 'update', object, old }),
          onDelete: (object) => options.onEvent({ resource: name, type: 'delete', object }),
        }),
      );
    }
    this.watches = watches;
    this.synced = Promise.all([...watches.values()].map((w) => w.synced)).then(() => undefined);
    this.synced.catch(() => undefined);

    const replicaSets = lazyWatchLookup(() => make(RESOURCES.replicasets, namespaces));
    this.#lazy.push(replicaSets);
    const jobsWatch = watches.get('jobs');
    let jobs: ObjectLookup<KubeObject>;
    if (jobsWatch !== undefined) jobs = watchLookup(jobsWatch);
    else {
      const lazyJobs = lazyWatchLookup(() => make(RESOURCES.jobs, namespaces));
      this.#lazy.push(lazyJobs);
      jobs = lazyJobs;
    }
    this.owners = { replicaSet: replicaSets, job: jobs };

    const nodes = lazyWatchLookup<NodeLike>(() => make(RESOURCES.nodes, '*'));
    this.#lazy.push(nodes);
    this.nodes = new NodePlatforms({ lookup: nodes, enabled: options.checkNodePlatform });
  }

  /** Starts every configured watch; returns this. */
  start(): this {
    for (const w of this.watches.values()) w.start();
    return this;
  }

  /** Every started watch (configured and lazily created) is healthy; for `/readyz`. */
  healthy(now: number = Date.now()): boolean {
    return this.#all().every((w) => w.healthy(now));
  }

  /** Cached objects of one configured kind (all namespaces in scope), e.g. for a forced full reconcile. */
  list(resource: WatchResourceName): KubeObject[] {
    return this.watches.get(resource)?.list() ?? [];
  }

  /** Stops every watch, including the lazily created ones. */
  async stop(): Promise<void> {
    await Promise.all(this.#all().map((w) => w.stop()));
  }

  #all(): ResourceWatch<KubeObject>[] {
    const lazy = this.#lazy.map((l) => l.watch()).filter((w): w is ResourceWatch<KubeObject> => w !== undefined);
    return [...this.watches.values(), ...lazy];
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The watch's own normalisation first (kind, apiVersion, no managedFields), then the caller's shrinking. */
function shrinkWith(transform: (obj: KubeObject) => KubeObject, resource: ResourceType): (obj: KubeObject) => KubeObject {
  return (obj) => {
    const normal = defaultTransform(obj, resource);
    const small = transform(normal);
    const rv = normal.metadata?.resourceVersion;
    // Watch progress depends on it; keep it whatever the transform did.
    return rv === undefined || small.metadata === undefined ? small : { ...small, metadata: { ...small.metadata, resourceVersion: rv } };
  };
}
