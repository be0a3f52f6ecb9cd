/**
 * One list+watch loop over one scope (a namespace, or all): the client-go reflector shape, written
 * around client-node's caveats: its `ListWatch` informer stops for good on any non-410 error, and
 * watches could hang silently (kubernetes-client/javascript #2127, #2432), so this loop owns every
 * restart and has its own watchdog.
 *
 * - list (paged with `limit`/`continue`), remember the list's `resourceVersion`, watch from it with
 *   `allowWatchBookmarks=true`, advance the version with every event and bookmark;
 * - 410 Gone (HTTP status or `ERROR` event) → forget the version and relist;
 * - the server ends the stream → watch again from the last version, no relist;
 * - any other error → back off with jitter and try again, forever, reporting each failure;
 * - watchdog: no event or bookmark for `watchdogMs` → abandon the stream and watch again.
 */
import { backoffDelay, type BackoffOptions } from '../internal/backoff.ts';
import { sleep } from '../internal/abort.ts';
import type { KubeClient } from './client.ts';
import { KubeError, normaliseKubeError, statusError } from './errors.ts';
import { collectionPath, type ResourceType } from './resources.ts';
import type { KubeObject, StatusLike } from './types.ts';

/** What a watch loop reports to its observer (logs, metrics, tests); `namespace` is undefined for "all". */
export type WatchStatusEvent =
  | { type: 'listed'; resource: string; namespace?: string; count: number; pages: number; resourceVersion: string }
  | { type: 'watching'; resource: string; namespace?: string; resourceVersion: string }
  | { type: 'closed'; resource: string; namespace?: string; events: number }
  | { type: 'gone'; resource: string; namespace?: string; resourceVersion: string }
  | { type: 'stalled'; resource: string; namespace?: string; silentMs: number }
  | { type: 'error'; resource: string; namespace?: string; error: KubeError; retryInMs: number }
  | { type: 'bad-event'; resource: string; namespace?: string; eventType: string }
  | { type: 'handler-error'; resource: string; namespace?: string; error: unknown };

/** Where a reflector delivers what it learns; the store and the handlers sit behind it. */
export interface ReflectorSink<T> {
  /** The complete current state of the scope, after a (re)list. */
  replace(namespace: string | undefined, items: T[]): void;
  /** One watch event (ADDED, MODIFIED or DELETED). */
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void;
}

/** Settings of one {@link Reflector}. */
export interface ReflectorOptions<T> {
  client: KubeClient;
  resource: ResourceType;
  /** Undefined: all namespaces (or a cluster-scoped resource). */
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  watchdogMs: number;
  /** Server-side `timeoutSeconds` of each watch request. */
  timeoutSeconds: () => number;
  backoff: BackoffOptions;
  pageSize: number;
  random: () => number;
  /** Turns a decoded object into the cached form; undefined drops a malformed object. */
  transform: (obj: unknown) => T | undefined;
  sink: ReflectorSink<T>;
  report: (event: WatchStatusEvent) => void;
  signal: AbortSignal;
}

/** How one watch stream ended. */
type Outcome =
  | { type: 'closed'; events: number; lastedMs: number }
  | { type: 'gone' }
  | { type: 'stalled'; silentMs: number }
  | { type: 'error'; error: KubeError }
  | { type: 'stopped' };

/** A watch that ends sooner than this without any event counts as a failure (no hot reconnect loop). */
const MIN_HEALTHY_WATCH_MS = 1_000;

/** The list+watch loop of one scope; see the file comment for the rules. */
export class Reflector<T extends KubeObject> {
  readonly #o: ReflectorOptions<T>;
  readonly #path: string;
  #rv: string | undefined;
  #synced = false;
  #lastOk = 0;
  /** Set by every event of the current stream; resets the backoff. */
  #progress = false;
  #onSynced: () => void = () => undefined;
  /** Resolves on the first complete list. */
  readonly synced: Promise<void>;

