/**
 * `ResourceWatch`: a cached, self-healing list+watch of one resource over a namespace scope.
 *
 * Handlers (`onAdd`, `onUpdate`, `onDelete`) are called synchronously with each change and must
 * only enqueue work (ARCHITECTURE §4 "Kube callbacks only enqueue"): a returned promise is ignored,
 * and a throw is caught and reported as `handler-error`, never breaking the stream. Every change is
 * delivered once: a relist after 410 reports only what really changed while the watch was away.
 */
import type { BackoffOptions } from '../internal/backoff.ts';
import type { KubeClient } from './client.ts';
import { KubeError } from './errors.ts';
import { Reflector, type WatchStatusEvent } from './reflector.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { ObjectStore, resourceVersionOf } from './store.ts';
import type { KubeObject } from './types.ts';

/** Which namespaces to watch: `'*'` for all (one cluster-wide watch), else one watch per listed namespace; `[]` watches nothing. */
export type NamespaceScope = '*' | readonly string[];

/** Change handlers; synchronous, and they must only enqueue (see the file comment). */
export interface WatchHandlers<T> {
  onAdd?: (obj: T) => void;
  onUpdate?: (obj: T, old: T) => void;
  onDelete?: (obj: T) => void;
}

/** Options of {@link ResourceWatch}. */
export interface ResourceWatchOptions<T extends KubeObject> extends WatchHandlers<T> {
  client: KubeClient;
  resource: ResourceType;
  /** Default `'*'`. Ignored for cluster-scoped resources. */
  namespaces?: NamespaceScope;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Restart a watch that delivered no event and no bookmark for this long (default 60 000 ms).
   * client-node 2.x also aborts a stream after 30 s without data and we re-watch quietly then;
   * this watchdog does not depend on that private timer, and catches a request that never answers.
   */
  watchdogMs?: number;
  /** Server-side `timeoutSeconds` per watch (default: random 300–600 s, as client-go spreads them). */
  timeoutSeconds?: number;
  /** Backoff after errors (default 1 s doubling to 30 s, ±50 % jitter). */
  backoff?: BackoffOptions;
  /** List page size (`limit`, default 500). */
  pageSize?: number;
  /** `healthy()` is false when no scope got a good answer for this long (default 2 × watchdogMs). */
  healthyWithinMs?: number;
  /**
   * Shapes each object before caching. The default drops `metadata.managedFields` (the bulk of a
   * Pod's JSON) and fills the `apiVersion`/`kind` that list items lack.
   */
  transform?: (obj: T) => T;
  /** Observer for logs and metrics: lists, re-watches, 410s, stalls, errors (with the retry delay). */
  onStatus?: (event: WatchStatusEvent) => void;
  /** Random source for jitter (tests). */
  random?: () => number;
}

/** A cached list+watch of one resource; see the file comment. */
export class ResourceWatch<T extends KubeObject = KubeObject> {
  /** The watched resource. */
  readonly resource: ResourceType;
  /** Resolves once every scope completed its first list; rejects (`KUBE_WATCH_STOPPED`) if stopped before. */
  readonly synced: Promise<void>;
  readonly #o: ResourceWatchOptions<T>;
  readonly #store = new ObjectStore<T>();
  readonly #abort = new AbortController();
  readonly #reflectors: Reflector<T>[];
  readonly #healthyWithinMs: number;
  #runs: Promise<void>[] = [];
  #started = false;
  #synced = false;
  #rejectSynced: (err: unknown) => void = () => undefined;

