/**
 * DOM building for the status page. Everything from the cluster (image names, errors, user names) goes into text
 * nodes or attribute values through {@link h}; the page has no HTML sink at all (see `dom.ts`). Embedded in the
 * page by source text like `model.ts`: plain `export function`s only, nothing at module level.
 */
import type { PageDocument, PageElement, PageNode } from './dom.ts';
import { formatAbsolute, formatBytes, formatRelative, hiddenUsers, shortDigest, userLabel } from './model.ts';
import type { ImageView, StatusView } from './types.ts';

/** What every render function needs: the document, the server's "now", and whether a copy button can work. */
export interface RenderContext {
  doc: PageDocument;
  /** Epoch ms on the server's clock (`serverNow`). */
  now: number;
  /** `navigator.clipboard` exists (it needs a secure context: localhost or HTTPS). */
  canCopy: boolean;
}

/** A child of {@link h}: a node, text, or nothing. */
export type Child = PageNode | string | undefined | null | false;

/**
 * Creates `<tag attrs…>children</tag>`. Strings become text nodes, never markup. Event handler, `style`, `href`
 * and `src` attributes are refused: the script attaches listeners itself, and a URL from the cluster could
 * carry `javascript:`.
 */
export function h(doc: PageDocument, tag: string, attrs: Record<string, string | undefined> | null, ...children: Child[]): PageElement {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined) continue;
    if (/^on/i.test(name) || /^(style|href|src|srcdoc|action|formaction)$/i.test(name)) throw new Error(`status page: refusing to set the ${name} attribute`);
    el.setAttribute(name, value);
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  }
  return el;
}

/** The coloured state label; unknown states get the neutral colour. */
export function stateBadge(doc: PageDocument, state: string): PageElement {
  const known = ['pending', 'mirrored', 'partial', 'failed', 'cooldown', 'skipped', 'invalid'].includes(state);
  return h(doc, 'span', { class: `badge state-${known ? state : 'other'}` }, state);
}

/** `<time>` with a relative text (kept current by the page's clock) and the absolute time as tooltip. */
export function timeView(ctx: RenderContext, iso: string | undefined): PageElement {
  if (iso === undefined || iso === '') return h(ctx.doc, 'span', { class: 'none' }, '—');
  return h(ctx.doc, 'time', { datetime: iso, title: formatAbsolute(iso), 'data-rel': '' }, formatRelative(iso, ctx.now));
}

/** A copy button for `value` (only where the clipboard API exists); `what` names it for screen readers. */
export function copyButton(ctx: RenderContext, value: string, what: string): PageElement | undefined {
  if (!ctx.canCopy) return undefined;
  return h(ctx.doc, 'button', { type: 'button', class: 'copy', 'data-copy': value, 'aria-label': `Copy ${what}`, title: `Copy ${what}` }, 'Copy');
}

/** A digest: shortened in the table (the full one as tooltip), in full with a copy button in the details. */
export function digestView(ctx: RenderContext, digest: string | undefined, full: boolean): PageElement {
  if (digest === undefined || digest === '') return h(ctx.doc, 'span', { class: 'none' }, '—');
  if (!full) return h(ctx.doc, 'span', { class: 'digest' }, h(ctx.doc, 'code', { title: digest }, shortDigest(digest)));
  return h(ctx.doc, 'span', { class: 'digest' }, h(ctx.doc, 'code', { class: 'full' }, digest), copyButton(ctx, digest, `digest ${digest}`));
}

/** `text` with a line-break opportunity after each `/` and `@`, so long references wrap at their separators. */
export function breakable(doc: PageDocument, text: string): Child[] {
  const out: Child[] = [];
  for (const part of text.split(/(?<=[/@])/)) out.push(part, doc.createElement('wbr'));
  out.pop();
  return out;
}

