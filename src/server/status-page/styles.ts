/**
 * The page's stylesheet: system fonts only, no external asset (the page must work air-gapped), light and dark
 * schemes, and a card layout below 820 px where the table's columns no longer fit.
 */
export const STATUS_PAGE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --panel: #ffffff; --panel-2: #f9fafb; --text: #1c2128; --muted: #5d6673; --faint: #8b939e;
  --border: #dfe3e8; --border-strong: #c9ced6; --accent: #2b59c3; --accent-bg: #e8efff; --row-hover: #f6f8fb;
  --head-bg: #151b26; --head-text: #e8ebf0; --head-muted: #9aa4b2;
  --danger: #b42318; --danger-bg: #fdeceb; --warn: #8a5300; --warn-bg: #fff4e0; --info: #1f56b5; --info-bg: #eaf1ff;
  --s-pending: #1f5fd1; --s-pending-bg: #e6efff;
  --s-mirrored: #17773a; --s-mirrored-bg: #e3f4e8;
  --s-partial: #7a5d00; --s-partial-bg: #fbf1cc;
  --s-failed: #b42318; --s-failed-bg: #fde8e6;
  --s-cooldown: #a14b00; --s-cooldown-bg: #ffeedd;
  --s-skipped: #555e6a; --s-skipped-bg: #eceef1;
  --s-invalid: #7a3fd0; --s-invalid-bg: #f1eafd;
  --s-other: #555e6a; --s-other-bg: #eceef1;
  --mono: ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f131a; --panel: #171c24; --panel-2: #1b212b; --text: #e4e8ee; --muted: #a0a9b6; --faint: #6f7886;
    --border: #2a313c; --border-strong: #3a4350; --accent: #7ea2ff; --accent-bg: #1d2a45; --row-hover: #1c222c;
    --head-bg: #0b0e13;
    --danger: #ff8a80; --danger-bg: #3a1c1c; --warn: #ffc46b; --warn-bg: #352814; --info: #8fb3ff; --info-bg: #19243a;
    --s-pending: #8fb3ff; --s-pending-bg: #1b2740;
    --s-mirrored: #6fd694; --s-mirrored-bg: #16301f;
    --s-partial: #e9c95b; --s-partial-bg: #332b10;
    --s-failed: #ff8a80; --s-failed-bg: #3a1c1c;
    --s-cooldown: #ffb36b; --s-cooldown-bg: #3a2614;
    --s-skipped: #aab2bd; --s-skipped-bg: #242a33;
    --s-invalid: #c6a5ff; --s-invalid-bg: #2a2040;
    --s-other: #aab2bd; --s-other-bg: #242a33;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.mono, code, pre { font-family: var(--mono); font-size: 12.5px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.none { color: var(--faint); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