  constructor(options: ResourceWatchOptions<T>) {
    this.#o = options;
    this.resource = options.resource;
    const watchdogMs = options.watchdogMs ?? 60_000;
    this.#healthyWithinMs = options.healthyWithinMs ?? 2 * watchdogMs;
    const random = options.random ?? Math.random;
    const transform = options.transform ?? ((obj: T) => defaultTransform(obj, options.resource));
    const scopes = scopesOf(options.resource, options.namespaces ?? '*');
    this.#reflectors = scopes.map(
      (namespace) =>
        new Reflector<T>({
          client: options.client,
          resource: options.resource,
          namespace,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          watchdogMs,
          timeoutSeconds: () => options.timeoutSeconds ?? Math.floor(300 + random() * 300),
          backoff: options.backoff ?? { initialMs: 1_000, maxMs: 30_000, jitter: 0.5 },
          pageSize: options.pageSize ?? 500,
          random,
          transform: (raw) => (isObject(raw) ? transform(raw as T) : undefined),
          sink: { replace: (ns, items) => this.#replace(ns, items), event: (type, obj) => this.#event(type, obj) },
          report: (event) => this.#report(event),
          signal: this.#abort.signal,
        }),
    );
    this.synced = new Promise<void>((resolve, reject) => {
      this.#rejectSynced = reject;
      Promise.all(this.#reflectors.map((r) => r.synced)).then(() => {
        this.#synced = true;
        resolve();
      }, reject);
    });
    // Nobody may await `synced`; a stop before sync must not become an unhandled rejection.
    this.synced.catch(() => undefined);
  }

  /** Starts listing and watching (idempotent); returns this for chaining. */
  start(): this {
    if (this.#started || this.#abort.signal.aborted) return this;
    this.#started = true;
    this.#runs = this.#reflectors.map((r) => r.run());
    return this;
  }

  /** True once every scope completed its first list. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /**
   * True when started, synced, not stopped, and every scope got a good answer from the API server
   * (list, watch connected, event or bookmark) within `healthyWithinMs`. For `/readyz`.
   */
  healthy(now: number = Date.now()): boolean {
    if (!this.#started || this.#abort.signal.aborted || !this.#synced) return false;
    return this.#reflectors.every((r) => now - r.lastOkAt <= this.#healthyWithinMs);
  }

  /** A cached object (do not mutate it). Cluster-scoped objects need no namespace. */
  get(name: string, namespace?: string): T | undefined {
    return this.#store.get(name, this.resource.namespaced ? namespace : undefined);
  }

  /** Cached objects of one namespace, or all (do not mutate them). */
  list(namespace?: string): T[] {
    return this.#store.list(namespace);
  }

  /** Number of cached objects. */
  get size(): number {
    return this.#store.size;
  }

  /** Stops every loop and waits for them to end; `synced` rejects if it had not resolved. */
  async stop(): Promise<void> {
    if (!this.#abort.signal.aborted) {
      this.#abort.abort(new KubeError('KUBE_WATCH_STOPPED', `watch of ${this.resource.plural} stopped`));
      if (!this.#synced) this.#rejectSynced(this.#abort.signal.reason);
    }
    await Promise.all(this.#runs);
  }

  #replace(namespace: string | undefined, items: T[]): void {
    const diff = this.#store.replace(this.resource.namespaced ? namespace : undefined, items);
    for (const obj of diff.deleted) this.#call(obj, () => this.#o.onDelete?.(obj));
    for (const obj of diff.added) this.#call(obj, () => this.#o.onAdd?.(obj));
    for (const { obj, old } of diff.updated) this.#call(obj, () => this.#o.onUpdate?.(obj, old));
  }

  #event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void {
    if (type === 'DELETED') {
      // A delete for an object we never had changes nothing for the handlers.
      if (this.#store.remove(obj) !== undefined) this.#call(obj, () => this.#o.onDelete?.(obj));
      return;
    }
    const old = this.#store.upsert(obj);
    if (old === undefined) this.#call(obj, () => this.#o.onAdd?.(obj));
    // The same version again (a replayed ADDED) is not a change.
    else if (resourceVersionOf(old) !== resourceVersionOf(obj) || resourceVersionOf(obj) === '') this.#call(obj, () => this.#o.onUpdate?.(obj, old));
  }

  #call(obj: T, handler: () => void): void {
    try {
      handler();
    } catch (error) {
      const namespace = obj.metadata?.namespace;
      this.#report({ type: 'handler-error', resource: this.resource.plural, ...(namespace ? { namespace } : {}), error });
    }
  }

  #report(event: WatchStatusEvent): void {
    try {
      this.#o.onStatus?.(event);
    } catch {
      // An observer that throws must not take the watch down.
    }
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The scopes (namespace per reflector; undefined = all) a watch needs. */
function scopesOf(resource: ResourceType, namespaces: NamespaceScope): Array<string | undefined> {
  if (!resource.namespaced || namespaces === '*') return [undefined];
  return [...new Set(namespaces.map((ns) => ns.trim()).filter((ns) => ns !== ''))];
}

/** Drops `managedFields` and fills `apiVersion`/`kind` (absent on list items). */
export function defaultTransform<T extends KubeObject>(obj: T, resource: ResourceType): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  obj.apiVersion ??= apiVersionOf(resource);
  obj.kind ??= resource.kind;
  return obj;
}

/** The observer events, re-exported for callers of `onStatus`. */
export type { WatchStatusEvent } from './reflector.ts';
