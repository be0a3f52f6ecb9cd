/**
 * The in-memory cache behind a {@link ResourceWatch}: objects keyed by namespace and name, with the
 * diff a relist needs (added, updated, deleted) so handlers see every change exactly once.
 */
import type { KubeObject } from './types.ts';

/** What a relist changed in one scope. */
export interface StoreDiff<T> {
  added: T[];
  updated: Array<{ obj: T; old: T }>;
  deleted: T[];
}

/** Resource version of an object (empty when absent). */
export function resourceVersionOf(obj: KubeObject): string {
  return obj.metadata?.resourceVersion ?? '';
}

/** Objects by namespace (`''` for cluster-scoped) then name. */
export class ObjectStore<T extends KubeObject> {
  readonly #byNamespace = new Map<string, Map<string, T>>();
  #size = 0;

  /** Number of cached objects. */
  get size(): number {
    return this.#size;
  }

  /** The cached object, or undefined. Do not mutate it: it is the cache's own copy. */
  get(name: string, namespace?: string): T | undefined {
    return this.#byNamespace.get(namespace ?? '')?.get(name);
  }

  /** Cached objects of one namespace, or of all when `namespace` is undefined. */
  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.#byNamespace.get(namespace)?.values() ?? [])];
    const out: T[] = [];
    for (const objects of this.#byNamespace.values()) out.push(...objects.values());
    return out;
  }

  /** Adds or replaces an object; returns the previous one. */
  upsert(obj: T): T | undefined {
    const ns = obj.metadata?.namespace ?? '';
    const name = obj.metadata?.name ?? '';
    let objects = this.#byNamespace.get(ns);
    if (objects === undefined) {
      objects = new Map();
      this.#byNamespace.set(ns, objects);
    }
    const previous = objects.get(name);
    objects.set(name, obj);
    if (previous === undefined) this.#size++;
    return previous;
  }

  /** Removes an object; returns what was cached. */
  remove(obj: KubeObject): T | undefined {
    const ns = obj.metadata?.namespace ?? '';
    const objects = this.#byNamespace.get(ns);
    const name = obj.metadata?.name ?? '';
    const previous = objects?.get(name);
    if (objects === undefined || previous === undefined) return undefined;
    objects.delete(name);
    this.#size--;
    if (objects.size === 0) this.#byNamespace.delete(ns);
    return previous;
  }

  /**
   * Replaces everything in one namespace (all when `namespace` is undefined) with a fresh list.
   * An object whose resource version did not change is neither updated nor reported.
   */
  replace(namespace: string | undefined, items: readonly T[]): StoreDiff<T> {
    const diff: StoreDiff<T> = { added: [], updated: [], deleted: [] };
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`);
      const old = this.get(obj.metadata?.name ?? '', obj.metadata?.namespace ?? '');
      if (old !== undefined && resourceVersionOf(old) === resourceVersionOf(obj) && resourceVersionOf(obj) !== '') continue;
      this.upsert(obj);
      if (old === undefined) diff.added.push(obj);
      else diff.updated.push({ obj, old });
    }
    const scope = namespace === undefined ? this.list() : this.list(namespace);
    for (const obj of scope) {
      if (seen.has(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`)) continue;
      this.remove(obj);
      diff.deleted.push(obj);
    }
    return diff;
  }
}
