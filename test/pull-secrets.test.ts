/**
 * `usePodPullSecrets` end to end: a private source registry (distribution 2.8, htpasswd basic auth), pull
 * secrets and service accounts served by the in-process Kubernetes API and read with the real client, the
 * controller driven with Pods directly, skopeo as the oracle. A pod's own secret, or its service account's,
 * opens the registry for its images; a pod of another namespace without one fails as its own pull would,
 * never borrowing the first namespace's credentials; with the option off no secret is read and the private
 * image fails with UNAUTHORIZED naming the registry. No secret reaches the logs or the status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, defaultRules, memoryLogger, namespaceFilter, skipListsFrom, type ControllerStatus, type ImageStatus } from '../src/controller/index.ts';
import { KubeClient, loadKubeConfig, podPullSecretsFetcher, type PodLike } from '../src/kube/index.ts';
import { RegistryClient, Transport } from '../src/registry/index.ts';
import { DockerTarget } from '../src/targets/index.ts';
import { pushImage, type ImageFixture } from './support/fixtures.ts';
import { startKubeApiServer, type FakeKubeApiServer, type KObject } from './support/kube-apiserver.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';

const USERNAME = 'puller';
const PASSWORD = 'Pull-S3cret-from-a-Secret-5d1c';
const NO_SKIPS = { deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods: [] };

/** A `kubernetes.io/dockerconfigjson` Secret for `registry`, as `kubectl create secret docker-registry` writes it. */
function registrySecret(namespace: string, name: string, registry: string, password = PASSWORD): KObject {
  const auth = Buffer.from(`${USERNAME}:${password}`).toString('base64');
  const config = { auths: { [`https://${registry}`]: { username: USERNAME, password, auth } } };
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') } };
}

function serviceAccount(namespace: string, name: string, pullSecrets: string[] = []): KObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((s) => ({ name: s })) } : {}) };
}

function pod(namespace: string, name: string, image: string, spec: { imagePullSecrets?: string[]; serviceAccountName?: string } = {}): PodLike {
  return {
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [{ name: 'app', image }],
      ...(spec.imagePullSecrets ? { imagePullSecrets: spec.imagePullSecrets.map((s) => ({ name: s })) } : {}),
      serviceAccountName: spec.serviceAccountName ?? 'default',
    },
    status: { phase: 'Running' },
  };
}

/** Every form of the secret that must never be printed or stored. */
function secretForms(registry: string): string[] {
  const auth = Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64');
  const secret = registrySecret('x', 'x', registry) as { data: Record<string, string> };
  return [PASSWORD, auth, secret.data['.dockerconfigjson']!.slice(0, 40)];
}

async function served(ref: string): Promise<string | undefined> {
  try {
    return sha256(await skopeoInspectRaw(ref));
  } catch {
    return undefined;
  }
}