/** The platforms cell: one chip per platform (its digest as tooltip), or what kind of manifest it is. */
export function platformsView(ctx: RenderContext, image: ImageView): PageElement {
  const { doc } = ctx;
  if (image.platforms.length === 0) {
    if (image.digest === undefined) return h(doc, 'span', { class: 'none' }, '—');
    return h(doc, 'span', { class: 'muted' }, image.mediaType !== undefined && /index|list/.test(image.mediaType) ? 'index' : 'single image');
  }
  return h(doc, 'span', { class: 'chips' }, ...image.platforms.map((p) => h(doc, 'span', { class: 'chip', title: p.digest }, p.platform)));
}

/** The users cell: the first two users and `+N more`, counting the ones the document does not list. */
export function usersView(ctx: RenderContext, image: ImageView): PageElement {
  const { doc } = ctx;
  if (image.userCount === 0) return h(doc, 'span', { class: 'none' }, 'nobody');
  const shown = image.users.slice(0, 2);
  const more = image.userCount - shown.length;
  return h(doc, 'span', { class: 'users' }, ...shown.map((u) => h(doc, 'span', { class: 'user' }, userLabel(u))), more > 0 ? h(doc, 'span', { class: 'more' }, `+${more} more`) : undefined);
}

/** The error cell: code chip and message; without an error, the reason (why skipped, what it waits for). */
export function problemView(ctx: RenderContext, image: ImageView): PageElement {
  const { doc } = ctx;
  if (image.lastError !== undefined) {
    return h(doc, 'span', { class: 'problem' }, image.errorCode !== undefined ? h(doc, 'code', { class: 'code' }, image.errorCode) : undefined, h(doc, 'span', { class: 'message', title: image.lastError }, image.lastError));
  }
  if (image.reason !== undefined) return h(doc, 'span', { class: 'reason', title: image.reason }, image.reason);
  return h(doc, 'span', { class: 'none' }, '—');
}

/** One table row (`data-label`s let the narrow layout label its cells). `detailId` links the toggle to its details. */
export function imageRow(ctx: RenderContext, image: ImageView, detailId: string, expanded: boolean): PageElement {
  const { doc } = ctx;
  const cell = (label: string, cls: string, ...content: Child[]): PageElement => h(doc, 'td', { 'data-label': label, class: cls }, ...content);
  const toggle = h(doc, 'button', { type: 'button', class: 'expand', 'aria-expanded': String(expanded), 'aria-controls': detailId, 'aria-label': `Details of ${image.source}` }, h(doc, 'span', { class: 'chevron', 'aria-hidden': 'true' }));
  return h(
    doc,
    'tr',
    { class: `row${expanded ? ' open' : ''}` },
    cell('', 'c-toggle', toggle),
    cell('State', 'c-state', stateBadge(doc, image.state), image.running ? h(doc, 'div', { class: 'running', title: 'a copy is running' }, 'running') : undefined),
    cell(
      'Image',
      'c-image',
      h(doc, 'div', { class: 'source mono' }, ...(image.source === '' ? ['(no image)'] : breakable(doc, image.source))),
      image.target !== undefined ? h(doc, 'div', { class: 'target mono' }, h(doc, 'span', { class: 'arrow', 'aria-hidden': 'true' }, '→ '), h(doc, 'span', { class: 'sr-only' }, 'mirrored to '), ...breakable(doc, image.target)) : undefined,
    ),
    cell('Digest', 'c-digest', digestView(ctx, image.digest, false)),
    cell('Platforms', 'c-platforms', platformsView(ctx, image)),
    cell('Used by', 'c-users', usersView(ctx, image)),
    cell('Last error', 'c-error', problemView(ctx, image)),
    cell('Next retry', 'c-time', timeView(ctx, image.nextRetry)),
    cell('Last mirrored', 'c-time', timeView(ctx, image.lastMirrored)),
  );
}

/** A `<dt>`/`<dd>` pair, or nothing when `value` is absent. */
export function fact(doc: PageDocument, term: string, value: Child): PageElement[] {
  if (value === undefined || value === null || value === false || value === '') return [];
  return [h(doc, 'dt', null, term), h(doc, 'dd', null, value)];
}

