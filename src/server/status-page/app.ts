/**
 * The page's behaviour: reads `status` every `refreshMs` (paused while the tab is hidden), keeps the last good
 * document when a read fails (and says so in a banner), filters rows by text and state with the filter in the URL
 * hash, expands rows into details, copies digests. Embedded in the page by source text like `model.ts`.
 */
import type { PageElement, PageEvent, PageInput, PageWindow } from './dom.ts';
import { countIn, describeFailure, formatClock, formatDuration, formatFilterHash, formatRelative, matchesFilter, needAttention, parseFilterHash, readStatus, serverNow, statesOf, statusUrl } from './model.ts';
import { factsLine, h, imageDetails, imageRow, notices, replicaLabel, stateTiles, type RenderContext } from './render.ts';
import type { FilterState, ImageView, PageConfig, StatusView } from './types.ts';

/** The element with `id`; the page's markup and script ship together, so a missing one is a bug worth a loud error. */
export function required(win: PageWindow, id: string): PageElement {
  const el = win.document.getElementById(id);
  if (el === null) throw new Error(`status page: #${id} is missing`);
  return el;
}

/** `value` as an element when it is one (an event target may be a text node or the window). */
export function asElement(value: unknown): PageElement | null {
  return typeof value === 'object' && value !== null && typeof (value as { closest?: unknown }).closest === 'function' ? (value as PageElement) : null;
}