describe('usePodPullSecrets against distribution 2.8 and the Kubernetes API', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let api: FakeKubeApiServer;
  let kube: KubeClient;
  let image: ImageFixture;

  before(async () => {
    [src, dst, api] = await Promise.all([startRegistry({ auth: 'basic', username: USERNAME, password: PASSWORD }), startRegistry(), startKubeApiServer()]);
    image = await pushImage(src, 'private/app', { tag: 'v1', seed: 'pull-secrets' });
    for (const ns of ['team-a', 'team-b', 'team-c']) api.create(serviceAccount(ns, 'default'));
    api.create(registrySecret('team-a', 'regcred', src.host));
    api.create(serviceAccount('team-c', 'builder', ['sa-regcred']));
    api.create(registrySecret('team-c', 'sa-regcred', src.host));
    kube = new KubeClient(loadKubeConfig({ kubeconfig: api.writeKubeconfig(), env: {} }).config);
  });
  after(async () => {
    await Promise.all([src?.stop(), dst?.stop(), api?.stop()]);
  });

  function makeController(prefix: string, usePullSecrets: boolean) {
    const log = memoryLogger();
    const transport = new Transport({ attempts: 1 });
    const controller = new Controller({
      // `$namespace` keeps the namespaces' mirrors apart, so each namespace is its own job.
      rules: defaultRules(dst.host, { repoPrefix: `${prefix}/$namespace` }),
      target: new DockerTarget({ registry: dst.host }),
      source: new RegistryClient({ transport }),
      targetClient: new RegistryClient({ transport }),
      filters: { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS) },
      retryBackoffMs: 0,
      retryAttempts: 1,
      logger: log,
      ...(usePullSecrets ? { pullSecrets: podPullSecretsFetcher(kube, { onWarning: (m) => log.warn({}, m) }), sourceCredentials: {} } : {}),
    });
    controller.start();
    return { controller, log, close: () => transport.close() };
  }

  const privateImage = () => `${src.host}/private/app:v1`;
  const find = (s: ControllerStatus, target: string): ImageStatus => {
    const found = s.images.find((i) => i.target === target);
    assert.ok(found, `${target} in ${JSON.stringify(s.images.map((i) => i.target))}`);
    return found;
  };
  const assertNoSecrets = (what: string, text: string): void => {
    for (const form of secretForms(src.host)) assert.ok(!text.includes(form), `a secret (${form.slice(0, 4)}…) appears in ${what}`);
  };

  it("on: the pod's own secret and a service account's secret open the registry; another namespace never borrows them", async () => {
    const { controller, log, close } = makeController('on', true);
    api.requests.length = 0;
    controller.observe(pod('team-a', 'web', privateImage(), { imagePullSecrets: ['regcred'] }));
    controller.observe(pod('team-b', 'api', privateImage()));
    controller.observe(pod('team-c', 'build', privateImage(), { serviceAccountName: 'builder' }));
    await controller.whenIdle();
    const status = controller.status();

    const a = find(status, `${dst.host}/on/team-a/private/app:v1`);
    assert.equal(a.state, 'mirrored', a.lastError);
    assert.deepEqual(a.pullSecrets, ['team-a/regcred']);
    assert.equal(await served(`${dst.host}/on/team-a/private/app:v1`), image.digest);

    const c = find(status, `${dst.host}/on/team-c/private/app:v1`);
    assert.equal(c.state, 'mirrored', c.lastError);
    assert.deepEqual(c.pullSecrets, ['team-c/sa-regcred']);
    assert.equal(await served(`${dst.host}/on/team-c/private/app:v1`), image.digest);

    const b = find(status, `${dst.host}/on/team-b/private/app:v1`);
    assert.equal(b.state, 'cooldown');
    assert.equal(b.errorCode, 'UNAUTHORIZED');
    assert.ok(b.lastError?.includes(src.host), b.lastError);
    assert.equal(b.pullSecrets, undefined);
    assert.equal(await served(`${dst.host}/on/team-b/private/app:v1`), undefined);

    const secretReads = api.requests.filter((r) => r.path.includes('/secrets/')).map((r) => r.path).sort();
    assert.deepEqual(secretReads, ['/api/v1/namespaces/team-a/secrets/regcred', '/api/v1/namespaces/team-c/secrets/sa-regcred'], 'secrets are read by name in the pod’s own namespace, never listed');
    assert.ok(api.requests.some((r) => r.path === '/api/v1/namespaces/team-c/serviceaccounts/builder'));

    // The resync re-reads the tag with the job's own credentials: one HEAD for both jobs (same credential contents).
    assert.deepEqual(await controller.resync(), { checked: 1, requeued: 0 });
    assert.ok(!log.records.some((r) => r.message.startsWith('resync check failed')), JSON.stringify(log.records.filter((r) => r.message.startsWith('resync'))));

    assertNoSecrets('the status', JSON.stringify(status));
    assertNoSecrets('the logs', JSON.stringify(log.records));
    await controller.stop();
    await close();
  });

  it('off: no Secret is read and the private image fails with UNAUTHORIZED naming the registry', async () => {
    const { controller, log, close } = makeController('off', false);
    api.requests.length = 0;
    controller.observe(pod('team-a', 'web', privateImage(), { imagePullSecrets: ['regcred'] }));
    await controller.whenIdle();
    const a = find(controller.status(), `${dst.host}/off/team-a/private/app:v1`);
    assert.equal(a.errorCode, 'UNAUTHORIZED');
    assert.ok(a.lastError?.includes(src.host), a.lastError);
    assert.equal(a.pullSecrets, undefined);
    assert.equal(await served(`${dst.host}/off/team-a/private/app:v1`), undefined);
    assert.deepEqual(api.requests, [], 'the API server was not asked for anything');
    assertNoSecrets('the logs', JSON.stringify(log.records));
    await controller.stop();
    await close();
  });
});