.top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 24px; padding: 12px 24px; background: var(--head-bg); color: var(--head-text); }
.brand { display: flex; align-items: center; gap: 10px; font-size: 16px; }
.brand svg { width: 24px; height: 24px; flex: none; }
.brand .name { font-weight: 700; letter-spacing: .01em; }
.brand .sub { color: var(--head-muted); }
.meta { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; font-size: 13px; color: var(--head-muted); }
.meta .replica:empty { display: none; }
.updated::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%; background: #3fb968; vertical-align: 1px; }
.updated.stale::before { background: #f06b5d; }
.top .button { color: var(--head-text); background: transparent; border-color: #3a4454; }
.top .button:hover { background: #232b38; }

.button { font: inherit; font-size: 13px; padding: 5px 12px; border: 1px solid var(--border-strong); border-radius: 6px; background: var(--panel); color: var(--text); cursor: pointer; }
.button:hover { background: var(--row-hover); }
.button[aria-busy="true"] { opacity: .7; }
.button.ghost { border-color: transparent; color: var(--accent); background: transparent; }
.button.ghost:hover { background: var(--accent-bg); }

main { max-width: 1680px; margin: 0 auto; padding: 20px 24px 40px; }
.noscript { margin: 24px; padding: 16px; border: 1px solid var(--border); border-radius: 8px; background: var(--panel); }

.banner { margin-bottom: 16px; padding: 12px 16px; border: 1px solid var(--danger); border-left-width: 4px; border-radius: 8px; background: var(--danger-bg); color: var(--danger); overflow-wrap: anywhere; }
.notice { margin-bottom: 12px; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--border); border-left: 4px solid var(--info); background: var(--panel); }
.notice.info { border-left-color: var(--info); }
.notice.warn { border-left-color: var(--warn); background: var(--warn-bg); }

.summary { margin-bottom: 16px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 8px; }
.tile { display: flex; flex-direction: column; align-items: flex-start; gap: 2px; padding: 10px 12px; border: 1px solid var(--border); border-left: 4px solid var(--c, var(--border-strong)); border-radius: 8px; background: var(--panel); color: var(--text); font: inherit; text-align: left; cursor: pointer; }
.tile:hover { border-color: var(--c); }
.tile .count { font-size: 22px; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.tile .label { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; color: var(--c); }
.tile.zero { opacity: .55; }
.tile[aria-pressed="true"] { background: var(--cb); border-color: var(--c); box-shadow: inset 0 0 0 1px var(--c); opacity: 1; }
.state-pending { --c: var(--s-pending); --cb: var(--s-pending-bg); }
.state-mirrored { --c: var(--s-mirrored); --cb: var(--s-mirrored-bg); }
.state-partial { --c: var(--s-partial); --cb: var(--s-partial-bg); }
.state-failed { --c: var(--s-failed); --cb: var(--s-failed-bg); }
.state-cooldown { --c: var(--s-cooldown); --cb: var(--s-cooldown-bg); }
.state-skipped { --c: var(--s-skipped); --cb: var(--s-skipped-bg); }
.state-invalid { --c: var(--s-invalid); --cb: var(--s-invalid-bg); }
.state-other { --c: var(--s-other); --cb: var(--s-other-bg); }
.facts { display: flex; flex-wrap: wrap; gap: 6px 20px; margin-top: 10px; font-size: 13px; color: var(--muted); }
.fact-label { font-weight: 600; color: var(--text); }
.fact.warn, .fact.warn .fact-label { color: var(--warn); }

.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin-bottom: 12px; }
#filter { flex: 0 1 460px; min-width: 0; width: 100%; padding: 7px 12px; font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--border-strong); border-radius: 6px; }
#filter:focus { border-color: var(--accent); outline: 2px solid var(--accent-bg); outline-offset: 0; }
.shown { margin-left: auto; color: var(--muted); font-size: 13px; }

.table-wrap { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; overflow-x: auto; box-shadow: 0 1px 2px rgba(16, 24, 40, .04); }
table.images { width: 100%; border-collapse: collapse; table-layout: auto; }
table.images > thead th { padding: 9px 10px; background: var(--panel-2); border-bottom: 1px solid var(--border); text-align: left; vertical-align: bottom; font-size: 11.5px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); }
table.images > tbody > tr > td { padding: 9px 10px; border-top: 1px solid var(--border); vertical-align: top; }
table.images > tbody > tr:first-child > td { border-top: 0; }
tr.row { cursor: pointer; }
tr.row:hover > td { background: var(--row-hover); }
tr.row.open > td { background: var(--accent-bg); border-bottom: 0; }
td.c-toggle { width: 36px; padding-right: 0 !important; }
td.c-state { width: 96px; white-space: nowrap; }
td.c-image { min-width: 260px; }
td.c-digest { width: 150px; white-space: nowrap; }
td.c-platforms { width: 120px; }
td.c-users { min-width: 150px; max-width: 240px; }
td.c-error { min-width: 230px; max-width: 340px; }
td.c-time { width: 84px; white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
.source { font-weight: 600; overflow-wrap: anywhere; }
.target { margin-top: 2px; color: var(--muted); overflow-wrap: anywhere; }
.arrow { color: var(--faint); }

.expand { display: inline-flex; align-items: center; justify-content: center; width: 26px; height: 26px; padding: 0; border: 1px solid transparent; border-radius: 6px; background: transparent; color: var(--muted); cursor: pointer; }
.expand:hover { border-color: var(--border-strong); background: var(--panel); }
.chevron { width: 7px; height: 7px; border-right: 2px solid currentColor; border-bottom: 2px solid currentColor; transform: rotate(-45deg); transition: transform .12s ease; }
.expand[aria-expanded="true"] .chevron { transform: rotate(45deg); }

.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; background: var(--cb); color: var(--c); font-size: 12px; font-weight: 600; line-height: 1.6; }
.running { display: flex; align-items: center; gap: 5px; margin: 4px 0 0 2px; font-size: 12px; color: var(--s-pending); }
.running::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor; animation: pulse 1.2s ease-in-out infinite; }
@keyframes pulse { 50% { opacity: .25; } }
@media (prefers-reduced-motion: reduce) { .running::before { animation: none; } .chevron { transition: none; } }

