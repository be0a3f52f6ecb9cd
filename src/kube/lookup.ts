/**
 * Point lookups of single objects (owners, nodes), from a watch cache or straight from the API,
 * with an optional TTL cache in front. "Not found" is `undefined`; any other failure throws.
 */
import type { KubeClient } from './client.ts';
import { KubeError } from './errors.ts';
import { objectPath, type ResourceType } from './resources.ts';
import type { KubeObject } from './types.ts';
import type { ResourceWatch } from './watch.ts';

/** Finds one object by name (and namespace for namespaced resources); undefined when it does not exist. */
export type ObjectLookup<T> = (name: string, namespace?: string) => Promise<T | undefined>;

/** A lookup that GETs the object from the API server each time (404 → undefined). */
export function apiLookup<T>(client: KubeClient, resource: ResourceType): ObjectLookup<T> {
  return async (name, namespace) => {
    try {
      return await client.get<T>(objectPath(resource, name, namespace));
    } catch (err) {
      if (err instanceof KubeError && err.code === 'KUBE_NOT_FOUND') return undefined;
      throw err;
    }
  };
}

/**
 * A lookup served from a watch's cache, after its first list. Objects outside the watch's
 * namespace scope are reported as not found.
 */
export function watchLookup<T extends KubeObject>(watch: ResourceWatch<T>): ObjectLookup<T> {
  return async (name, namespace) => {
    await watch.synced;
    return watch.get(name, namespace);
  };
}

/**
 * A lookup whose watch is created and started on first use, as controller-runtime starts the
 * informers of owner kinds lazily (k8s-copycat §2.5): no ReplicaSet or Job watch unless a Pod
 * with such an owner shows up. `watch()` returns it once created, so the caller can stop it.
 */
export function lazyWatchLookup<T extends KubeObject>(create: () => ResourceWatch<T>): ObjectLookup<T> & { watch(): ResourceWatch<T> | undefined } {
  let watch: ResourceWatch<T> | undefined;
  const lookup = async (name: string, namespace?: string): Promise<T | undefined> => {
    watch ??= create().start();
    await watch.synced;
    return watch.get(name, namespace);
  };
  return Object.assign(lookup, { watch: () => watch });
}

/** A TTL cache in front of a lookup; negative answers are cached too. */
export function cachedLookup<T>(lookup: ObjectLookup<T>, options: { ttlMs: number; now?: () => number }): ObjectLookup<T> & { invalidate(name?: string, namespace?: string): void } {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: T | undefined; at: number }>();
  const key = (name: string, namespace?: string): string => `${namespace ?? ''}/${name}`;
  const cached = async (name: string, namespace?: string): Promise<T | undefined> => {
    const hit = cache.get(key(name, namespace));
    if (hit !== undefined && now() - hit.at < options.ttlMs) return hit.value;
    const value = await lookup(name, namespace);
    cache.set(key(name, namespace), { value, at: now() });
    return value;
  };
  const invalidate = (name?: string, namespace?: string): void => {
    if (name === undefined) cache.clear();
    else cache.delete(key(name, namespace));
  };
  return Object.assign(cached, { invalidate });
}
