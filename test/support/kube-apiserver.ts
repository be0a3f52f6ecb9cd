/**
 * An in-process Kubernetes API server for tests (no kube-apiserver binary can be had here), speaking
 * the real REST and watch protocol closely enough for `@kubernetes/client-node`:
 * https://kubernetes.io/docs/reference/using-api/api-concepts/
 *
 * - Resources: core `pods`, `nodes`, `namespaces`, `secrets`, `serviceaccounts`; `apps/v1`
 *   `deployments`, `statefulsets`, `daemonsets`, `replicasets`; `batch/v1` `jobs`, `cronjobs`;
 *   `coordination.k8s.io/v1` `leases`.
 * - GET (object, namespaced and cluster-wide collections), POST (409 `AlreadyExists`), PUT (409
 *   `Conflict` when `metadata.resourceVersion` is stale), DELETE; errors are `Status` objects.
 * - Lists carry `metadata.resourceVersion`, honour `limit`/`continue` (a continue token older than the
 *   last compaction is 410 `Expired`), `labelSelector` (equality terms) and `fieldSelector`
 *   (`metadata.name`, `metadata.namespace`). Items have no `apiVersion`/`kind`, like the real server.
 * - `?watch=true`: newline-delimited JSON events ADDED/MODIFIED/DELETED, a replay of every event after
 *   the requested `resourceVersion` (unset or `0`: synthetic ADDED for the current state), BOOKMARKs
 *   when `allowWatchBookmarks=true` and bookmarks are enabled, `timeoutSeconds`, and for a version
 *   older than the last {@link FakeKubeApiServer.compact} the watch cache's answer: HTTP 200 with an
 *   `ERROR` event (Status 410 `Expired`, "too old resource version"), or HTTP 410 with `goneAs: 'status'`.
 * - Controls: `create/update/delete`, `compact()`, `dropWatches()`, `stallWatches(ms)`, `failNext()`/`clearFaults()`,
 *   a request log, and `writeKubeconfig()` for the real client.
 *
 * Simplifications: one global resource version counter (as etcd has); label selectors are matched on
 * the object as it is now (no synthetic DELETED when an object leaves a selector); no discovery.
 *
 * Node built-ins only (see README: support code never imports `src/`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeHttpServer, listenEphemeral } from './net.ts';

/** A Kubernetes object as JSON. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One resource the fake serves. */
interface ResourceDef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

const RESOURCE_DEFS: ResourceDef[] = [
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob', namespaced: true },
  { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
];

const apiVersionOf = (r: ResourceDef): string => (r.group === '' ? r.version : `${r.group}/${r.version}`);
const keyOf = (r: ResourceDef): string => `${r.group}/${r.plural}`;
const objKey = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

/** One request as the fake saw it. */
export interface KubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** True for `?watch=true`. */
  watch: boolean;
  /** Status answered (200 for a watch that was accepted). */
  status: number;
}

/** A programmed failure for the next matching requests. */
export interface KubeFault {
  method?: string;
  /** Matches the path (without query). */
  path?: RegExp;
  /** Only watch requests (true) or only non-watch requests (false). */
  watch?: boolean;
  status: number;
  reason?: string;
  message?: string;
  /** How many matching requests fail (default 1; `Infinity` for all). */
  times?: number;
}

/** Options of {@link startKubeApiServer}. */
export interface KubeApiServerOptions {
  /** Bearer token every request must carry (default: a random one, written by `writeKubeconfig`). `null` disables auth. */
  token?: string | null;
  /** Send a BOOKMARK this often to watches that asked for them (default 0: never). */
  bookmarkIntervalMs?: number;
  /** How a watch from a compacted version is refused: the watch cache's ERROR event (default) or HTTP 410. */
  goneAs?: 'event' | 'status';
}

interface Watcher {
  id: number;
  def: ResourceDef;
  namespace: string | undefined;
  match: (obj: KObject) => boolean;
  res: ServerResponse;
  frozen: boolean;
  /** The `timeoutSeconds` timer and the bookmark interval. */
  timers: Array<ReturnType<typeof setTimeout> | ReturnType<typeof setInterval>>;
}

interface HistoryEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  def: ResourceDef;
  object: KObject;
}

