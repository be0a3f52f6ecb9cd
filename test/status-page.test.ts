/**
 * The status page (`GET /` on the metrics port) in a real browser: Debian's Chromium driven by playwright-core,
 * against the real `startServer`, serving the `/status` document of a real `Controller` that mirrored between
 * in-memory registries: a multi-platform index and single images mirrored, a 429 (failed, retry scheduled, the
 * registry throttled), an image held back behind that throttle (pending), a copy hanging mid-flight (running), a
 * missing tag (cooldown), an excluded registry (skipped), and references carrying `<script>`/`<img onerror>`
 * (invalid, their names in the error text). Screenshots go to `test-output/status-page/`.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { replicaStatus } from '../src/cli/wiring/status.ts';
import { Controller, defaultRules, JOB_STATES, namespaceFilter, parseMirrorPlatforms, skipListsFrom, type ControllerStatus } from '../src/controller/index.ts';
import { seedImage, seedIndex, startMemoryRegistry, type MemoryRegistry } from '../src/controller/memory-registry.fixture.ts';
import { pod, quickClient, workload } from '../src/controller/test-support.fixture.ts';
import { buildStatusPage, startServer, STATUS_PAGE_STATES, type StatusView } from '../src/server/index.ts';
import { DockerTarget } from '../src/targets/index.ts';
import { closeHttpServer, listenEphemeral, waitUntil } from './support/net.ts';

const SHOTS = join(import.meta.dirname, '..', 'test-output', 'status-page');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const IMG_PAYLOAD = '<img src=x onerror=alert(1)>';
const SCRIPT_PAYLOAD = 'evil.example/<script>alert(document.domain)</script>';
const NO_SKIPS = { deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods: [] };
const LEADERSHIP = { enabled: true, identity: 'copycat-6d5f8-x2kqp', leader: true, holder: 'copycat-6d5f8-x2kqp', lease: 'copycat/k8s-copycat.k8s-copycat' };

/** A source registry that answers every manifest request with 429 + Retry-After, or never (`hang`). */
async function startOddRegistry(t: TestContext, behaviour: 'throttle' | 'hang'): Promise<{ host: string }> {
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/v2/') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    if (behaviour === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const body = JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'pull rate limit exceeded' }] });
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '900', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  const port = await listenEphemeral(server);
  t.after(async () => {
    for (const res of hanging) res.destroy();
    await closeHttpServer(server);
  });
  return { host: `127.0.0.1:${port}` };
}

