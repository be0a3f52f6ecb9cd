import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DemandIndex, type UserRef } from './demand.ts';

const user = (name: string, container = 'app', kind = 'Pod'): UserRef => ({ kind, namespace: 'default', name, container });

describe('DemandIndex', () => {
  it('200 pods of one Deployment are one job with 200 users; only the first pod adds it', () => {
    const d = new DemandIndex();
    let added = 0;
    for (let i = 0; i < 200; i++) {
      const change = d.upsert(`Pod/default/web-${i}`, [{ jobKey: 'nginx', user: user(`web-${i}`) }]);
      added += change.added.length > 0 && d.userCount('nginx') === 1 ? 1 : 0;
    }
    assert.deepEqual(d.jobs(), ['nginx']);
    assert.equal(d.userCount('nginx'), 200);
    assert.equal(added, 1);
  });

  it('upsert replaces an object\'s uses and reports jobs nobody uses any more', () => {
    const d = new DemandIndex();
    d.upsert('Pod/default/a', [{ jobKey: 'nginx:1', user: user('a') }, { jobKey: 'sidecar', user: user('a', 'side') }]);
    d.upsert('Pod/default/b', [{ jobKey: 'sidecar', user: user('b', 'side') }]);
    const change = d.upsert('Pod/default/a', [{ jobKey: 'nginx:2', user: user('a') }, { jobKey: 'sidecar', user: user('a', 'side') }]);
    assert.deepEqual(change.added, ['nginx:2']);
    assert.deepEqual(change.orphaned, ['nginx:1']);
    assert.deepEqual(d.jobsOf('Pod/default/a'), ['nginx:2', 'sidecar']);
    assert.equal(d.used('nginx:1'), false);
    assert.equal(d.userCount('sidecar'), 2);
  });

  it('the same image in two containers of one object is one job with two users', () => {
    const d = new DemandIndex();
    const change = d.upsert('Pod/default/a', [{ jobKey: 'busybox', user: user('a', 'init') }, { jobKey: 'busybox', user: user('a', 'main') }]);
    assert.deepEqual(change.added, ['busybox']);
    assert.deepEqual(d.users('busybox').map((u) => u.container), ['init', 'main']);
  });

  it('forget removes an object; shared jobs stay while someone uses them', () => {
    const d = new DemandIndex();
    d.upsert('Pod/default/a', [{ jobKey: 'x', user: user('a') }]);
    d.upsert('Deployment/default/web', [{ jobKey: 'x', user: user('web', 'app', 'Deployment') }]);
    assert.deepEqual(d.forget('Pod/default/a').orphaned, []);
    assert.deepEqual(d.forget('Deployment/default/web').orphaned, ['x']);
    assert.deepEqual(d.objects(), []);
    assert.deepEqual(d.forget('Pod/default/none'), { added: [], orphaned: [] });
  });
});