.digest { display: inline-flex; align-items: center; gap: 6px; }
.digest code.full { overflow-wrap: anywhere; white-space: normal; }
.digest code { user-select: all; }
.copy { padding: 0 6px; font: inherit; font-size: 11px; line-height: 18px; color: var(--accent); background: transparent; border: 1px solid var(--border); border-radius: 4px; cursor: pointer; opacity: 0; }
tr:hover .copy, .detail .copy, .copy:focus-visible { opacity: 1; }
.copy:hover { background: var(--accent-bg); }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { padding: 0 6px; border-radius: 4px; background: var(--panel-2); border: 1px solid var(--border); font-family: var(--mono); font-size: 11.5px; line-height: 18px; white-space: nowrap; }
.users { display: flex; flex-direction: column; }
.user { overflow-wrap: break-word; }
.more { color: var(--muted); font-size: 12px; }
.problem { display: block; }
.problem .message { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; color: var(--danger); overflow-wrap: anywhere; }
code.code { display: inline-block; margin: 0 0 2px; padding: 0 6px; border-radius: 4px; background: var(--danger-bg); color: var(--danger); font-size: 11px; line-height: 18px; }
.reason { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; color: var(--muted); overflow-wrap: anywhere; }

tr.detail > td { padding: 4px 16px 18px 46px !important; background: var(--accent-bg); border-top: 0 !important; cursor: auto; }
.detail-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.detail-section { padding: 12px 14px; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; min-width: 0; }
.detail-section h3 { margin: 0 0 8px; font-size: 12px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); }
.detail-section p { margin: 6px 0 0; }
.detail-section dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 14px; margin: 0; }
.detail-section dt { color: var(--muted); }
.detail-section dd { margin: 0; overflow-wrap: anywhere; }
table.digests { width: 100%; border-collapse: collapse; }
table.digests th, table.digests td { padding: 3px 0; text-align: left; vertical-align: top; border-top: 1px solid var(--border); }
table.digests thead th { border-top: 0; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
table.digests tbody th { padding-right: 14px; font-weight: 500; white-space: nowrap; }
pre.error-text { margin: 0; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--danger-bg); color: var(--danger); border-radius: 6px; }
.user-list, .secret-list { margin: 0; padding-left: 18px; max-height: 220px; overflow: auto; }
.empty { padding: 32px; text-align: center; color: var(--muted); }

@media (max-width: 820px) {
  .top, main { padding-left: 12px; padding-right: 12px; }
  .shown { margin-left: 0; width: 100%; }
  #filter { flex: 1 1 100%; }
  .table-wrap { background: transparent; border: 0; box-shadow: none; overflow: visible; }
  table.images, table.images > tbody, table.images > tbody > tr, table.images > tbody > tr > td { display: block; width: 100%; max-width: none; min-width: 0; }
  table.images > thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr.row { position: relative; margin-top: 10px; padding: 10px 12px; background: var(--panel); border: 1px solid var(--border); border-radius: 10px; }
  tr.row.open { border-bottom-left-radius: 0; border-bottom-right-radius: 0; }
  tr.row > td { padding: 3px 0 !important; border: 0 !important; background: transparent !important; }
  tr.row > td[data-label]:not([data-label=""])::before { content: attr(data-label); display: block; font-size: 11px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; color: var(--faint); }
  tr.row > td.c-state::before, tr.row > td.c-image::before { display: none !important; }
  tr.row > td:has(> .none) { display: none; }
  table.images > tbody > tr.row > td.c-toggle { position: absolute; top: 8px; right: 8px; width: auto; padding: 0 !important; }
  table.images > tbody > tr.row > td.c-state { padding-right: 40px !important; }
  .copy { opacity: 1; }
  tr.detail > td { padding: 10px !important; border: 1px solid var(--border) !important; border-top: 0 !important; border-radius: 0 0 10px 10px; }
  .detail-grid { grid-template-columns: minmax(0, 1fr); }
  table.digests tbody th { white-space: normal; }
}
`;