/** The fixture: registries, a started controller with every kind of row, and the sources it reads. */
async function mirroringController(t: TestContext): Promise<{ controller: Controller; src: MemoryRegistry; throttled: string; slow: string }> {
  const [src, dst] = await Promise.all([startMemoryRegistry(), startMemoryRegistry()]);
  t.after(() => Promise.all([src.close(), dst.close()]));
  const throttled = (await startOddRegistry(t, 'throttle')).host;
  const slow = (await startOddRegistry(t, 'hang')).host;
  seedIndex(src, 'team/api', ['linux/amd64', 'linux/arm64'], { tag: '2.4' });
  seedIndex(src, 'team/worker', ['linux/amd64', 'linux/arm64', 'linux/s390x'], { tag: '7' });
  seedImage(src, 'library/nginx', { tag: '1.27' });
  const controller = new Controller({
    rules: defaultRules(dst.host, { repoPrefix: 'mirror', mirrorPlatforms: parseMirrorPlatforms(['linux/amd64', 'linux/arm64']), excludeRegistries: ['registry.internal.example'] }),
    target: new DockerTarget({ registry: dst.host }),
    source: quickClient(),
    targetClient: quickClient(),
    filters: { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS) },
    retryBackoffMs: 0,
    failureCooldownMs: 3_600_000,
  });
  controller.start();
  t.after(() => controller.stop());

  controller.observe(workload('Deployment', 'shop', 'api', [{ name: 'app', image: `${src.host}/team/api:2.4` }]));
  for (let i = 0; i < 60; i++) {
    controller.observe(pod('shop', `api-7d9c5-${String(i).padStart(2, '0')}`, [{ name: 'app', image: `${src.host}/team/api:2.4` }], { owner: { kind: 'ReplicaSet', name: 'api-7d9c5' } }));
  }
  controller.observe(pod('batch', 'worker-0', [{ name: 'worker', image: `${src.host}/team/worker:7` }]));
  controller.observe(pod('web', 'frontend-0', [{ name: 'nginx', image: `${src.host}/library/nginx:1.27` }, { name: 'sidecar', image: `${src.host}/team/gone:1` }]));
  controller.observe(pod('ops', 'toolbox', [{ name: 'tool', image: 'registry.internal.example/ops/tool:1' }]));
  controller.observe(pod('evil', 'xss', [{ name: 'a', image: IMG_PAYLOAD }, { name: 'b', image: SCRIPT_PAYLOAD }, { name: 'c', image: `${throttled}/library/redis:7` }]));
  const find = (source: string) => controller.status().images.find((i) => i.source === source);
  await waitUntil('the first images settled', async () => find(`${throttled}/library/redis:7`)?.state === 'failed' && find(`${src.host}/team/gone:1`)?.state === 'cooldown' && find(`${src.host}/team/api:2.4`)?.state === 'mirrored' && find(`${src.host}/team/worker:7`)?.state === 'mirrored' && find(`${src.host}/library/nginx:1.27`)?.state === 'mirrored');
  // Observed after the 429: held back behind the throttled registry, and a copy that hangs (running).
  controller.observe(pod('cache', 'memcached-0', [{ name: 'memcached', image: `${throttled}/library/memcached:1.6` }]));
  controller.observe(pod('data', 'loader-0', [{ name: 'loader', image: `${slow}/data/loader:3` }]));
  await waitUntil('the held and the running image', async () => find(`${throttled}/library/memcached:1.6`)?.reason !== undefined && find(`${slow}/data/loader:3`)?.running === true);
  return { controller, src, throttled, slow };
}

/** Launches Debian's Chromium (playwright gives it a fresh temporary profile); closed when the test ends. */
async function launchBrowser(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  return browser;
}

/** A page that records dialogs, page errors and CSP violations (the test fails on any). */
async function openPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status 500|Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

/**
 * The browser globals the page-side predicates touch. The project compiles without the DOM library; predicates
 * are functions (serialised by playwright), not strings, because the page's CSP rightly forbids `eval`.
 */
interface BrowserGlobals {
  document: {
    activeElement: { id: string } | null;
    documentElement: { scrollWidth: number; clientWidth: number };
    querySelectorAll(selector: string): ArrayLike<{ hidden: boolean; textContent: string | null; querySelector(selector: string): { textContent: string | null } | null }>;
  };
  navigator: { clipboard: { readText(): Promise<string> } };
}

const visibleRows = (page: Page) => page.locator('#rows tr.row:visible');
/** Waits until `n` rows are visible (on the DOM, no fixed sleep). */
const waitForVisibleRows = (page: Page, n: number) =>
  page.waitForFunction((want) => Array.from((globalThis as unknown as BrowserGlobals).document.querySelectorAll('#rows tr.row')).filter((r) => !r.hidden).length === want, n);

