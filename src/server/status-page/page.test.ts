import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { hasCode } from '../../internal/errors.ts';
import * as model from './model.ts';
import { buildStatusPage, clientFunctions, clientScript, DEFAULT_REFRESH_MS, STATUS_PAGE_STATES, statusPage } from './page.ts';

const inline = (html: string, tag: 'script' | 'style'): string => {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!m) throw new Error(`no <${tag}>`);
  return m[1] ?? '';
};
const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('buildStatusPage', () => {
  it('allows exactly its inline script and style by hash, and nothing from elsewhere', () => {
    const page = buildStatusPage();
    const csp = page.contentSecurityPolicy;
    assert.ok(csp.includes(`script-src ${sha(inline(page.html, 'script'))};`), csp);
    assert.ok(csp.includes(`style-src ${sha(inline(page.html, 'style'))};`), csp);
    for (const directive of ["default-src 'none'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "require-trusted-types-for 'script'"]) {
      assert.ok(csp.split('; ').includes(directive), directive);
    }
    assert.doesNotMatch(csp, /unsafe-|https?:|\*/, 'no unsafe-inline/eval, no hosts, no wildcard');
    assert.doesNotMatch(page.html, /\b(?:src|href)="(?:https?:)?\/\//, 'no asset from the network');
    assert.equal(page.html.match(/<script/g)?.length, 1);
  });

  it('ships a script that parses and starts the page with its settings', () => {
    const script = inline(buildStatusPage({ refreshMs: 1500 }).html, 'script');
    assert.doesNotThrow(() => new vm.Script(script));
    assert.match(script, /startStatusPage\(window, \{"refreshMs":1500,"states":\["pending","mirrored","partial","failed","cooldown","skipped","invalid"\]\}\);/);
    assert.deepEqual(STATUS_PAGE_STATES, ['pending', 'mirrored', 'partial', 'failed', 'cooldown', 'skipped', 'invalid']);
  });

  it('has no HTML sink and no eval in its script', () => {
    const script = inline(statusPage().html, 'script');
    assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(['"]on/);
  });

  it('escapes < in the settings it writes into the script', () => {
    const script = clientScript({ refreshMs: 1000, states: ['</script><b>'] });
    assert.ok(script.includes('"\\u003c/script>\\u003cb>"'));
    assert.ok(!script.includes('</script>'));
  });

  it('refuses a refresh interval that is not a whole number of milliseconds ≥ 100', () => {
    for (const refreshMs of [0, 99, 1.5, Number.NaN]) {
      assert.throws(() => buildStatusPage({ refreshMs }), (err: unknown) => hasCode(err, 'STATUS_PAGE_INVALID') && /status page refresh/.test(err.message), String(refreshMs));
    }
    assert.equal(inline(buildStatusPage().html, 'script').includes(`"refreshMs":${DEFAULT_REFRESH_MS}`), true);
  });

  it('builds the default page once', () => {
    assert.equal(statusPage(), statusPage());
  });
});

describe('the embedded client functions', () => {
  it('are self-contained: run from the page script they give what the imported ones give', () => {
    // The page's function declarations, without the call that needs a browser window.
    const body = inline(statusPage().html, 'script').replace(/startStatusPage\(window, [^\n]*\);/, 'globalThis.exported = { readStatus, matchesFilter, formatFilterHash, parseFilterHash, statusUrl, formatRelative, shortDigest, describeFailure, searchText };');
    const sandbox: { URLSearchParams: typeof URLSearchParams; exported?: Record<string, (...args: never[]) => unknown> } = { URLSearchParams };
    vm.runInNewContext(body, sandbox);
    const embedded = sandbox.exported!;
    const doc = { generatedAt: '2026-01-01T00:00:00Z', images: [{ key: 'a', source: 'r.example/a:1', state: 'failed', users: [{ kind: 'Pod', namespace: 'n', name: 'p' }], userCount: 4, lastError: 'boom' }] };
    const run = (name: string, ...args: unknown[]) => (embedded[name] as (...a: unknown[]) => unknown)(...args);
    assert.deepEqual(JSON.parse(JSON.stringify(run('readStatus', doc))), JSON.parse(JSON.stringify(model.readStatus(doc))));
    const image = model.readStatus(doc).images[0]!;
    assert.equal(run('searchText', image), model.searchText(image));
    assert.equal(run('matchesFilter', image, { text: 'pod n/p boom', states: ['failed'] }), true);
    assert.equal(run('formatFilterHash', { text: 'a b', states: ['x', 'y'] }), model.formatFilterHash({ text: 'a b', states: ['x', 'y'] }));
    assert.equal(run('statusUrl', '/copycat'), model.statusUrl('/copycat'));
    assert.equal(run('formatRelative', '2026-01-01T00:10:00Z', Date.parse('2026-01-01T00:00:00Z')), 'in 10 min');
    assert.equal(run('describeFailure', 500, 'Internal Server Error', '{"error":"x"}'), 'HTTP 500 Internal Server Error: x');
  });

  it('are all plain exported function declarations: nothing else at the top level of their files', () => {
    // A module-level constant would be missing from the page, which embeds functions only.
    for (const file of ['model.ts', 'render.ts', 'app.ts']) {
      const source = readFileSync(join(import.meta.dirname, file), 'utf8');
      const topLevel = source.split('\n').filter((line) => /^\S/.test(line) && !/^(export function |export (interface|type) |import |\}|\/\/|\/\*\*| \*)/.test(line));
      assert.deepEqual(topLevel, [], file);
    }
    const names = [...clientFunctions().keys()];
    assert.ok(names.includes('startStatusPage') && names.includes('readStatus') && names.includes('imageRow'), names.join());
  });
});
