import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elementsByTag, fakeDocument, type FakeElement } from './fake-dom.fixture.ts';
import { readImage, readStatus } from './model.ts';
import { breakable, h, imageDetails, imageRow, notices, replicaLabel, stateTiles, usersView, type RenderContext } from './render.ts';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const NOW = Date.parse('2026-01-01T12:00:00Z');
const ctx = (canCopy = true): RenderContext & { doc: ReturnType<typeof fakeDocument> } => ({ doc: fakeDocument(), now: NOW, canCopy });

const XSS_SOURCE = '<img src=x onerror=alert(1)>';
const XSS_ERROR = 'parse source: invalid image reference "<script>alert(1)</script>"';

const api = readImage(
  {
    key: 'k',
    source: 'registry.example/team/api:2.4',
    pull: 'registry.example/team/api:2.4',
    target: 'mirror.example/team/api:2.4',
    state: 'mirrored',
    running: false,
    digest: D('a'),
    mediaType: 'application/vnd.oci.image.index.v1+json',
    platforms: [{ platform: 'linux/amd64', digest: D('b') }, { platform: 'linux/arm64', digest: D('c') }],
    tagged: true,
    lastMirrored: '2026-01-01T11:57:00Z',
    lastResult: 'copied',
    lastBytes: 2048,
    pullSecrets: ['shop/regcred'],
    users: [
      { kind: 'Deployment', namespace: 'shop', name: 'api', container: 'app' },
      { kind: 'Pod', namespace: 'shop', name: 'api-1', container: 'app' },
      { kind: 'Pod', namespace: 'shop', name: 'api-2', container: 'app' },
    ],
    userCount: 61,
  },
  0,
);

const cellText = (row: FakeElement, cls: string): string => row.querySelector(`td.${cls}`)?.textContent ?? '';

describe('h', () => {
  it('turns strings into text nodes, never markup', () => {
    const { doc } = ctx();
    const el = h(doc, 'div', { title: '"><script>x</script>' }, XSS_SOURCE, undefined, false, null) as FakeElement;
    assert.equal(el.textContent, XSS_SOURCE);
    assert.equal(el.children.length, 1);
    assert.equal(elementsByTag(el, 'img').length, 0);
    assert.equal(el.getAttribute('title'), '"><script>x</script>', 'attribute values are values');
  });

  it('refuses event handler and URL attributes', () => {
    const { doc } = ctx();
    for (const name of ['onclick', 'ONERROR', 'href', 'src', 'style', 'formaction']) {
      assert.throws(() => h(doc, 'a', { [name]: 'javascript:alert(1)' }), new RegExp(`refusing to set the ${name} attribute`));
    }
  });

  it('offers line breaks after / and @ without changing the text', () => {
    const { doc } = ctx();
    const el = h(doc, 'div', null, ...breakable(doc, 'r.example/a/b@sha256:1')) as FakeElement;
    assert.equal(el.textContent, 'r.example/a/b@sha256:1');
    assert.equal(elementsByTag(el, 'wbr').length, 3);
  });
});

describe('imageRow', () => {
  it('shows state, image and target, short digest, platforms, users with +N more, and times', () => {
    const c = ctx();
    const row = imageRow(c, api, 'detail-0', false) as FakeElement;
    assert.equal(row.querySelector('span.badge')?.textContent, 'mirrored');
    assert.equal(row.querySelector('span.badge')?.getAttribute('class'), 'badge state-mirrored');
    assert.equal(cellText(row, 'c-image'), 'registry.example/team/api:2.4→ mirrored to mirror.example/team/api:2.4');
    assert.equal(cellText(row, 'c-digest'), `sha256:${'a'.repeat(12)}`);
    assert.equal(row.querySelector('td.c-digest code')?.getAttribute('title'), D('a'));
    assert.deepEqual(row.querySelectorAll('span.chip').map((e) => [e.textContent, e.getAttribute('title')]), [['linux/amd64', D('b')], ['linux/arm64', D('c')]]);
    assert.equal(cellText(row, 'c-users'), 'Deployment shop/apiPod shop/api-1+59 more');
    assert.equal(row.querySelectorAll('time').map((t) => t.textContent).join(), '3 min ago');
    const toggle = row.querySelector('button.expand');
    assert.equal(toggle?.getAttribute('aria-expanded'), 'false');
    assert.equal(toggle?.getAttribute('aria-controls'), 'detail-0');
    assert.equal(row.querySelectorAll('td').map((td) => td.getAttribute('data-label')).join('|'), '|State|Image|Digest|Platforms|Used by|Last error|Next retry|Last mirrored');
  });

  it('shows markup in names and errors as text', () => {
    const c = ctx();
    const image = readImage({ key: 'x', source: XSS_SOURCE, state: 'invalid', lastError: XSS_ERROR, errorCode: 'IMAGE_REFERENCE_INVALID', users: [{ kind: 'Pod', namespace: 'evil', name: '<b>x</b>' }], userCount: 1 }, 0);
    const row = imageRow(c, image, 'detail-1', true) as FakeElement;
    const details = imageDetails(c, image, 'detail-1', 9) as FakeElement;
    assert.equal(cellText(row, 'c-image'), XSS_SOURCE);
    assert.equal(row.querySelector('span.message')?.textContent, XSS_ERROR);
    assert.equal(row.querySelector('span.message')?.getAttribute('title'), XSS_ERROR);
    assert.ok(details.textContent.includes(XSS_ERROR));
    assert.ok(details.textContent.includes('Pod evil/<b>x</b>'));
    for (const tag of ['img', 'script', 'b']) assert.equal(elementsByTag(row, tag).length + elementsByTag(details, tag).length, 0, tag);
  });

  it('marks a running copy, shows the reason without an error, and dashes for the rest', () => {
    const row = imageRow(ctx(), readImage({ key: 'y', source: 'q.example/a:1', state: 'pending', running: true, reason: 'waiting for q.example (Retry-After)', nextRetry: '2026-01-01T12:15:00Z', users: [], userCount: 0 }, 0), 'd', false) as FakeElement;
    assert.equal(row.querySelector('div.running')?.textContent, 'running');
    assert.equal(cellText(row, 'c-error'), 'waiting for q.example (Retry-After)');
    assert.equal(cellText(row, 'c-digest'), '—');
    assert.equal(cellText(row, 'c-users'), 'nobody');
    assert.deepEqual(row.querySelectorAll('td.c-time').map((t) => t.textContent), ['in 15 min', '—']);
  });
});