test('the status page in Chromium', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const { controller, src, throttled, slow } = await mirroringController(t);
  let broken = false;
  const status = () => {
    if (broken) throw new Error('store closed');
    return replicaStatus(controller, LEADERSHIP, true, { dryRun: false, dryPull: false });
  };
  // The page reads the same document type the controller process serves (a renamed field fails to compile here).
  const asView: StatusView = status();
  assert.ok(asView.images.length > 0);
  const server = await startServer({ metricsAddr: '127.0.0.1:0', probeAddr: '', health: () => true, ready: () => true, status, statusPage: buildStatusPage({ refreshMs: 500 }) });
  t.after(() => server.stop());
  const base = `${server.metricsUrl}/`;
  const browser = await launchBrowser(t);
  const doc: ControllerStatus = controller.status();
  const total = doc.images.length;
  const api = doc.images.find((i) => i.source === `${src.host}/team/api:2.4`)!;

  await t.test('the states it shows are the controller\'s', () => {
    assert.deepEqual(STATUS_PAGE_STATES, JOB_STATES);
  });

  await t.test('renders every image with its state, digest, platforms, users, error and retry', async (t) => {
    const { page, problems, context } = await openPage(browser);
    t.after(() => context.close());
    const response = await page.goto(base);
    assert.equal(response?.headers()['content-security-policy']?.startsWith("default-src 'none'"), true);
    await waitForVisibleRows(page, total);
    assert.equal(total, 10);
    const apiRow = page.locator('#rows tr.row', { hasText: 'team/api:2.4' });
    assert.equal(await apiRow.locator('.badge').textContent(), 'mirrored');
    assert.deepEqual(await apiRow.locator('.chip').allTextContents(), ['linux/amd64', 'linux/arm64']);
    assert.equal(await apiRow.locator('.digest code').getAttribute('title'), api.digest);
    assert.equal(await apiRow.locator('.digest code').textContent(), api.digest!.slice(0, 'sha256:'.length + 12));
    assert.deepEqual(await apiRow.locator('.user').allTextContents(), ['Deployment shop/api', 'Pod shop/api-7d9c5-00']);
    assert.equal(await apiRow.locator('.more').textContent(), '+59 more', '61 users, two shown');
    const failed = page.locator('#rows tr.row', { hasText: `${throttled}/library/redis:7` });
    assert.equal(await failed.locator('.badge').textContent(), 'failed');
    assert.equal(await failed.locator('code.code').textContent(), 'TOOMANYREQUESTS');
    assert.match((await failed.locator('.c-time time').first().textContent()) ?? '', /^in 1[45] min$/);
    const held = page.locator('#rows tr.row', { hasText: 'library/memcached:1.6' });
    assert.equal(await held.locator('.badge').textContent(), 'pending');
    assert.match((await held.locator('.reason').textContent()) ?? '', /^waiting for 127\.0\.0\.1:\d+ \(Retry-After\)$/);
    assert.equal(await page.locator('#rows tr.row', { hasText: `${slow}/data/loader:3` }).locator('.running').textContent(), 'running');
    assert.equal(await page.locator('#rows tr.row', { hasText: 'team/gone:1' }).locator('.badge').textContent(), 'cooldown');
    assert.equal(await page.locator('#rows tr.row', { hasText: 'registry.internal.example' }).locator('.badge').textContent(), 'skipped');
    for (const state of JOB_STATES) {
      assert.equal(await page.locator(`#tiles button[data-state="${state}"] .count`).textContent(), String(doc.counts[state]), `${state} tile`);
    }
    assert.match((await page.locator('#facts').textContent()) ?? '', new RegExp(`Throttled ${throttled.replace(/\./g, '\\.')} \\(Retry-After\\) until in 1[45] min`));
    assert.match((await page.locator('#replica').textContent()) ?? '', /copycat-6d5f8-x2kqp · leader/);
    assert.match((await page.locator('#updated').textContent()) ?? '', /^Updated /);
    await page.screenshot({ path: join(SHOTS, 'full-page-1280.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'full-page-1280-dark.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });

  await t.test('shows image names and errors with <script> and <img onerror> as text, and runs nothing', async (t) => {
    const { page, problems, context } = await openPage(browser);
    t.after(() => context.close());
    await page.goto(base);
    await waitForVisibleRows(page, total);
    const imgRow = page.locator('#rows tr.row').filter({ has: page.locator('.source', { hasText: IMG_PAYLOAD }) });
    assert.equal(await imgRow.locator('.source').textContent(), IMG_PAYLOAD);
    assert.match((await imgRow.locator('.message').textContent()) ?? '', /invalid image reference "<img src=x onerror=alert\(1\)>"/);
    const scriptRow = page.locator('#rows tr.row').filter({ has: page.locator('.source', { hasText: SCRIPT_PAYLOAD }) });
    assert.equal(await scriptRow.locator('.source').textContent(), SCRIPT_PAYLOAD);
    assert.ok(((await scriptRow.locator('.message').textContent()) ?? '').includes('<script>alert(document.domain)</script>'));
    await scriptRow.locator('button.expand').click();
    assert.ok(((await page.locator('#rows tr.detail pre.error-text').textContent()) ?? '').includes('<script>alert(document.domain)</script>'));
    assert.equal(await page.locator('#app img, #app script, #app iframe').count(), 0, 'no element came from the data');
    assert.deepEqual(problems, [], 'no dialog, no error, no CSP violation');
  });

  await t.test('filters by text and by state, keeps the filter in the hash, and a link reproduces it', async (t) => {
    const { page, problems, context } = await openPage(browser);
    t.after(() => context.close());
    await page.goto(base);
    await waitForVisibleRows(page, total);
    await page.locator('#filter').fill('nginx');
    await waitForVisibleRows(page, 1);
    assert.match((await visibleRows(page).textContent()) ?? '', /library\/nginx:1\.27/);
    assert.equal(await page.locator('#shown').textContent(), `Showing 1 of ${total} images`);
    // Words are ANDed and match users too: the pod frontend-0 uses nginx and the missing sidecar image.
    await page.locator('#filter').fill('web/frontend-0');
    await waitForVisibleRows(page, 2);
    await page.locator('#filter').fill(api.digest!.slice(7, 20));
    await waitForVisibleRows(page, 1);
    await page.locator('#filter').fill('');
    await waitForVisibleRows(page, total);
    await page.locator('#tiles button[data-state="invalid"]').click();
    await waitForVisibleRows(page, 2);
    assert.equal(await page.locator('#tiles button[data-state="invalid"]').getAttribute('aria-pressed'), 'true');
    await page.locator('#tiles button[data-state="cooldown"]').click();
    await waitForVisibleRows(page, 3);
    await page.locator('#filter').fill('gone');
    await waitForVisibleRows(page, 1);
    assert.equal(new URL(page.url()).hash, '#q=gone&state=invalid,cooldown');
    await page.reload();
    await waitForVisibleRows(page, 1);
    assert.equal(await page.locator('#filter').inputValue(), 'gone');
    assert.equal(await page.locator('#tiles button[data-state="cooldown"]').getAttribute('aria-pressed'), 'true');
    assert.match((await visibleRows(page).textContent()) ?? '', /team\/gone:1/);
    await page.locator('#clear').click();
    await waitForVisibleRows(page, total);
    assert.equal(new URL(page.url()).hash, '');

    const linked = await openPage(browser);
    t.after(() => linked.context.close());
    await linked.page.goto(`${base}#state=mirrored&q=team`);
    await waitForVisibleRows(linked.page, 2);
    assert.deepEqual((await visibleRows(linked.page).locator('.source').allTextContents()).sort(), [`${src.host}/team/api:2.4`, `${src.host}/team/worker:7`]);
    await linked.page.locator('#filter').fill('no such image');
    await linked.page.locator('#empty').waitFor();
    assert.equal(await linked.page.locator('#empty').textContent(), 'No image matches the filter.');
    assert.deepEqual([...problems, ...linked.problems], []);
  });

  await t.test('a click or the keyboard expands a row into its details, with every platform digest', async (t) => {
    const { page, problems, context } = await openPage(browser);
    t.after(() => context.close());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.metricsUrl! });
    await page.goto(base);
    await waitForVisibleRows(page, total);
    const apiRow = page.locator('#rows tr.row', { hasText: 'team/api:2.4' });
    await apiRow.locator('.c-image').click();
    const detail = page.locator('#rows tr.detail:visible');
    await detail.waitFor();
    assert.equal(await apiRow.locator('button.expand').getAttribute('aria-expanded'), 'true');
    const digests = await detail.locator('table.digests tbody tr').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/Copy$/, '')));
    assert.deepEqual(digests, [`index${api.digest}`, ...api.platforms.map((p) => `${p.platform}${p.digest}`)]);
    assert.match((await detail.textContent()) ?? '', new RegExp(`Target${api.target!.replace(/[.]/g, '\\.')}`));
    assert.match((await detail.textContent()) ?? '', /Used by \(61\).*\+11 more not listed/s);
    await detail.locator('table.digests tbody tr').nth(1).locator('button.copy').click();
    await detail.locator('button.copy', { hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText()), api.platforms[0]!.digest);
    await page.screenshot({ path: join(SHOTS, 'expanded-row-1280.png'), fullPage: true });
    await detail.screenshot({ path: join(SHOTS, 'expanded-row-detail.png') });

    // Keyboard: the row's button is focusable and Enter toggles it.
    const failedRow = page.locator('#rows tr.row', { hasText: `${throttled}/library/redis:7` });
    await failedRow.locator('button.expand').focus();
    await page.keyboard.press('Enter');
    await page.locator('#rows tr.detail:visible', { hasText: 'Next retry' }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).document.querySelectorAll('#rows tr.detail:not([hidden])').length === 1);
    // `/` jumps to the filter box.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.id), 'filter');
    assert.deepEqual(problems, []);
  });

  await t.test('refreshes itself: a new image appears; an open row stays open', async (t) => {
    const { page, problems, context } = await openPage(browser);
    t.after(() => context.close());
    await page.goto(base);
    await waitForVisibleRows(page, total);
    await page.locator('#rows tr.row', { hasText: 'team/api:2.4' }).locator('button.expand').click();
    seedImage(src, 'team/billing', { tag: '9.1' });
    controller.observe(pod('shop', 'billing-0', [{ name: 'billing', image: `${src.host}/team/billing:9.1` }]));
    const fresh = page.locator('#rows tr.row', { hasText: 'team/billing:9.1' });
    await fresh.waitFor();
    await page.waitForFunction(() =>
      Array.from((globalThis as unknown as BrowserGlobals).document.querySelectorAll('#rows tr.row')).some((r) => (r.textContent ?? '').includes('team/billing:9.1') && r.querySelector('.badge')?.textContent === 'mirrored'),
    );
    assert.equal(await page.locator('#tiles button[data-state="mirrored"] .count').textContent(), '4');
    assert.equal(await page.locator('#rows tr.row', { hasText: 'team/api:2.4' }).locator('button.expand').getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#rows tr.detail:visible').count(), 1);
    assert.deepEqual(problems, []);
  });

  await t.test('a failing /status shows the error banner and keeps the last data', async (t) => {
    const { page, problems, context } = await openPage(browser);
    t.after(() => context.close());
    await page.goto(base);
    await waitForVisibleRows(page, total + 1);
    broken = true;
    t.after(() => (broken = false));
    const banner = page.locator('#banner');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /^Cannot load the status: HTTP 500 Internal Server Error: status unavailable: store closed\. Showing the data received .+\. Retrying every 1 s\.$/);
    assert.equal(await page.locator('#updated').getAttribute('class'), 'updated stale');
    assert.equal(await visibleRows(page).count(), total + 1, 'the rows stay');
    await page.screenshot({ path: join(SHOTS, 'error-banner-1280.png') });
    broken = false;
    await banner.waitFor({ state: 'hidden' });
    assert.deepEqual(problems, []);
  });

  await t.test('reads well on a 400 px wide screen', async (t) => {
    const { page, problems, context } = await openPage(browser, { viewport: { width: 400, height: 860 } });
    t.after(() => context.close());
    await page.goto(base);
    await waitForVisibleRows(page, total + 1);
    await page.screenshot({ path: join(SHOTS, 'narrow-400.png') });
    await page.locator('#rows tr.row', { hasText: 'team/api:2.4' }).locator('button.expand').click();
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as BrowserGlobals).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    assert.equal(overflow, 0, 'nothing wider than the screen');
    await page.locator('#rows tr.row', { hasText: 'team/api:2.4' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'narrow-400-expanded.png') });
    await page.screenshot({ path: join(SHOTS, 'narrow-400-full.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });

  await t.test('without JavaScript it says so and links the JSON', async (t) => {
    const { page, context } = await openPage(browser, { javaScriptEnabled: false });
    t.after(() => context.close());
    await page.goto(base);
    assert.match((await page.locator('.noscript').textContent()) ?? '', /needs JavaScript/);
    assert.equal(await page.locator('#app').isVisible(), false);
    await page.screenshot({ path: join(SHOTS, 'no-javascript.png') });
  });
});
