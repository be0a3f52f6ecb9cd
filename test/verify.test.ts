/**
 * `copycat verify -f PODS.yaml` against real registries: a pod whose imageID digest the mirror does not serve
 * is a gap (exit 1); after `copycat sync` of the same dump there is none (exit 0); the node's platform manifest
 * of a multi-arch image is checked; `--json` carries the rows.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runSync } from '../src/cli/commands/sync.ts';
import { runVerify } from '../src/cli/commands/verify.ts';
import { pushImage, pushMultiArchIndex, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { captureIo } from './lib/command-io.ts';

const io = captureIo;

describe('copycat verify', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let dir: string;
  let config: string;
  let pods: string;
  let index: IndexFixture;
  let app: ImageFixture;

  before(async () => {
    [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
    [index, app] = await Promise.all([pushMultiArchIndex(src, 'library/nginx', { tag: '1.25' }), pushImage(src, 'team/app', { tag: '2.0' })]);
    dir = await mkdtemp(join(tmpdir(), 'copycat-verify-'));
    config = join(dir, 'config.yaml');
    await writeFile(config, 'docker:\n  repoPrefix: "mirror/$namespace"\ndigestPull: true\ncheckNodePlatform: true\n');
    pods = join(dir, 'pods.yaml');
    // What `kubectl get pods,nodes -A -o yaml` prints.
    await writeFile(
      pods,
      `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: web-1, namespace: shop}
  spec:
    nodeName: arm-node
    containers: [{name: nginx, image: "${src.host}/library/nginx:1.25"}, {name: app, image: "${src.host}/team/app:2.0"}]
  status:
    phase: Running
    containerStatuses:
    - {name: nginx, image: "${src.host}/library/nginx:1.25", imageID: "docker-pullable://${src.host}/library/nginx@${index.digest}"}
    - {name: app, image: "${src.host}/team/app:2.0", imageID: "containerd://${src.host}/team/app@${app.digest}"}
- apiVersion: v1
  kind: Pod
  metadata: {name: old, namespace: shop}
  spec: {containers: [{name: c, image: "${src.host}/team/app:1.0"}]}
  status: {phase: Succeeded}
- apiVersion: v1
  kind: Node
  metadata: {name: arm-node}
  status: {nodeInfo: {architecture: arm64, operatingSystem: linux}}
`,
    );
  });
  after(async () => {
    await Promise.all([src?.stop(), dst?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
  });

  it('reports the gap (exit 1) before the mirror holds the images, none (exit 0) after a sync of the same dump', async () => {
    const before = io();
    assert.equal(await runVerify({ file: [pods], config, target: dst.host }, before), 1, before.stderr());
    assert.match(before.stdout(), /^POD\s+CONTAINER\s+STATE\s+MIRROR\s+PLATFORM\s+DETAIL$/m);
    assert.match(before.stdout(), new RegExp(`^shop/web-1\\s+nginx\\s+missing\\s+${dst.host}/mirror/shop/library/nginx@sha256:[0-9a-f]{12}\\s`, 'm'));
    assert.match(before.stdout(), /^1 running pod, 2 containers: 0 served by the mirror, 2 gaps \(1 pod not running or out of scope\)$/m);

    const sync = io();
    // With the node's platform only, distribution refuses the index without its other platforms: copy it whole.
    assert.equal(await runSync({ file: [pods], config, target: dst.host }, { ...sync, env: { ...sync.env, SPARSE_INDEX_FALLBACK: 'full' } }), 0, sync.stderr() + sync.stdout());

    const after = io();
    assert.equal(await runVerify({ file: [pods], config, target: dst.host, json: true }, after), 0, after.stdout());
    const report = JSON.parse(after.stdout()) as { gaps: number; rows: Array<{ container: string; state: string; platform?: string; platformDigest?: string }> };
    assert.equal(report.gaps, 0);
    const nginx = report.rows.find((r) => r.container === 'nginx')!;
    assert.equal(nginx.state, 'ok');
    assert.equal(nginx.platform, 'linux/arm64');
    assert.equal(nginx.platformDigest, index.manifests[1]!.digest);
    assert.equal(report.rows.find((r) => r.container === 'app')?.state, 'ok');
  });

  it('a mirror under another name is a gap: verify uses the name copycat would give the image', async () => {
    const other = join(dir, 'other.yaml');
    await writeFile(other, 'docker:\n  repoPrefix: "elsewhere/$namespace"\n');
    const cmd = io();
    assert.equal(await runVerify({ file: [pods], config: other, target: dst.host }, cmd), 1);
    assert.match(cmd.stdout(), /2 gaps/);
  });
});