class HttpError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function status(code: number, reason: string, message: string): KObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Equality-based label selector (`a=b,c==d,e!=f`); anything else is a 400, as the real server would answer for a typo. */
function parseLabelSelector(selector: string | null): (obj: KObject) => boolean {
  if (selector === null || selector.trim() === '') return () => true;
  const terms = selector.split(',').map((term) => {
    const m = /^\s*([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)\s*$/.exec(term);
    if (m === null) throw new HttpError(400, 'BadRequest', `unable to parse requirement: ${JSON.stringify(term)}`);
    return { key: m[1] ?? '', op: m[2] ?? '=', value: m[3] ?? '' };
  });
  return (obj) => terms.every((t) => (obj.metadata?.labels?.[t.key] === t.value) === (t.op !== '!='));
}

function parseFieldSelector(selector: string | null): (obj: KObject) => boolean {
  if (selector === null || selector.trim() === '') return () => true;
  const terms = selector.split(',').map((term) => {
    const m = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(\S*)\s*$/.exec(term);
    if (m === null) throw new HttpError(400, 'BadRequest', `field label not supported: ${JSON.stringify(term)}`);
    return { field: m[1] === 'metadata.name' ? 'name' : 'namespace', op: m[2] ?? '=', value: m[3] ?? '' };
  });
  return (obj) => terms.every((t) => ((t.field === 'name' ? obj.metadata?.name : obj.metadata?.namespace) === t.value) === (t.op !== '!='));
}

/** A running fake API server; see the file comment. */
export class FakeKubeApiServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The bearer token requests must carry (undefined: no auth). */
  readonly token: string | undefined;
  /** Every request, in arrival order. */
  readonly requests: KubeRequest[] = [];
  readonly #server: Server;
  readonly #options: KubeApiServerOptions;
  readonly #objects = new Map<string, Map<string, KObject>>();
  readonly #history: HistoryEvent[] = [];
  readonly #watchers = new Set<Watcher>();
  readonly #faults: KubeFault[] = [];
  readonly #tempDirs: string[] = [];
  #rv = 1000;
  #compactedRv = 0;
  #stallUntil = 0;
  #nextWatcherId = 1;

  constructor(server: Server, port: number, options: KubeApiServerOptions) {
    this.#server = server;
    this.#options = options;
    this.url = `http://127.0.0.1:${port}`;
    this.token = options.token === null ? undefined : (options.token ?? randomBytes(16).toString('hex'));
    for (const def of RESOURCE_DEFS) this.#objects.set(keyOf(def), new Map());
  }

  /** The current (latest) resource version. */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Creates an object (`apiVersion` and `kind` required); returns the stored copy. */
  create(obj: KObject): KObject {
    const def = this.#defOf(obj);
    return clone(this.#create(def, clone(obj), def.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined));
  }

  /** Replaces an object unconditionally (its `resourceVersion` is ignored); returns the stored copy. */
  update(obj: KObject): KObject {
    const def = this.#defOf(obj);
    const body = clone(obj);
    if (body.metadata) delete body.metadata.resourceVersion;
    return clone(this.#replace(def, body, def.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined, obj.metadata?.name ?? ''));
  }

  /** Deletes an object named by `apiVersion`, `kind`, `metadata.namespace` and `metadata.name`. */
  delete(obj: KObject): KObject {
    const def = this.#defOf(obj);
    return clone(this.#delete(def, def.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined, obj.metadata?.name ?? ''));
  }

  /** The stored object, or undefined. */
  get(apiVersion: string, kind: string, name: string, namespace?: string): KObject | undefined {
    const def = this.#defOf({ apiVersion, kind });
    const found = this.#objects.get(keyOf(def))?.get(objKey(def.namespaced ? (namespace ?? 'default') : undefined, name));
    return found === undefined ? undefined : clone(found);
  }

  /** Forgets the event history up to now: watching from any older version answers 410 Gone. */
  compact(): void {
    this.#compactedRv = this.#rv;
    const keep = this.#history.filter((e) => e.rv > this.#compactedRv);
    this.#history.length = 0;
    this.#history.push(...keep);
  }

  /**
   * Ends every open watch: `graceful` closes the stream normally (the server's own timeout), else the
   * socket is destroyed mid-stream (a dropped connection). Returns how many were open.
   */
  dropWatches(options: { graceful?: boolean } = {}): number {
    const watchers = [...this.#watchers];
    for (const w of watchers) {
      this.#forget(w);
      if (options.graceful) w.res.end();
      else w.res.socket?.destroy();
    }
    return watchers.length;
  }

  /**
   * Stalls watches: every open stream goes silent for good (connection kept open, nothing sent, no
   * bookmarks), and for the next `ms` new watch requests hang without even a response header.
   */
  stallWatches(ms: number): void {
    for (const w of this.#watchers) w.frozen = true;
    this.#stallUntil = Date.now() + ms;
  }

  /** Makes the next matching requests fail with a Status of `fault.status`. */
  failNext(fault: KubeFault): void {
    this.#faults.push({ times: 1, ...fault });
  }

  /** Forgets every programmed failure. */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Live (not stalled) watch streams, optionally of one resource plural. */
  watchCount(plural?: string): number {
    return [...this.#watchers].filter((w) => !w.frozen && (plural === undefined || w.def.plural === plural)).length;
  }

  /** Writes a kubeconfig pointing at this server (plain HTTP, so `insecure-skip-tls-verify`) and returns its path. */
  writeKubeconfig(options: { namespace?: string } = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'copycat-kubeconfig-'));
    this.#tempDirs.push(dir);
    const path = join(dir, 'config');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: this.token === undefined ? {} : { token: this.token } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: options.namespace ?? 'default' } }],
      'current-context': 'fake',
    };
    writeFileSync(path, JSON.stringify(config, null, 2));
    return path;
  }

  /** Closes every stream and the server, and removes the kubeconfig files. */
  async stop(): Promise<void> {
    for (const w of [...this.#watchers]) {
      this.#forget(w);
      w.res.destroy();
    }
    await closeHttpServer(this.#server);
    for (const dir of this.#tempDirs) rmSync(dir, { recursive: true, force: true });
  }

  /** `await using api = await startKubeApiServer()` stops it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  // ---- storage ---------------------------------------------------------------------------------

  #defOf(obj: { apiVersion?: string; kind?: string }): ResourceDef {
    const def = RESOURCE_DEFS.find((r) => apiVersionOf(r) === obj.apiVersion && r.kind === obj.kind);
    if (def === undefined) throw new Error(`fake API server does not serve ${obj.apiVersion}/${obj.kind}`);
    return def;
  }

  #store(def: ResourceDef): Map<string, KObject> {
    const store = this.#objects.get(keyOf(def));
    if (store === undefined) throw new Error(`no store for ${def.plural}`);
    return store;
  }

  #create(def: ResourceDef, obj: KObject, namespace: string | undefined): KObject {
    const meta = (obj.metadata ??= {});
    if (def.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== namespace) {
        throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace;
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    if (!meta.name) throw new HttpError(422, 'Invalid', `${def.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    const store = this.#store(def);
    const key = objKey(meta.namespace, meta.name);
    if (store.has(key)) throw new HttpError(409, 'AlreadyExists', `${def.plural} "${meta.name}" already exists`);
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    if ('spec' in obj) meta.generation = 1;
    meta.resourceVersion = String(++this.#rv);
    store.set(key, obj);
    this.#emit('ADDED', def, obj);
    return obj;
  }

  #replace(def: ResourceDef, obj: KObject, namespace: string | undefined, name: string): KObject {
    const meta = (obj.metadata ??= {});
    if (meta.name !== undefined && meta.name !== name) throw new HttpError(400, 'BadRequest', `the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    const store = this.#store(def);
    const key = objKey(namespace, name);
    const current = store.get(key);
    if (current === undefined) throw new HttpError(404, 'NotFound', `${def.plural} "${name}" not found`);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '' && meta.resourceVersion !== current.metadata?.resourceVersion) {
      const resource = def.group === '' ? def.plural : `${def.plural}.${def.group}`;
      throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    meta.name = name;
    if (def.namespaced) meta.namespace = namespace;
    meta.uid = current.metadata?.uid;
    meta.creationTimestamp = current.metadata?.creationTimestamp;
    const generation = current.metadata?.generation;
    if (generation !== undefined) {
      const specChanged = JSON.stringify(obj.spec) !== JSON.stringify(current.spec);
      meta.generation = specChanged ? generation + 1 : generation;
    }
    meta.resourceVersion = String(++this.#rv);
    store.set(key, obj);
    this.#emit('MODIFIED', def, obj);
    return obj;
  }

  #delete(def: ResourceDef, namespace: string | undefined, name: string): KObject {
    const store = this.#store(def);
    const key = objKey(namespace, name);
    const current = store.get(key);
    if (current === undefined) throw new HttpError(404, 'NotFound', `${def.plural} "${name}" not found`);
    store.delete(key);
    const gone = clone(current);
    gone.metadata = { ...gone.metadata, resourceVersion: String(++this.#rv) };
    this.#emit('DELETED', def, gone);
    return gone;
  }

  #emit(type: HistoryEvent['type'], def: ResourceDef, obj: KObject): void {
    const event: HistoryEvent = { rv: this.#rv, type, def, object: clone(obj) };
    this.#history.push(event);
    for (const w of this.#watchers) if (this.#matches(w, event)) this.#send(w, type, event.object);
  }

  #matches(w: Watcher, e: HistoryEvent): boolean {
    return w.def === e.def && (w.namespace === undefined || e.object.metadata?.namespace === w.namespace) && w.match(e.object);
  }

  #send(w: Watcher, type: string, object: unknown): void {
    if (w.frozen || w.res.writableEnded || w.res.destroyed) return;
    w.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  #forget(w: Watcher): void {
    for (const t of w.timers) clearInterval(t);
    this.#watchers.delete(w);
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  /** Routes one request; every error becomes a Status answer. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const entry: KubeRequest = { method: req.method ?? 'GET', path: url.pathname, query, watch, status: 0 };
    this.requests.push(entry);
    const answer = (code: number, body: unknown): void => {
      entry.status = code;
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
        const fault = this.#faults.find((f) => (f.method === undefined || f.method === entry.method) && (f.path === undefined || f.path.test(url.pathname)) && (f.watch === undefined || f.watch === watch));
        if (fault !== undefined) {
          fault.times = (fault.times ?? 1) - 1;
          if (fault.times <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
          throw new HttpError(fault.status, fault.reason ?? 'InternalError', fault.message ?? `injected failure ${fault.status}`);
        }
        const route = this.#route(url.pathname);
        const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as KObject) : undefined;
        this.#dispatch(entry, route, url.searchParams, body, res, answer);
      } catch (err) {
        if (err instanceof HttpError) answer(err.status, status(err.status, err.reason, err.message));
        else answer(500, status(500, 'InternalError', err instanceof Error ? err.message : String(err)));
      }
    });
  }

  #route(pathname: string): { def: ResourceDef; namespace: string | undefined; name: string | undefined } {
    const seg = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api') [group, version, rest] = ['', seg[1] ?? '', seg.slice(2)];
    else if (seg[0] === 'apis') [group, version, rest] = [seg[1] ?? '', seg[2] ?? '', seg.slice(3)];
    else throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${pathname})`);
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const def = RESOURCE_DEFS.find((r) => r.group === group && r.version === version && r.plural === rest[0]);
    if (def === undefined || rest.length > 2 || (namespace !== undefined && !def.namespaced)) {
      throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${pathname})`);
    }
    return { def, namespace, name: rest[1] };
  }

  #dispatch(
    entry: KubeRequest,
    route: { def: ResourceDef; namespace: string | undefined; name: string | undefined },
    params: URLSearchParams,
    body: KObject | undefined,
    res: ServerResponse,
    answer: (code: number, body: unknown) => void,
  ): void {
    const { def, namespace, name } = route;
    const ns = def.namespaced ? namespace : undefined;
    if (name === undefined) {
      if (entry.method === 'GET' && entry.watch) return this.#watch(entry, def, ns, params, res);
      if (entry.method === 'GET') return answer(200, this.#list(def, ns, params));
      if (entry.method === 'POST') {
        if (def.namespaced && ns === undefined) throw new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return answer(201, this.#create(def, body ?? {}, ns));
      }
      throw new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (def.namespaced && ns === undefined) throw new HttpError(404, 'NotFound', `the server could not find the requested resource`);
    if (entry.method === 'GET') {
      const found = this.#store(def).get(objKey(ns, name));
      if (found === undefined) throw new HttpError(404, 'NotFound', `${def.plural} "${name}" not found`);
      return answer(200, found);
    }
    if (entry.method === 'PUT') return answer(200, this.#replace(def, body ?? {}, ns, name));
    if (entry.method === 'DELETE') return answer(200, this.#delete(def, ns, name));
    throw new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  #selected(def: ResourceDef, ns: string | undefined, params: URLSearchParams): KObject[] {
    const labels = parseLabelSelector(params.get('labelSelector'));
    const fields = parseFieldSelector(params.get('fieldSelector'));
    return [...this.#store(def).entries()]
      .filter(([, o]) => (ns === undefined || o.metadata?.namespace === ns) && labels(o) && fields(o))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
  }

  #list(def: ResourceDef, ns: string | undefined, params: URLSearchParams): KObject {
    let items = this.#selected(def, ns, params);
    let listRv = this.#rv;
    const token = params.get('continue');
    if (token) {
      let parsed: { rv: number; after: string };
      try {
        parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv: number; after: string };
      } catch {
        throw new HttpError(400, 'BadRequest', 'continue key is not valid');
      }
      if (parsed.rv < this.#compactedRv) throw new HttpError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      listRv = parsed.rv;
      items = items.filter((o) => objKey(o.metadata?.namespace, o.metadata?.name ?? '') > parsed.after);
    }
    const limit = Number(params.get('limit') ?? '0');
    let cont: string | undefined;
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      const last = items[items.length - 1];
      cont = Buffer.from(JSON.stringify({ rv: listRv, after: objKey(last?.metadata?.namespace, last?.metadata?.name ?? '') })).toString('base64url');
    }
    return {
      kind: `${def.kind}List`,
      apiVersion: apiVersionOf(def),
      metadata: cont === undefined ? { resourceVersion: String(listRv) } : { resourceVersion: String(listRv), continue: cont },
      items: items.map((o) => {
        const { apiVersion: _a, kind: _k, ...rest } = clone(o);
        return rest;
      }),
    };
  }

  #watch(entry: KubeRequest, def: ResourceDef, ns: string | undefined, params: URLSearchParams, res: ServerResponse): void {
    const labels = parseLabelSelector(params.get('labelSelector'));
    const fields = parseFieldSelector(params.get('fieldSelector'));
    const w: Watcher = { id: this.#nextWatcherId++, def, namespace: ns, match: (o) => labels(o) && fields(o), res, frozen: Date.now() < this.#stallUntil, timers: [] };
    res.on('close', () => this.#forget(w));
    entry.status = 200;
    if (w.frozen) {
      // A stalled server: accept the connection, answer nothing at all.
      this.#watchers.add(w);
      return;
    }
    const rvParam = params.get('resourceVersion') ?? '';
    const from = rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
    if (from !== undefined && !Number.isInteger(from)) throw new HttpError(400, 'BadRequest', `invalid resource version ${JSON.stringify(rvParam)}`);
    if (from !== undefined && from < this.#compactedRv) {
      const message = `too old resource version: ${from} (${this.#compactedRv})`;
      if (this.#options.goneAs === 'status') throw new HttpError(410, 'Gone', message);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', message) })}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    this.#watchers.add(w);
    if (from === undefined) {
      for (const o of this.#selected(def, ns, params)) this.#send(w, 'ADDED', o);
    } else {
      for (const e of this.#history) if (e.rv > from && this.#matches(w, e)) this.#send(w, e.type, e.object);
    }
    const timeoutSeconds = Number(params.get('timeoutSeconds') ?? '0');
    if (timeoutSeconds > 0) {
      w.timers.push(setTimeout(() => {
        this.#forget(w);
        res.end();
      }, timeoutSeconds * 1000));
    }
    const every = this.#options.bookmarkIntervalMs ?? 0;
    if (every > 0 && params.get('allowWatchBookmarks') === 'true') {
      w.timers.push(setInterval(() => {
        this.#send(w, 'BOOKMARK', { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(this.#rv) } });
      }, every));
    }
  }
}

/** Starts a fake API server on an ephemeral loopback port. */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<FakeKubeApiServer> {
  let fake: FakeKubeApiServer | undefined;
  const server = createServer((req, res) => {
    if (fake === undefined) res.destroy();
    else fake.handle(req, res);
  });
  const port = await listenEphemeral(server);
  fake = new FakeKubeApiServer(server, port, options);
  return fake;
}
