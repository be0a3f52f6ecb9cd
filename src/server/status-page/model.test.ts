import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countIn,
  describeFailure,
  formatBytes,
  formatDuration,
  formatFilterHash,
  formatRelative,
  hiddenUsers,
  matchesFilter,
  needAttention,
  parseFilterHash,
  readImage,
  readStatus,
  searchText,
  serverNow,
  shortDigest,
  statesOf,
  statusUrl,
  userLabel,
} from './model.ts';
import type { ImageView } from './types.ts';

const D = (c: string) => `sha256:${c.repeat(64)}`;

const nginx: ImageView = readImage(
  {
    key: 'k1',
    source: 'docker.io/library/nginx:1.27',
    target: 'mirror.example.com/docker.io/library/nginx:1.27',
    state: 'mirrored',
    running: false,
    digest: D('a'),
    platforms: [{ platform: 'linux/amd64', digest: D('b') }, { platform: 'linux/arm64', digest: D('c') }],
    tagged: true,
    users: [{ kind: 'Deployment', namespace: 'web', name: 'frontend', container: 'nginx' }],
    userCount: 3,
  },
  0,
);
const redis: ImageView = readImage({ key: 'k2', source: 'docker.io/library/redis:7', state: 'failed', lastError: 'describe docker.io/library/redis:7: HTTP 429', errorCode: 'TOOMANYREQUESTS', users: [], userCount: 0 }, 1);

describe('readStatus', () => {
  it('reads a controller document, with defaults for what a replica left out', () => {
    const view = readStatus({
      generatedAt: '2026-01-01T00:00:00.000Z',
      dryRun: true,
      queue: { depth: 2, active: 1 },
      counts: { mirrored: 1, failed: 'x' },
      images: [{ source: 'a:1', state: 'mirrored', users: [{ kind: 'Pod', namespace: 'ns', name: 'p' }, 'junk'], userCount: 1, pullSecrets: ['ns/regcred', 7] }, 'junk'],
      replica: { leader: false, holder: 'pod-b', mirroring: false, synced: 'yes' },
    });
    assert.equal(view.dryRun, true);
    assert.equal(view.dryPull, false);
    assert.deepEqual(view.queue, { depth: 2, active: 1, delayed: 0 });
    assert.deepEqual(view.counts, { mirrored: 1, failed: 0 });
    assert.deepEqual(view.throttledRegistries, []);
    assert.equal(view.images.length, 2);
    const [first, second] = view.images;
    assert.equal(first?.key, '#0', 'an image without a key gets one');
    assert.deepEqual(first?.users.map(userLabel), ['Pod ns/p', '? ?']);
    assert.equal(first?.userCount, 2, 'never fewer than listed');
    assert.deepEqual(first?.pullSecrets, ['ns/regcred']);
    assert.equal(second?.state, 'unknown');
    assert.deepEqual(view.replica, { enabled: undefined, identity: undefined, leader: false, holder: 'pod-b', lease: undefined, mirroring: false, synced: undefined });
  });

  it('refuses what is not a status document', () => {
    for (const raw of [null, 'x', [], { error: 'status unavailable' }, { images: {} }]) {
      assert.throws(() => readStatus(raw), /not a copycat status document/, JSON.stringify(raw));
    }
  });
});

describe('digests, users, times, sizes', () => {
  it('shortens a digest to 12 hex digits and leaves short text alone', () => {
    assert.equal(shortDigest(D('a')), `sha256:${'a'.repeat(12)}`);
    assert.equal(shortDigest('sha256:abc'), 'sha256:abc');
    assert.equal(shortDigest('0123456789abcdef'), '0123456789ab');
  });

  it('labels users and counts the ones not listed', () => {
    assert.equal(userLabel({ kind: 'Deployment', namespace: 'shop', name: 'api' }), 'Deployment shop/api');
    assert.equal(userLabel({ kind: 'Node', namespace: '', name: 'n1' }), 'Node n1');
    assert.equal(hiddenUsers(nginx), 2);
    assert.equal(hiddenUsers(redis), 0);
  });

  it('says durations and relative times as people do', () => {
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(-12 * 60_000), '12 min');
    assert.equal(formatDuration(185 * 60_000), '3 h 5 min');
    assert.equal(formatDuration(2 * 3_600_000), '2 h');
    assert.equal(formatDuration(52 * 3_600_000), '2 d 4 h');
    const now = Date.parse('2026-01-01T12:00:00Z');
    assert.equal(formatRelative('2026-01-01T12:15:00Z', now), 'in 15 min');
    assert.equal(formatRelative('2026-01-01T11:59:30Z', now), '30 s ago');
    assert.equal(formatRelative('2026-01-01T12:00:01Z', now), 'now');
    assert.equal(formatRelative('not a time', now), '');
  });

  it('keeps the server clock: generatedAt plus the time since the answer', () => {
    assert.equal(serverNow('2026-01-01T00:00:00.000Z', 1_000, 4_000), Date.parse('2026-01-01T00:00:03.000Z'));
    assert.equal(serverNow(undefined, 1_000, 4_000), 4_000);
    assert.equal(serverNow('garbage', 1_000, 4_000), 4_000);
  });

  it('prints sizes in binary units', () => {
    assert.equal(formatBytes(364), '364 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
  });
});