/** The expanded details of one image: every digest, the references, the last run, all listed users, pull secrets. */
export function imageDetails(ctx: RenderContext, image: ImageView, id: string, columns: number): PageElement {
  const { doc } = ctx;
  const mono = (text: string | undefined): PageElement | undefined => (text === undefined ? undefined : h(doc, 'span', { class: 'mono' }, ...breakable(doc, text)));
  const digests = h(
    doc,
    'table',
    { class: 'digests' },
    h(doc, 'caption', { class: 'sr-only' }, 'Digests'),
    h(doc, 'thead', null, h(doc, 'tr', null, h(doc, 'th', { scope: 'col' }, 'Manifest'), h(doc, 'th', { scope: 'col' }, 'Digest'))),
    h(
      doc,
      'tbody',
      null,
      h(doc, 'tr', null, h(doc, 'th', { scope: 'row' }, image.platforms.length > 0 ? 'index' : 'image'), h(doc, 'td', null, digestView(ctx, image.digest, true))),
      ...image.platforms.map((p) => h(doc, 'tr', null, h(doc, 'th', { scope: 'row', class: 'mono' }, p.platform), h(doc, 'td', null, digestView(ctx, p.digest, true)))),
    ),
  );
  const lastRun = image.lastResult === undefined ? undefined : image.lastBytes !== undefined && image.lastBytes > 0 ? `${image.lastResult}, ${formatBytes(image.lastBytes)} uploaded` : image.lastResult;
  const hidden = hiddenUsers(image);
  const users = h(
    doc,
    'ul',
    { class: 'user-list' },
    ...image.users.map((u) => h(doc, 'li', null, userLabel(u), u.container !== undefined && u.container !== '' ? h(doc, 'span', { class: 'muted' }, ` container ${u.container}`) : undefined)),
    hidden > 0 ? h(doc, 'li', { class: 'more' }, `+${hidden} more not listed`) : undefined,
  );
  const section = (title: string, ...content: Child[]): PageElement => h(doc, 'section', { class: 'detail-section' }, h(doc, 'h3', null, title), ...content);
  return h(
    doc,
    'tr',
    { class: 'detail', id },
    h(
      doc,
      'td',
      { colspan: String(columns) },
      h(
        doc,
        'div',
        { class: 'detail-grid' },
        section('Digests', image.digest === undefined && image.platforms.length === 0 ? h(doc, 'p', { class: 'none' }, 'Nothing mirrored yet.') : digests, image.mediaType !== undefined ? h(doc, 'p', { class: 'muted mono small' }, image.mediaType) : undefined),
        section(
          'References',
          h(doc, 'dl', null, ...fact(doc, 'Source', mono(image.source)), ...fact(doc, 'Pulled from', mono(image.pull)), ...fact(doc, 'Target', mono(image.target)), ...fact(doc, 'Tagged', image.target !== undefined ? (image.tagged ? 'yes' : 'no') : undefined)),
        ),
        section(
          'Last run',
          h(
            doc,
            'dl',
            null,
            ...fact(doc, 'State', stateBadge(doc, image.state)),
            ...fact(doc, 'Running', image.running ? 'yes, a copy is under way' : undefined),
            ...fact(doc, 'Result', lastRun),
            ...fact(doc, 'Reason', image.reason),
            ...fact(doc, 'Error code', image.errorCode !== undefined ? h(doc, 'code', { class: 'code' }, image.errorCode) : undefined),
            ...fact(doc, 'Error', image.lastError !== undefined ? h(doc, 'pre', { class: 'error-text' }, image.lastError) : undefined),
            ...fact(doc, 'Next retry', image.nextRetry !== undefined ? h(doc, 'span', null, timeView(ctx, image.nextRetry), ` (${formatAbsolute(image.nextRetry)})`) : undefined),
            ...fact(doc, 'Last mirrored', image.lastMirrored !== undefined ? h(doc, 'span', null, timeView(ctx, image.lastMirrored), ` (${formatAbsolute(image.lastMirrored)})`) : undefined),
          ),
        ),
        section(`Used by (${image.userCount})`, image.userCount === 0 ? h(doc, 'p', { class: 'none' }, 'Nobody uses it any more.') : users),
        section('Pull secrets', image.pullSecrets !== undefined ? h(doc, 'ul', { class: 'secret-list' }, ...image.pullSecrets.map((s) => h(doc, 'li', { class: 'mono' }, s))) : h(doc, 'p', { class: 'none' }, 'None used (read with the controller’s own credentials).')),
      ),
    ),
  );
}

