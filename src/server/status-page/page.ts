/**
 * Assembles the status page: one HTML document with its stylesheet and script inline, so it needs no build step,
 * no extra route and no asset from the network. The script is the functions of `model.ts`, `render.ts` and
 * `app.ts` by their source text (Node strips the types, `tsc` emits them as JavaScript: either way the text is
 * plain JavaScript), so the code the browser runs is the code the unit tests import. The Content-Security-Policy
 * allows exactly this script and stylesheet by their SHA-256, computed here when the page is built.
 */
import { createHash } from 'node:crypto';
import { ServerError } from '../errors.ts';
import type { StatusPage } from '../routes.ts';
import * as app from './app.ts';
import * as model from './model.ts';
import * as render from './render.ts';
import { STATUS_PAGE_CSS } from './styles.ts';
import type { PageConfig } from './types.ts';

/** Seconds between two reads of `/status` by default. */
export const DEFAULT_REFRESH_MS = 5_000;

/** The image states in the order the tiles show them: the controller's `JOB_STATES` (a test keeps them equal). */
export const STATUS_PAGE_STATES: readonly string[] = ['pending', 'mirrored', 'partial', 'failed', 'cooldown', 'skipped', 'invalid'];

/** What {@link buildStatusPage} can change. */
export interface StatusPageOptions {
  /** Milliseconds between two reads of `/status` (default {@link DEFAULT_REFRESH_MS}); tests shorten it. */
  refreshMs?: number | undefined;
}

/** Every function the page's script consists of, by name. */
export function clientFunctions(): Map<string, (...args: never[]) => unknown> {
  const out = new Map<string, (...args: never[]) => unknown>();
  for (const mod of [model, render, app]) {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function') continue;
      if (out.has(name)) throw new ServerError('STATUS_PAGE_INVALID', `status page: two client functions are named ${JSON.stringify(name)}`);
      out.set(name, value as (...args: never[]) => unknown);
    }
  }
  return out;
}

/** The page's script: every client function, then the call that starts the page, in a block of its own. */
export function clientScript(config: PageConfig): string {
  const functions = [...clientFunctions().values()].map((f) => f.toString());
  // `<` escaped: the JSON sits inside <script>, where `</script>` in a string would end the element.
  const settings = JSON.stringify(config).replace(/</g, '\\u003c');
  return `\n(() => {\n'use strict';\n${functions.join('\n\n')}\n\nstartStatusPage(window, ${settings});\n})();\n`;
}

/** `'sha256-…'` of `text` for a CSP source list. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The policy of the page: nothing but its own inline script and style (by hash), `fetch` to its own origin,
 * data: images for the favicon; no framing, no `<base>`, no forms; and Trusted Types, so that even a future
 * `innerHTML` slipped into the script would throw instead of parsing cluster data as markup.
 */
export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    'img-src data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

// A copy mark, drawn in the header and as the favicon.
const ICON_PATHS = '<rect x="9" y="3" width="14" height="14" rx="3" fill="none" stroke="currentColor" stroke-width="2"/><rect x="3" y="9" width="14" height="14" rx="3" fill="currentColor" opacity=".35"/><rect x="3" y="9" width="14" height="14" rx="3" fill="none" stroke="currentColor" stroke-width="2"/>';
const FAVICON = `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 26 26" color="#2b59c3">${ICON_PATHS}</svg>`)}`;

/** The page's markup around `script` and `style` (nothing in it comes from the cluster). */
function pageHtml(script: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>copycat status</title>
<link rel="icon" href="${FAVICON}">
<style>${style}</style>
</head>
<body>
<header class="top">
  <div class="brand"><svg viewBox="0 0 26 26" aria-hidden="true">${ICON_PATHS}</svg><span class="name">copycat</span><span class="sub">mirror status</span></div>
  <div id="meta" class="meta" hidden><span id="replica" class="replica"></span><span id="updated" class="updated" aria-live="polite">Loading…</span><button id="refresh" type="button" class="button">Refresh</button></div>
</header>
<noscript><div class="noscript">This page needs JavaScript to show the mirror status. The same information is at <a href="status">status</a> (JSON).</div></noscript>
<main id="app" hidden>
  <div id="banner" class="banner" role="alert" hidden></div>
  <div id="notices"></div>
  <section class="summary" aria-label="Images per state">
    <div id="tiles" class="tiles" role="group" aria-label="Show only images in these states"></div>
    <div id="facts" class="facts"></div>
  </section>
  <div class="controls" role="search">
    <label for="filter" class="sr-only">Filter images</label>
    <input id="filter" type="search" placeholder="Filter by image, digest, user, error or state   ( / )" autocomplete="off" spellcheck="false" aria-describedby="shown">
    <button id="clear" type="button" class="button ghost" hidden>Clear filter</button>
    <span id="shown" class="shown" aria-live="polite"></span>
  </div>
  <div class="table-wrap">
    <table class="images">
      <caption class="sr-only">Images copycat mirrors; each row's first button shows its details</caption>
      <thead><tr><th scope="col"><span class="sr-only">Details</span></th><th scope="col">State</th><th scope="col">Image</th><th scope="col">Digest</th><th scope="col">Platforms</th><th scope="col">Used by</th><th scope="col">Last error</th><th scope="col">Next retry</th><th scope="col">Last mirrored</th></tr></thead>
      <tbody id="rows"></tbody>
    </table>
  </div>
  <p id="empty" class="empty" hidden></p>
</main>
<script>${script}</script>
</body>
</html>
`;
}

/** Builds the page (markup, inline script and style, and the policy that allows exactly them). */
export function buildStatusPage(options: StatusPageOptions = {}): StatusPage & { contentSecurityPolicy: string } {
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  if (!Number.isInteger(refreshMs) || refreshMs < 100) throw new ServerError('STATUS_PAGE_INVALID', `status page refresh must be a whole number of milliseconds ≥ 100, got ${JSON.stringify(refreshMs)}`);
  const script = clientScript({ refreshMs, states: [...STATUS_PAGE_STATES] });
  const style = STATUS_PAGE_CSS;
  // The inline elements end at the first `</script` or `</style`: neither may occur inside them.
  if (/<\/script|<!--/i.test(script) || /<\/style/i.test(style)) throw new ServerError('STATUS_PAGE_INVALID', 'status page: the inline script or style contains its own end tag');
  return { html: pageHtml(script, style), contentSecurityPolicy: contentSecurityPolicy(script, style) };
}

let defaultPage: (StatusPage & { contentSecurityPolicy: string }) | undefined;

/** The page `copycat controller` serves at `/` (built once, on first use). */
export function statusPage(): StatusPage & { contentSecurityPolicy: string } {
  defaultPage ??= buildStatusPage();
  return defaultPage;
}