describe('filter', () => {
  it('matches every word anywhere: names, digests, platforms, users, errors', () => {
    const f = (text: string, states: string[] = []) => ({ text, states });
    assert.equal(matchesFilter(nginx, f('')), true);
    assert.equal(matchesFilter(nginx, f('NGINX mirror.example')), true, 'case-insensitive, words ANDed');
    assert.equal(matchesFilter(nginx, f('nginx redis')), false);
    assert.equal(matchesFilter(nginx, f('c'.repeat(20))), true, 'a platform digest');
    assert.equal(matchesFilter(nginx, f('linux/arm64')), true);
    assert.equal(matchesFilter(nginx, f('web/frontend')), true, 'a user');
    assert.equal(matchesFilter(redis, f('toomanyrequests')), true, 'the error code');
    assert.equal(matchesFilter(redis, f('429')), true, 'the error text');
    assert.equal(matchesFilter(nginx, f('', ['failed', 'cooldown'])), false);
    assert.equal(matchesFilter(redis, f('redis', ['failed', 'cooldown'])), true);
    assert.ok(searchText(nginx).includes('deployment web/frontend'));
  });

  it('round-trips through the URL hash, readable and tolerant', () => {
    const filter = { text: 'nginx web', states: ['failed', 'cooldown'] };
    const hash = formatFilterHash(filter);
    assert.equal(hash, 'q=nginx%20web&state=failed,cooldown');
    assert.deepEqual(parseFilterHash(`#${hash}`), filter);
    assert.deepEqual(parseFilterHash('#q=a+b&state=failed%2Cfailed,,'), { text: 'a b', states: ['failed'] });
    assert.equal(formatFilterHash({ text: '  ', states: [] }), '');
    assert.deepEqual(parseFilterHash(''), { text: '', states: [] });
    assert.deepEqual(parseFilterHash('#section-2'), { text: '', states: [] });
    assert.equal(parseFilterHash(`#${formatFilterHash({ text: 'a&b=c#d', states: [] })}`).text, 'a&b=c#d');
  });

  it('lists the known states first, then any the document adds', () => {
    const view = readStatus({ counts: { mirrored: 1, quarantined: 2 }, images: [{ state: 'exotic' }] });
    assert.deepEqual(statesOf(view, ['pending', 'mirrored']), ['pending', 'mirrored', 'quarantined', 'exotic']);
    assert.equal(countIn(view, 'quarantined'), 2);
    assert.equal(countIn(view, 'exotic'), 1, 'counted from the rows when the document has no count');
    assert.equal(needAttention(readStatus({ images: [nginx, redis] })), 1);
  });
});

describe('statusUrl', () => {
  it('is relative to the page, so port-forwards and path-prefix proxies work', () => {
    assert.equal(statusUrl('/'), 'status');
    assert.equal(statusUrl('/copycat/'), 'status');
    assert.equal(statusUrl('/copycat'), './copycat/status');
    assert.equal(statusUrl('/a/b:c'), './b:c/status');
    assert.equal(new URL(statusUrl('/copycat'), 'http://h/copycat').pathname, '/copycat/status');
    assert.equal(new URL(statusUrl('/x/copycat/'), 'http://h/x/copycat/').pathname, '/x/copycat/status');
  });
});

describe('describeFailure', () => {
  it("uses the server's error text, else the HTTP status", () => {
    assert.equal(describeFailure(500, 'Internal Server Error', '{"error":"status unavailable: store closed"}\n'), 'HTTP 500 Internal Server Error: status unavailable: store closed');
    assert.equal(describeFailure(502, 'Bad Gateway', '<html>upstream down</html>'), 'HTTP 502 Bad Gateway: <html>upstream down</html>');
    assert.equal(describeFailure(404, '', ''), 'HTTP 404');
  });
});
