/**
 * The controller against real registries (distribution 2.8 from Debian) and skopeo as the oracle, driven
 * with Pod and Deployment objects directly (no API server needed): the digestPull decision table, imageID
 * as index or platform digest, a node platform with a multi-arch index, a moved upstream tag, Docker
 * Hub-style names, a bad reference among good ones, 200 pods of one Deployment, dry runs and the cooldown.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Controller, defaultRules, memoryLogger, namespaceFilter, skipListsFrom, type ControllerOptions, type ControllerStatus, type ImageStatus, type MirrorRules } from '../src/controller/index.ts';
import type { KubeObject, PodLike } from '../src/kube/index.ts';
import { RegistryClient } from '../src/registry/index.ts';
import { DockerTarget } from '../src/targets/index.ts';
import { pushImage, pushMultiArchIndex, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';

const NO_SKIPS = { deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods: [] };

function makeController(target: RunningRegistry, rules: Partial<MirrorRules> = {}, over: Partial<ControllerOptions> = {}): { controller: Controller; log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  const controller = new Controller({
    rules: defaultRules(target.host, rules),
    target: new DockerTarget({ registry: target.host }),
    source: new RegistryClient(),
    targetClient: new RegistryClient(),
    filters: { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS) },
    retryBackoffMs: 0,
    logger: log,
    ...over,
  });
  controller.start();
  return { controller, log };
}

function pod(name: string, containers: Array<{ name: string; image: string; imageID?: string }>, extra: { node?: string; ns?: string; owner?: string; hash?: string } = {}): PodLike {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace: extra.ns ?? 'default',
      ...(extra.hash ? { labels: { 'pod-template-hash': extra.hash } } : {}),
      ...(extra.owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: extra.owner, controller: true }] } : {}),
    },
    spec: { containers: containers.map((c) => ({ name: c.name, image: c.image })), ...(extra.node ? { nodeName: extra.node } : {}) },
    status: { phase: 'Running', containerStatuses: containers.filter((c) => c.imageID).map((c) => ({ name: c.name, imageID: c.imageID })) },
  };
}

function deployment(name: string, image: string): KubeObject {
  return { kind: 'Deployment', metadata: { name, namespace: 'default', generation: 1 }, spec: { template: { spec: { containers: [{ name: 'app', image }] } } } } as KubeObject;
}

async function run(controller: Controller, ...objects: KubeObject[]): Promise<ControllerStatus> {
  for (const o of objects) controller.observe(o);
  await controller.whenIdle();
  return controller.status();
}

const one = (s: ControllerStatus, source: string): ImageStatus => {
  const found = s.images.find((i) => i.source === source);
  assert.ok(found, `${source} in ${JSON.stringify(s.images.map((i) => i.source))}`);
  return found;
};

/** The digest skopeo reads for a reference in the target, or undefined when it is absent. */
async function served(ref: string): Promise<string | undefined> {
  try {
    return sha256(await skopeoInspectRaw(ref));
  } catch {
    return undefined;
  }
}

async function catalog(reg: RunningRegistry): Promise<string[]> {
  const res = await fetch(`${reg.url}/v2/_catalog`);
  return ((await res.json()) as { repositories?: string[] }).repositories ?? [];
}

/** Manifest PUTs the registry logged for a repository. */
function manifestPuts(reg: RunningRegistry, repo: string): number {
  const uri = new RegExp(`http\\.request\\.method=PUT[^\\n]*http\\.request\\.uri="?/v2/${repo.replace(/[/.]/g, '\\$&')}/manifests/`);
  return reg.logs().split('\n').filter((l) => l.includes('response completed') && uri.test(l)).length;
}

