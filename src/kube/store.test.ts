import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';

const obj = (ns: string | undefined, name: string, rv: string): KubeObject => ({ metadata: { ...(ns ? { namespace: ns } : {}), name, resourceVersion: rv } });
const names = (objs: KubeObject[]): string[] => objs.map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();

describe('ObjectStore', () => {
  it('upserts, gets, lists per namespace and removes', () => {
    const store = new ObjectStore<KubeObject>();
    assert.equal(store.upsert(obj('a', 'x', '1')), undefined);
    assert.equal(store.upsert(obj('b', 'x', '2')), undefined);
    assert.equal(store.upsert(obj('a', 'x', '3'))?.metadata?.resourceVersion, '1');
    assert.equal(store.size, 2);
    assert.equal(store.get('x', 'a')?.metadata?.resourceVersion, '3');
    assert.deepEqual(names(store.list('b')), ['b/x@2']);
    assert.deepEqual(names(store.list()), ['a/x@3', 'b/x@2']);
    assert.equal(store.remove(obj('a', 'x', '9'))?.metadata?.resourceVersion, '3');
    assert.equal(store.remove(obj('a', 'x', '9')), undefined);
    assert.equal(store.size, 1);
  });

  it('replace reports only real changes, and only within its namespace', () => {
    const store = new ObjectStore<KubeObject>();
    for (const o of [obj('a', 'same', '1'), obj('a', 'changed', '2'), obj('a', 'gone', '3'), obj('b', 'other', '4')]) store.upsert(o);
    const diff = store.replace('a', [obj('a', 'same', '1'), obj('a', 'changed', '5'), obj('a', 'new', '6')]);
    assert.deepEqual(names(diff.added), ['a/new@6']);
    assert.deepEqual(diff.updated.map((u) => `${u.old.metadata?.resourceVersion}->${u.obj.metadata?.resourceVersion}`), ['2->5']);
    assert.deepEqual(names(diff.deleted), ['a/gone@3']);
    assert.deepEqual(names(store.list()), ['a/changed@5', 'a/new@6', 'a/same@1', 'b/other@4']);
  });

  it('replace over all namespaces deletes everywhere', () => {
    const store = new ObjectStore<KubeObject>();
    store.upsert(obj('a', 'x', '1'));
    store.upsert(obj(undefined, 'node', '2'));
    const diff = store.replace(undefined, [obj('c', 'y', '3')]);
    assert.deepEqual(names(diff.deleted), ['/node@2', 'a/x@1']);
    assert.equal(store.size, 1);
  });
});