describe('imageDetails', () => {
  it('lists every digest in full with copy buttons, references, the last run, users and pull secrets', () => {
    const c = ctx();
    const d = imageDetails(c, api, 'detail-0', 9) as FakeElement;
    assert.equal(d.getAttribute('id'), 'detail-0');
    assert.equal(d.querySelector('td')?.getAttribute('colspan'), '9');
    const rows = d.querySelectorAll('table.digests tr').slice(1).map((r) => r.querySelectorAll('th').concat(r.querySelectorAll('code')).map((e) => e.textContent));
    assert.deepEqual(rows, [['index', D('a')], ['linux/amd64', D('b')], ['linux/arm64', D('c')]]);
    assert.deepEqual(d.querySelectorAll('button.copy').map((b) => b.getAttribute('data-copy')), [D('a'), D('b'), D('c')]);
    const text = d.textContent;
    for (const part of ['Pulled fromregistry.example/team/api:2.4', 'Targetmirror.example/team/api:2.4', 'Taggedyes', 'Resultcopied, 2.0 KiB uploaded', 'Used by (61)', 'Pod shop/api-2 container app', '+58 more not listed', 'shop/regcred']) {
      assert.ok(text.includes(part), `${part} in ${text}`);
    }
  });

  it('leaves out copy buttons where the clipboard cannot work', () => {
    assert.equal((imageDetails(ctx(false), api, 'd', 9) as FakeElement).querySelectorAll('button.copy').length, 0);
  });
});

describe('summary', () => {
  it('tiles count each state and show which are selected', () => {
    const { doc } = ctx();
    const tiles = stateTiles(doc, ['pending', 'failed'], (s) => (s === 'failed' ? 2 : 0), ['failed']) as FakeElement[];
    assert.deepEqual(tiles.map((t) => [t.getAttribute('data-state'), t.textContent, t.getAttribute('aria-pressed'), t.classList.contains('zero')]), [
      ['pending', '0pending', 'false', true],
      ['failed', '2failed', 'true', false],
    ]);
  });

  it('users cell says nobody for an orphan and +N more past two', () => {
    const { doc } = ctx();
    assert.equal(usersView(ctx(), readImage({ users: [], userCount: 0 }, 0)).textContent, 'nobody');
    assert.equal(usersView({ doc, now: NOW, canCopy: false }, api).textContent, 'Deployment shop/apiPod shop/api-1+59 more');
  });

  it('notices dry runs and a follower replica, and names the leader', () => {
    const { doc } = ctx();
    const follower = readStatus({ dryRun: true, images: [], replica: { enabled: true, identity: 'pod-a', leader: false, holder: 'pod-b', lease: 'copycat/k8s-copycat', mirroring: false, synced: true } });
    const texts = notices(doc, follower).map((n) => n.textContent);
    assert.equal(texts.length, 2);
    assert.match(texts[0] ?? '', /^Dry run\./);
    assert.match(texts[1] ?? '', /does not mirror.*The lease copycat\/k8s-copycat is held by pod-b\./);
    assert.equal(replicaLabel(follower), 'pod-a · follower (leader: pod-b)');
    assert.equal(replicaLabel(readStatus({ images: [], replica: { identity: 'pod-a', leader: true, mirroring: true } })), 'pod-a · leader');
    assert.equal(replicaLabel(readStatus({ images: [] })), '');
    assert.deepEqual(notices(doc, readStatus({ images: [] })), []);
  });
});