describe('controller against distribution 2.8', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let index: IndexFixture;
  let single: ImageFixture;
  let moved: ImageFixture;

  before(async () => {
    [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
    [index, single] = await Promise.all([pushMultiArchIndex(src, 'library/nginx', { tag: '1.25' }), pushImage(src, 'library/nginx', { tag: 'latest', seed: 'latest-1' })]);
    moved = await pushImage(src, 'app/moving', { tag: 'v1', seed: 'first' });
  });
  after(async () => {
    await Promise.all([src?.stop(), dst?.stop()]);
  });

  describe('digestPull decision table (§3.2)', () => {
    it('tag + imageID: pulls the pod digest; tag without imageID: waits; latest: by tag; digest + imageID: the imageID; digest alone: by digest, no latest', async () => {
      const { controller } = makeController(dst, { digestPull: true, repoPrefix: 'table' });
      const nginx = `${src.host}/library/nginx`;
      const armImage = index.manifests[1]!;
      const status = await run(
        controller,
        pod('tagged', [{ name: 'app', image: `${nginx}:1.25`, imageID: `docker-pullable://${nginx}@${index.digest}` }]),
        deployment('waiting', `${nginx}:1.26`),
        pod('latest', [{ name: 'app', image: `${nginx}:latest`, imageID: `${nginx}@${armImage.digest}` }]),
        pod('pinned-other', [{ name: 'app', image: `${nginx}:pinned@${single.digest}`, imageID: `containerd://${nginx}@${index.manifests[0]!.digest}` }]),
        pod('pinned', [{ name: 'app', image: `${nginx}@${armImage.digest}` }]),
      );
      const t = `${dst.host}/table/library/nginx`;
      assert.equal(one(status, `${nginx}:1.25`).state, 'mirrored');
      assert.equal(await served(`${t}:1.25`), index.digest);
      assert.equal(one(status, `${nginx}:1.26`).state, 'skipped');
      assert.equal(one(status, `${nginx}:latest`).pull, `${nginx}:latest`);
      assert.equal(await served(`${t}:latest`), single.digest, 'latest is resolved by tag, not by the pod digest');
      assert.equal(one(status, `${nginx}:pinned@${single.digest}`).pull, `${nginx}@${index.manifests[0]!.digest}`);
      assert.equal(await served(`${t}:pinned`), index.manifests[0]!.digest);
      const pinned = one(status, `${nginx}@${armImage.digest}`);
      assert.equal(pinned.target, `${t}@${armImage.digest}`);
      assert.equal(await served(`${t}@${armImage.digest}`), armImage.digest);
      await controller.stop();
    });

    it('imageID as the index digest copies the whole index; as a platform digest, that platform image under the tag', async () => {
      const { controller } = makeController(dst, { digestPull: true, repoPrefix: 'ids' });
      const nginx = `${src.host}/library/nginx`;
      const amd = index.manifests[0]!;
      await run(controller, pod('by-index', [{ name: 'app', image: `${nginx}:1.25`, imageID: `${nginx}@${index.digest}` }], { ns: 'a' }));
      await run(controller, pod('by-platform', [{ name: 'app', image: `${src.host}/library/nginx:1.25-amd64`, imageID: `${nginx}@${amd.digest}` }], { ns: 'b' }));
      assert.equal(await served(`${dst.host}/ids/library/nginx:1.25`), index.digest);
      for (const child of [...index.manifests, ...index.attestations]) assert.equal(await served(`${dst.host}/ids/library/nginx@${child.digest}`), child.digest);
      assert.equal(await served(`${dst.host}/ids/library/nginx:1.25-amd64`), amd.digest);
      await controller.stop();
    });
  });

  it('node arm64 + multi-arch index: the arm64 manifest and its attestation by digest, never a rewritten index; sparseFallback full keeps the index', async () => {
    const nodes = async () => ({ os: 'linux', architecture: 'arm64' });
    const filters = { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS), nodePlatform: nodes };
    const arm = index.manifests[1]!;
    const nginx = `${src.host}/library/nginx`;
    const p = pod('arm', [{ name: 'app', image: `${nginx}:1.25`, imageID: `${nginx}@${index.digest}` }], { node: 'arm-1' });
    const sparse = makeController(dst, { digestPull: true, checkNodePlatform: true, repoPrefix: 'arm' }, { filters });
    const s = one(await run(sparse.controller, p), `${nginx}:1.25`);
    assert.equal(s.state, 'partial');
    assert.deepEqual(s.platforms, [{ platform: 'linux/arm64', digest: arm.digest }]);
    assert.equal(await served(`${dst.host}/arm/library/nginx@${arm.digest}`), arm.digest);
    assert.equal(await served(`${dst.host}/arm/library/nginx@${index.attestations[1]!.digest}`), index.attestations[1]!.digest);
    assert.equal(await served(`${dst.host}/arm/library/nginx@${index.manifests[0]!.digest}`), undefined);
    assert.equal(await served(`${dst.host}/arm/library/nginx:1.25`), undefined, 'no tag on a different index');
    await sparse.controller.stop();

    const full = makeController(dst, { digestPull: true, checkNodePlatform: true, repoPrefix: 'armfull', sparseFallback: 'full' }, { filters });
    assert.equal(one(await run(full.controller, p), `${nginx}:1.25`).state, 'mirrored');
    assert.equal(await served(`${dst.host}/armfull/library/nginx:1.25`), index.digest);
    await full.controller.stop();
  });

  it('a moved upstream tag is mirrored again by the resync (one source HEAD)', async () => {
    const { controller } = makeController(dst, { repoPrefix: 'moving' });
    const image = `${src.host}/app/moving:v1`;
    assert.equal(one(await run(controller, deployment('mover', image)), image).digest, moved.digest);
    assert.equal(await served(`${dst.host}/moving/app/moving:v1`), moved.digest);
    assert.deepEqual(await controller.resync(), { checked: 1, requeued: 0 });
    const next = await pushImage(src, 'app/moving', { tag: 'v1', seed: 'second' });
    assert.deepEqual(await controller.resync(), { checked: 1, requeued: 1 });
    await controller.whenIdle();
    assert.equal(await served(`${dst.host}/moving/app/moving:v1`), next.digest);
    await controller.stop();
  });

  it('Docker Hub-style names (library/ paths, $registry, docker-pullable imageIDs) and a bad reference among good ones', async () => {
    const { controller, log } = makeController(dst, { digestPull: true, repoPrefix: '$registry/$namespace' });
    const nginx = `${src.host}/library/nginx`;
    const status = await run(
      controller,
      pod('hub', [
        { name: 'broken', image: 'NGINX:1.25' },
        { name: 'app', image: `${nginx}:1.25`, imageID: `docker-pullable://${nginx}@${index.digest}` },
        { name: 'missing', image: `${src.host}/library/none:1`, imageID: `${src.host}/library/none@sha256:${'c'.repeat(64)}` },
      ], { ns: 'web' }),
    );
    assert.equal(one(status, 'NGINX:1.25').state, 'invalid');
    const app = one(status, `${nginx}:1.25`);
    assert.equal(app.state, 'mirrored');
    const repo = `${src.host.replace(':', '-')}/web/library/nginx`;
    assert.equal(app.target, `${dst.host}/${repo}:1.25`);
    assert.equal(await served(`${dst.host}/${repo}:1.25`), index.digest);
    const missing = one(status, `${src.host}/library/none:1`);
    assert.equal(missing.state, 'cooldown');
    assert.match(missing.lastError ?? '', /looks like the original image was overwritten/);
    assert.ok(log.records.filter((r) => r.message === 'unable to mirror image').length >= 2);
    await controller.stop();
  });

  it('200 pods of one Deployment cost one copy', async () => {
    const { controller } = makeController(dst, { repoPrefix: 'fleet' });
    const image = `${src.host}/library/nginx:1.25`;
    const objects: KubeObject[] = [deployment('web', image)];
    for (let i = 0; i < 200; i++) objects.push(pod(`web-5f7b9-${i}`, [{ name: 'app', image, imageID: `${src.host}/library/nginx@${index.digest}` }], { owner: 'web-5f7b9', hash: '5f7b9' }));
    const status = await run(controller, ...objects);
    assert.equal(status.images.length, 1);
    assert.equal(status.images[0]!.userCount, 201);
    assert.equal(status.images[0]!.state, 'mirrored');
    // The index, its 4 platform images and 2 attestations, each pushed once (the log may trail the responses a little).
    for (let i = 0; i < 50 && manifestPuts(dst, 'fleet/library/nginx') < 7; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(manifestPuts(dst, 'fleet/library/nginx'), 7);
    await controller.stop();
  });

  it('dryRun and dryPull write nothing: no repository in the catalog, no blob stored', async () => {
    const empty = await startRegistry();
    try {
      for (const mode of [{ dryRun: true }, { dryPull: true }]) {
        const { controller, log } = makeController(empty, { repoPrefix: 'dry' }, mode);
        const status = await run(controller, deployment('web', `${src.host}/library/nginx:1.25`), pod('p', [{ name: 'a', image: `${src.host}/app/moving:v1` }]));
        assert.deepEqual(status.images.map((i) => i.state), ['skipped', 'skipped']);
        assert.ok(log.records.some((r) => r.message === (mode.dryRun ? 'dry run: skipping push' : 'dry pull: skipping source registry fetch')));
        await controller.stop();
      }
      assert.deepEqual(await catalog(empty), []);
      const blobs = await readdir(join(empty.dataDir, 'docker/registry/v2/blobs')).catch(() => []);
      assert.deepEqual(blobs, []);
      assert.ok(!/http\.request\.method=(PUT|POST|PATCH)/.test(empty.logs()), 'no write request reached the registry');
    } finally {
      await empty.stop();
    }
  });

  it('cooldown: a failing image is held, reset-cooldown retries it once fixed', async () => {
    const { controller, log } = makeController(dst, { repoPrefix: 'cool' }, { failureCooldownMs: 3_600_000 });
    const image = `${src.host}/app/later:v1`;
    const failed = one(await run(controller, pod('later', [{ name: 'app', image }])), image);
    assert.equal(failed.state, 'cooldown');
    assert.ok(Date.parse(failed.nextRetry!) - Date.now() > 3_500_000);
    const later = await pushImage(src, 'app/later', { tag: 'v1' });
    await controller.forceReconcile();
    assert.ok(log.records.some((r) => r.message === 'skipping image due to previous failure'));
    assert.equal(await served(`${dst.host}/cool/app/later:v1`), undefined);
    assert.deepEqual(controller.resetCooldown(), { cleared: 1, enabled: true });
    await controller.whenIdle();
    assert.equal(await served(`${dst.host}/cool/app/later:v1`), later.digest);
    await controller.stop();
  });
});