/** The state tiles: count per state, each a toggle button of the state filter. */
export function stateTiles(doc: PageDocument, states: readonly string[], counts: (state: string) => number, selected: readonly string[]): PageElement[] {
  return states.map((state) => {
    const n = counts(state);
    const pressed = selected.includes(state);
    return h(
      doc,
      'button',
      { type: 'button', class: `tile state-${state}${n === 0 ? ' zero' : ''}`, 'aria-pressed': String(pressed), 'data-state': state, title: `${pressed ? 'Stop showing only' : 'Show only'} ${state} images` },
      h(doc, 'span', { class: 'count' }, String(n)),
      h(doc, 'span', { class: 'label' }, state),
    );
  });
}

/** Queue and throttled registries, under the tiles. */
export function factsLine(ctx: RenderContext, view: StatusView): PageElement[] {
  const { doc } = ctx;
  const q = view.queue;
  const out = [
    h(doc, 'span', { class: 'fact' }, h(doc, 'span', { class: 'fact-label' }, 'Queue'), ` ${q.depth} waiting · ${q.active} running · ${q.delayed} scheduled`),
  ];
  if (view.throttledRegistries.length === 0) out.push(h(doc, 'span', { class: 'fact' }, h(doc, 'span', { class: 'fact-label' }, 'Throttled registries'), ' none'));
  for (const t of view.throttledRegistries) {
    out.push(h(doc, 'span', { class: 'fact warn' }, h(doc, 'span', { class: 'fact-label' }, 'Throttled'), ' ', h(doc, 'span', { class: 'mono' }, t.registry), t.reason !== '' ? ` (${t.reason})` : '', ' until ', timeView(ctx, t.until)));
  }
  return out;
}

/** Notices above the table: dry run / dry pull, a follower replica, watches still listing. */
export function notices(doc: PageDocument, view: StatusView): PageElement[] {
  const out: PageElement[] = [];
  const note = (cls: string, title: string, text: string): PageElement => h(doc, 'div', { class: `notice ${cls}` }, h(doc, 'strong', null, title), ` ${text}`);
  if (view.dryRun) out.push(note('info', 'Dry run.', 'copycat plans and reads, but writes nothing to the target registry.'));
  if (view.dryPull) out.push(note('info', 'Dry pull.', 'copycat only checks that sources can be read; nothing is copied.'));
  const r = view.replica;
  if (r !== undefined && r.mirroring === false) {
    const holder = r.holder !== undefined && r.holder !== '' ? `The lease${r.lease !== undefined ? ` ${r.lease}` : ''} is held by ${r.holder}.` : 'No replica holds the lease yet.';
    out.push(note('warn', 'This replica does not mirror.', `It is waiting for leadership, so its list is empty. ${holder} Open the leader’s status page to see the images.`));
  }
  if (r !== undefined && r.synced === false) out.push(note('info', 'Starting.', 'The watches are still listing the cluster; images may be missing.'));
  return out;
}

/** The replica line in the header: `leader pod-a`, `follower (leader: pod-b)`, or nothing without election info. */
export function replicaLabel(view: StatusView | undefined): string {
  const r = view?.replica;
  if (r === undefined) return '';
  const me = r.identity ?? 'this replica';
  if (r.enabled === false) return `${me} (no leader election)`;
  if (r.leader === true) return `${me} · leader`;
  return `${me} · follower${r.holder !== undefined && r.holder !== '' ? ` (leader: ${r.holder})` : ''}`;
}
