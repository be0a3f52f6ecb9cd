import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { leaseNamespace } from './leader.ts';

describe('leaseNamespace', () => {
  let dir: string;
  let empty: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copycat-sa-'));
    await writeFile(join(dir, 'namespace'), 'k8s-copycat\n');
    empty = await mkdtemp(join(tmpdir(), 'copycat-no-sa-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it('takes the flag, else POD_NAMESPACE, else the service account namespace file (trimmed)', () => {
    assert.equal(leaseNamespace({ flag: ' ops ', env: { POD_NAMESPACE: 'pod-ns' }, serviceAccountDir: dir }), 'ops');
    assert.equal(leaseNamespace({ flag: '', env: { POD_NAMESPACE: 'pod-ns' }, serviceAccountDir: dir }), 'pod-ns');
    assert.equal(leaseNamespace({ env: { POD_NAMESPACE: '  ' }, serviceAccountDir: dir }), 'k8s-copycat');
  });

  it('is undefined outside a pod with neither flag nor POD_NAMESPACE (election then refuses to start)', () => {
    assert.equal(leaseNamespace({ env: {}, serviceAccountDir: empty }), undefined);
  });
});