/** Starts the page: draws what the hash asks for, reads the status, and keeps it current. */
export function startStatusPage(win: PageWindow, config: PageConfig): void {
  const doc = win.document;
  const el = {
    app: required(win, 'app'),
    meta: required(win, 'meta'),
    banner: required(win, 'banner'),
    notices: required(win, 'notices'),
    tiles: required(win, 'tiles'),
    facts: required(win, 'facts'),
    filter: required(win, 'filter') as PageInput,
    clear: required(win, 'clear'),
    shown: required(win, 'shown'),
    rows: required(win, 'rows'),
    empty: required(win, 'empty'),
    updated: required(win, 'updated'),
    replica: required(win, 'replica'),
    refresh: required(win, 'refresh'),
  };
  const columns = 9;
  const url = statusUrl(win.location.pathname);
  interface Entry {
    image: ImageView;
    row: PageElement;
    toggle: PageElement;
    detail: PageElement | undefined;
    detailId: string;
  }
  const state = {
    view: undefined as StatusView | undefined,
    imagesJson: '',
    receivedAt: 0,
    error: undefined as string | undefined,
    filter: parseFilterHash(win.location.hash) as FilterState,
    expanded: new Set<string>(),
    entries: [] as Entry[],
    byRow: new Map<PageElement, Entry>(),
    loading: false,
    refreshTimer: undefined as number | undefined,
    clockTimer: undefined as number | undefined,
  };

  function context(): RenderContext {
    return { doc, now: serverNow(state.view?.generatedAt, state.receivedAt, Date.now()), canCopy: win.navigator.clipboard !== undefined };
  }

  function drawSummary(): void {
    const view = state.view;
    if (view === undefined) return;
    const ctx = context();
    // The tiles are rebuilt on every read; a tile that had the keyboard focus gets it back.
    const focusedState = asElement(doc.activeElement)?.closest('button.tile')?.getAttribute('data-state');
    const tiles = stateTiles(doc, statesOf(view, config.states), (s) => countIn(view, s), state.filter.states);
    el.tiles.replaceChildren(...tiles);
    tiles.find((t) => focusedState !== undefined && focusedState !== null && t.getAttribute('data-state') === focusedState)?.focus();
    el.facts.replaceChildren(...factsLine(ctx, view));
    el.notices.replaceChildren(...notices(doc, view));
    el.replica.textContent = replicaLabel(view);
    const attention = needAttention(view);
    doc.title = attention > 0 ? `(${attention}) copycat status` : 'copycat status';
  }

  function drawRows(): void {
    const view = state.view;
    if (view === undefined) return;
    const ctx = context();
    const focusedKey = state.entries.find((e) => e.toggle === doc.activeElement)?.image.key;
    state.byRow.clear();
    state.entries = view.images.map((image, i) => {
      const detailId = `detail-${i}`;
      const open = state.expanded.has(image.key);
      const row = imageRow(ctx, image, detailId, open);
      const entry: Entry = { image, row, toggle: row.querySelector('button.expand') ?? row, detail: open ? imageDetails(ctx, image, detailId, columns) : undefined, detailId };
      state.byRow.set(row, entry);
      return entry;
    });
    el.rows.replaceChildren(...state.entries.flatMap((e) => (e.detail !== undefined ? [e.row, e.detail] : [e.row])));
    applyFilter();
    state.entries.find((e) => e.image.key === focusedKey)?.toggle.focus();
  }

  function applyFilter(): void {
    let shown = 0;
    for (const e of state.entries) {
      const visible = matchesFilter(e.image, state.filter);
      if (visible) shown++;
      e.row.hidden = !visible;
      if (e.detail !== undefined) e.detail.hidden = !visible || !state.expanded.has(e.image.key);
    }
    const total = state.entries.length;
    const filtering = state.filter.text.trim() !== '' || state.filter.states.length > 0;
    el.shown.textContent = state.view === undefined ? '' : filtering ? `Showing ${shown} of ${total} images` : `${total} image${total === 1 ? '' : 's'}`;
    el.clear.hidden = !filtering;
    el.empty.hidden = state.view === undefined || shown > 0;
    el.empty.textContent = total === 0 ? 'No images yet: copycat has not seen a workload whose images it mirrors.' : 'No image matches the filter.';
    for (const tile of Array.from(el.tiles.querySelectorAll('button.tile'))) {
      tile.setAttribute('aria-pressed', String(state.filter.states.includes(tile.getAttribute('data-state') ?? '')));
    }
  }

  function setFilter(next: FilterState): void {
    state.filter = next;
    const hash = formatFilterHash(next);
    win.history.replaceState(null, '', hash === '' ? `${win.location.pathname}${win.location.search}` : `#${hash}`);
    applyFilter();
  }

  function toggle(entry: Entry): void {
    const open = !state.expanded.has(entry.image.key);
    if (open) state.expanded.add(entry.image.key);
    else state.expanded.delete(entry.image.key);
    entry.toggle.setAttribute('aria-expanded', String(open));
    entry.row.classList.toggle('open', open);
    if (open && entry.detail === undefined) {
      entry.detail = imageDetails(context(), entry.image, entry.detailId, columns);
      entry.row.after(entry.detail);
    }
    if (entry.detail !== undefined) entry.detail.hidden = !open || entry.row.hidden;
  }

  function tick(): void {
    const now = serverNow(state.view?.generatedAt, state.receivedAt, Date.now());
    for (const t of Array.from(el.app.querySelectorAll('time[data-rel]'))) {
      t.textContent = formatRelative(t.getAttribute('datetime') ?? '', now);
    }
    if (state.view === undefined) {
      el.updated.textContent = state.error === undefined ? 'Loading…' : 'Not loaded';
    } else {
      const ago = formatRelative(new Date(state.receivedAt).toISOString(), Date.now());
      el.updated.textContent = `Updated ${formatClock(state.receivedAt)}${ago === 'now' ? '' : ` (${ago})`}`;
    }
    el.updated.classList.toggle('stale', state.error !== undefined);
  }

  function drawBanner(): void {
    if (state.error === undefined) {
      el.banner.hidden = true;
      el.banner.replaceChildren();
      return;
    }
    const kept = state.view === undefined ? 'No data yet.' : `Showing the data received at ${formatClock(state.receivedAt)}.`;
    el.banner.replaceChildren(h(doc, 'strong', null, 'Cannot load the status:'), ` ${state.error}. ${kept} Retrying every ${formatDuration(config.refreshMs)}.`);
    el.banner.hidden = false;
  }

  async function load(): Promise<void> {
    if (state.loading) return;
    state.loading = true;
    win.clearTimeout(state.refreshTimer);
    el.refresh.setAttribute('aria-busy', 'true');
    try {
      const res = await win.fetch(url, { cache: 'no-store', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(Math.max(10_000, 2 * config.refreshMs)) });
      const body = await res.text();
      if (!res.ok) throw new Error(describeFailure(res.status, res.statusText, body));
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch {
        throw new Error('the answer is not JSON');
      }
      const view = readStatus(raw);
      const imagesJson = JSON.stringify(view.images);
      state.view = view;
      state.receivedAt = Date.now();
      state.error = undefined;
      drawSummary();
      // Unchanged rows are left alone, so a selection, the focus or an open row survive the refresh.
      if (imagesJson !== state.imagesJson) {
        state.imagesJson = imagesJson;
        drawRows();
      } else applyFilter();
    } catch (err) {
      state.error = err instanceof Error ? err.message : String(err);
    } finally {
      state.loading = false;
      el.refresh.setAttribute('aria-busy', 'false');
      drawBanner();
      tick();
      if (!doc.hidden) state.refreshTimer = win.setTimeout(() => void load(), config.refreshMs);
    }
  }

  function clock(): void {
    tick();
    state.clockTimer = doc.hidden ? undefined : win.setTimeout(clock, 1000);
  }

  el.filter.addEventListener('input', () => setFilter({ text: el.filter.value, states: state.filter.states }));
  el.clear.addEventListener('click', () => {
    el.filter.value = '';
    setFilter({ text: '', states: [] });
    el.filter.focus();
  });
  el.tiles.addEventListener('click', (event: PageEvent) => {
    const tile = asElement(event.target)?.closest('button.tile');
    const picked = tile?.getAttribute('data-state');
    if (picked === undefined || picked === null) return;
    const states = state.filter.states.includes(picked) ? state.filter.states.filter((s) => s !== picked) : [...state.filter.states, picked];
    setFilter({ text: state.filter.text, states });
  });
  el.rows.addEventListener('click', (event: PageEvent) => {
    const target = asElement(event.target);
    if (target === null) return;
    const copy = target.closest('button.copy');
    if (copy !== null) {
      const value = copy.getAttribute('data-copy') ?? '';
      void win.navigator.clipboard?.writeText(value).then(
        () => {
          copy.textContent = 'Copied';
          win.setTimeout(() => (copy.textContent = 'Copy'), 1500);
        },
        () => (copy.textContent = 'Failed'),
      );
      return;
    }
    const row = target.closest('tr.row');
    const entry = row === null ? undefined : state.byRow.get(row);
    if (entry === undefined) return;
    // A click that ends a text selection (copying an image name) is not a request to expand.
    if (target.closest('button.expand') === null && (win.getSelection()?.toString() ?? '') !== '') return;
    toggle(entry);
  });
  el.refresh.addEventListener('click', () => void load());
  win.addEventListener('hashchange', () => {
    state.filter = parseFilterHash(win.location.hash);
    el.filter.value = state.filter.text;
    applyFilter();
  });
  doc.addEventListener('keydown', (event: PageEvent) => {
    // `/` jumps to the filter box, as on many code hosts; not while typing somewhere.
    const active = asElement(doc.activeElement);
    if (event.key === '/' && (active === null || !/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) {
      event.preventDefault();
      el.filter.focus();
    }
  });
  doc.addEventListener('visibilitychange', () => {
    win.clearTimeout(state.refreshTimer);
    win.clearTimeout(state.clockTimer);
    if (!doc.hidden) {
      clock();
      void load();
    }
  });

  el.filter.value = state.filter.text;
  el.app.hidden = false;
  el.meta.hidden = false;
  clock();
  void load();
}
