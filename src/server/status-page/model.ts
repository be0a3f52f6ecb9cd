/**
 * Pure helpers of the status page: reading the document, filtering, the URL hash, times and digests. They run in
 * the browser: `page.ts` embeds every function of this file in the page by its source text, so each is a plain
 * `export function` that uses only its parameters, the other embedded functions and JavaScript built-ins (no
 * module-level constants, no imports at run time; `page.test.ts` checks it).
 */
import type { FilterState, ImageView, PlatformView, ReplicaView, StatusView, ThrottleView, UserView } from './types.ts';

/** `v` when it is a string, else undefined. */
export function textOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `v` when it is a finite number ≥ 0, else 0. */
export function countOf(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

/** `v` as a plain object, else an empty one (fields of a malformed document read as absent). */
export function recordOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `v` when it is an array, else an empty one. */
export function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** One image of the document, with defaults for what is missing; `index` names an image without a key. */
export function readImage(raw: unknown, index: number): ImageView {
  const o = recordOf(raw);
  const platforms: PlatformView[] = listOf(o['platforms']).map((p) => {
    const r = recordOf(p);
    return { platform: textOrUndefined(r['platform']) ?? '?', digest: textOrUndefined(r['digest']) ?? '' };
  });
  const users: UserView[] = listOf(o['users']).map((u) => {
    const r = recordOf(u);
    return { kind: textOrUndefined(r['kind']) ?? '?', namespace: textOrUndefined(r['namespace']) ?? '', name: textOrUndefined(r['name']) ?? '?', container: textOrUndefined(r['container']) };
  });
  const secrets = listOf(o['pullSecrets']).filter((s): s is string => typeof s === 'string');
  return {
    key: textOrUndefined(o['key']) ?? `#${index}`,
    source: textOrUndefined(o['source']) ?? '',
    pull: textOrUndefined(o['pull']),
    target: textOrUndefined(o['target']),
    state: textOrUndefined(o['state']) ?? 'unknown',
    running: o['running'] === true,
    digest: textOrUndefined(o['digest']),
    mediaType: textOrUndefined(o['mediaType']),
    platforms,
    tagged: o['tagged'] === true,
    reason: textOrUndefined(o['reason']),
    lastError: textOrUndefined(o['lastError']),
    errorCode: textOrUndefined(o['errorCode']),
    nextRetry: textOrUndefined(o['nextRetry']),
    lastMirrored: textOrUndefined(o['lastMirrored']),
    lastResult: textOrUndefined(o['lastResult']),
    lastBytes: typeof o['lastBytes'] === 'number' ? o['lastBytes'] : undefined,
    pullSecrets: secrets.length > 0 ? secrets : undefined,
    users,
    userCount: Math.max(countOf(o['userCount']), users.length),
  };
}

/**
 * The `/status` document, checked: throws when it is not one (a proxy's login page parsed as JSON, an error
 * object), so the page shows an error instead of an empty table that looks like "nothing to mirror".
 */
export function readStatus(raw: unknown): StatusView {
  const o = recordOf(raw);
  if (!Array.isArray(o['images'])) throw new Error('the answer is not a copycat status document (no "images" list)');
  const queue = recordOf(o['queue']);
  const counts: Record<string, number> = {};
  for (const [state, n] of Object.entries(recordOf(o['counts']))) counts[state] = countOf(n);
  const throttled: ThrottleView[] = listOf(o['throttledRegistries']).map((t) => {
    const r = recordOf(t);
    return { registry: textOrUndefined(r['registry']) ?? '?', until: textOrUndefined(r['until']) ?? '', reason: textOrUndefined(r['reason']) ?? '' };
  });
  const rawReplica = o['replica'];
  let replica: ReplicaView | undefined;
  if (typeof rawReplica === 'object' && rawReplica !== null) {
    const r = recordOf(rawReplica);
    const flag = (name: string): boolean | undefined => (typeof r[name] === 'boolean' ? (r[name] as boolean) : undefined);
    replica = {
      enabled: flag('enabled'),
      identity: textOrUndefined(r['identity']),
      leader: flag('leader'),
      holder: textOrUndefined(r['holder']),
      lease: textOrUndefined(r['lease']),
      mirroring: flag('mirroring'),
      synced: flag('synced'),
    };
  }
  return {
    generatedAt: textOrUndefined(o['generatedAt']),
    dryRun: o['dryRun'] === true,
    dryPull: o['dryPull'] === true,
    queue: { depth: countOf(queue['depth']), active: countOf(queue['active']), delayed: countOf(queue['delayed']) },
    counts,
    throttledRegistries: throttled,
    images: o['images'].map((image, i) => readImage(image, i)),
    replica,
  };
}

/** The states to offer as filters, in order: the configured ones, then any other the document counts or uses. */
export function statesOf(view: StatusView | undefined, known: readonly string[]): string[] {
  const out = [...known];
  if (view === undefined) return out;
  for (const s of [...Object.keys(view.counts), ...view.images.map((i) => i.state)]) if (!out.includes(s)) out.push(s);
  return out;
}

/** How many images are in `state`: the document's count, else the rows. */
export function countIn(view: StatusView, state: string): number {
  const counted = view.counts[state];
  return counted !== undefined ? counted : view.images.filter((i) => i.state === state).length;
}

/** `sha256:0123456789ab` (12 hex digits, as `docker images` shortens), or the text itself when it is short. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  const hex = colon < 0 ? digest : digest.slice(colon + 1);
  return hex.length <= 12 ? digest : `${digest.slice(0, colon + 1)}${hex.slice(0, 12)}`;
}

/** `Deployment shop/api`: how a user is shown. */
export function userLabel(user: UserView): string {
  return user.namespace === '' ? `${user.kind} ${user.name}` : `${user.kind} ${user.namespace}/${user.name}`;
}

/** Users the document counts but does not list (it lists the first 50). */
export function hiddenUsers(image: ImageView): number {
  return Math.max(0, image.userCount - image.users.length);
}

/** A duration as people say it: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** `in 12 min`, `3 min ago`, `now` (within 2 s), or `''` for a time that does not parse. */
export function formatRelative(iso: string, nowMs: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const delta = then - nowMs;
  if (Math.abs(delta) < 2000) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** `364 B`, `1.5 KiB`, `2.0 GiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * The server's clock now: its `generatedAt` plus the time since the answer arrived. Retry times are on the
 * server's clock, so "in 5 min" stays right when the browser's clock is off.
 */
export function serverNow(generatedAt: string | undefined, receivedAtMs: number, nowMs: number): number {
  const at = generatedAt === undefined ? Number.NaN : Date.parse(generatedAt);
  return Number.isNaN(at) ? nowMs : at + (nowMs - receivedAtMs);
}

/** Everything the filter box searches in one image, lower case. */
export function searchText(image: ImageView): string {
  const parts = [image.source, image.pull, image.target, image.state, image.running ? 'running' : undefined, image.digest, image.mediaType, image.reason, image.lastError, image.errorCode];
  for (const p of image.platforms) parts.push(p.platform, p.digest);
  for (const u of image.users) parts.push(userLabel(u), u.container);
  for (const s of image.pullSecrets ?? []) parts.push(s);
  return parts.filter((p) => p !== undefined && p !== '').join('\n').toLowerCase();
}

/** Whether `image` passes the filter: its state is selected (or none is) and every word occurs somewhere in it. */
export function matchesFilter(image: ImageView, filter: FilterState): boolean {
  if (filter.states.length > 0 && !filter.states.includes(image.state)) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return true;
  const text = searchText(image);
  return words.every((w) => text.includes(w));
}

/** The filter a URL hash holds (`#q=nginx%20web&state=failed,cooldown`); anything else reads as no filter. */
export function parseFilterHash(hash: string): FilterState {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const states = (params.get('state') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return { text: params.get('q') ?? '', states: [...new Set(states)] };
}

/** The URL hash of a filter, without `#`; `''` for no filter. */
export function formatFilterHash(filter: FilterState): string {
  const params = new URLSearchParams();
  if (filter.text.trim() !== '') params.set('q', filter.text);
  if (filter.states.length > 0) params.set('state', filter.states.join(','));
  // `%20` and `,` read better in a pasted link than URLSearchParams' `+` and `%2C`; both parse back the same.
  return params.toString().replace(/\+/g, '%20').replace(/%2C/gi, ',');
}

/**
 * Where the page reads the document, relative to the page itself: behind `kubectl port-forward` the page is `/`,
 * behind a proxy that maps `/copycat/` to `/` it is `/copycat/` and the document `/copycat/status`. A page opened
 * without its trailing slash (`/copycat`) would resolve `status` to `/status`, so the last path segment is kept.
 */
export function statusUrl(pathname: string): string {
  if (pathname === '' || pathname.endsWith('/')) return 'status';
  // `./` keeps a segment such as `a:b` from reading as a URL scheme; the pathname is already percent-encoded.
  return `./${pathname.slice(pathname.lastIndexOf('/') + 1)}/status`;
}

/** The message of a failed read: the server's `{"error"}` when it sent one, else the HTTP status. */
export function describeFailure(status: number, statusText: string, body: string): string {
  let detail = '';
  try {
    const parsed = recordOf(JSON.parse(body));
    detail = textOrUndefined(parsed['error']) ?? '';
  } catch {
    detail = body.trim().slice(0, 200);
  }
  const head = `HTTP ${status}${statusText !== '' ? ` ${statusText}` : ''}`;
  return detail === '' ? head : `${head}: ${detail}`;
}

/** A time in the browser's locale and time zone, or the text itself when it does not parse. */
export function formatAbsolute(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A clock time in the browser's locale (`14:03:07`), for "updated at". */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Images that need someone to look: failed, held in cooldown, invalid, or only partly mirrored. */
export function needAttention(view: StatusView): number {
  return view.images.filter((i) => i.state === 'failed' || i.state === 'cooldown' || i.state === 'invalid' || i.state === 'partial').length;
}