  constructor(options: ReflectorOptions<T>) {
    this.#o = options;
    this.#path = collectionPath(options.resource, options.namespace);
    this.synced = new Promise((resolve) => (this.#onSynced = resolve));
  }

  /** True once the first list completed. */
  get hasSynced(): boolean {
    return this.#synced;
  }

  /** When the API server last answered this loop well (list done, watch connected, or an event). */
  get lastOkAt(): number {
    return this.#lastOk;
  }

  /** The resource version the next watch starts from (undefined: a relist comes first). */
  get resourceVersion(): string | undefined {
    return this.#rv;
  }

  #base(): { resource: string; namespace?: string } {
    const resource = this.#o.resource.plural;
    return this.#o.namespace === undefined ? { resource } : { resource, namespace: this.#o.namespace };
  }

  /** Runs until the signal aborts; never throws. */
  async run(): Promise<void> {
    const { signal } = this.#o;
    let failures = 0;
    let gones = 0;
    while (!signal.aborted) {
      let outcome: Outcome;
      try {
        if (this.#rv === undefined) await this.#list();
        outcome = await this.#watchOnce();
      } catch (err) {
        if (signal.aborted) return;
        outcome = { type: 'error', error: normaliseKubeError(err, `LIST ${this.#path}`) };
      }
      if (outcome.type === 'stopped' || signal.aborted) return;
      // Any event on the last stream proves the server works again: start the backoff over.
      if (this.#progress) failures = gones = 0;
      this.#progress = false;
      let delay = 0;
      if (outcome.type === 'gone') {
        this.#o.report({ ...this.#base(), type: 'gone', resourceVersion: this.#rv ?? '' });
        this.#rv = undefined;
        // Relist at once (a reconnect after a drop often meets 410); only 410 after 410 backs off.
        if (gones > 0) delay = this.#delay(gones - 1);
        gones++;
      } else if (outcome.type === 'error') {
        gones = 0;
        delay = this.#delay(failures);
        failures++;
        this.#o.report({ ...this.#base(), type: 'error', error: outcome.error, retryInMs: delay });
      } else {
        gones = 0;
        if (outcome.type === 'closed') this.#o.report({ ...this.#base(), type: 'closed', events: outcome.events });
        else this.#o.report({ ...this.#base(), type: 'stalled', silentMs: outcome.silentMs });
        // A stream that ran (events, or lasted) ends normally: watch again at once. A stall or an
        // instant empty close is a failure, retried at once the first time, then with backoff.
        const normal = outcome.type === 'closed' && (outcome.events > 0 || outcome.lastedMs >= MIN_HEALTHY_WATCH_MS);
        if (!normal) {
          if (failures > 0) delay = this.#delay(failures - 1);
          failures++;
        }
      }
      if (delay > 0) await sleep(delay, signal).catch(() => undefined);
    }
  }

  #delay(attempt: number): number {
    return backoffDelay(attempt, this.#o.backoff, this.#o.random);
  }

  async #list(): Promise<void> {
    const { client, signal } = this.#o;
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    let pages = 0;
    do {
      const page = await client.list<unknown>(this.#path, {
        signal,
        query: { limit: this.#o.pageSize, continue: cont, labelSelector: this.#o.labelSelector, fieldSelector: this.#o.fieldSelector },
      });
      pages++;
      for (const raw of page.items ?? []) {
        const obj = this.#o.transform(raw);
        if (obj !== undefined) items.push(obj);
      }
      cont = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? '';
    } while (cont !== undefined);
    if (rv === '') throw new KubeError('KUBE_BAD_RESPONSE', `GET ${this.#path}: list has no metadata.resourceVersion to watch from`);
    this.#o.sink.replace(this.#o.namespace, items);
    this.#rv = rv;
    this.#lastOk = Date.now();
    this.#o.report({ ...this.#base(), type: 'listed', count: items.length, pages, resourceVersion: rv });
    if (!this.#synced) {
      this.#synced = true;
      this.#onSynced();
    }
  }

  #watchOnce(): Promise<Outcome> {
    const { client, signal, watchdogMs } = this.#o;
    const startedAt = Date.now();
    let lastActivity = startedAt;
    let events = 0;
    let settled = false;
    let controller: AbortController | undefined;
    let dog: ReturnType<typeof setTimeout> | undefined;
    return new Promise<Outcome>((resolve) => {
      const finish = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(dog);
        signal.removeEventListener('abort', onAbort);
        controller?.abort();
        resolve(outcome);
      };
      const onAbort = (): void => finish({ type: 'stopped' });
      signal.addEventListener('abort', onAbort, { once: true });
      // Re-armed lazily: one timer per window instead of one reset per event.
      const check = (): void => {
        const silent = Date.now() - lastActivity;
        if (silent >= watchdogMs) finish({ type: 'stalled', silentMs: silent });
        else dog = setTimeout(check, watchdogMs - silent);
      };
      dog = setTimeout(check, watchdogMs);
      const onEvent = (type: string, object: unknown): void => {
        if (settled) return;
        lastActivity = Date.now();
        this.#lastOk = lastActivity;
        if (type !== 'ERROR') this.#progress = true;
        const outcome = this.#handle(type, object);
        if (outcome !== undefined) finish(outcome);
        else events++;
      };
      const onDone = (err: KubeError | undefined): void => {
        if (err === undefined) finish({ type: 'closed', events, lastedMs: Date.now() - startedAt });
        else if (err.code === 'KUBE_GONE') finish({ type: 'gone' });
        else finish({ type: 'error', error: err });
      };
      const query = {
        resourceVersion: this.#rv,
        allowWatchBookmarks: true,
        timeoutSeconds: this.#o.timeoutSeconds(),
        labelSelector: this.#o.labelSelector,
        fieldSelector: this.#o.fieldSelector,
      };
      client.watch(this.#path, query, onEvent, onDone).then((c) => {
        controller = c;
        if (settled) c.abort();
        else {
          this.#lastOk = Date.now();
          this.#o.report({ ...this.#base(), type: 'watching', resourceVersion: this.#rv ?? '' });
        }
      }, (err: unknown) => finish({ type: 'error', error: normaliseKubeError(err, `WATCH ${this.#path}`) }));
    });
  }

  /** Applies one event; returns an outcome when the stream must end (ERROR events). */
  #handle(type: string, object: unknown): Outcome | undefined {
    const meta = (object as KubeObject | null)?.metadata;
    if (type === 'ERROR') {
      const status = object as StatusLike;
      const err = statusError(`WATCH ${this.#path}`, status?.code ?? 500, status);
      return err.code === 'KUBE_GONE' ? { type: 'gone' } : { type: 'error', error: err };
    }
    if (type === 'BOOKMARK') {
      if (meta?.resourceVersion) this.#rv = meta.resourceVersion;
      return undefined;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') {
      this.#o.report({ ...this.#base(), type: 'bad-event', eventType: type });
      return undefined;
    }
    const obj = this.#o.transform(object);
    if (obj === undefined || !obj.metadata?.name) {
      this.#o.report({ ...this.#base(), type: 'bad-event', eventType: type });
      return undefined;
    }
    this.#o.sink.event(type, obj);
    if (obj.metadata.resourceVersion) this.#rv = obj.metadata.resourceVersion;
    return undefined;
  }
}
