import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startKubeApiServer, type FakeKubeApiServer, type KObject } from '../../test/support/kube-apiserver.ts';
import { KubeClient } from './client.ts';
import { loadKubeConfig } from './config.ts';
import { KubeError } from './errors.ts';
import { podPullSecretsFetcher, pullSecretUserOf, type PullSecretUser } from './pull-secrets.ts';

const PASSWORD = 'hunter2-very-secret';

function dockerconfigjson(namespace: string, name: string, registry = 'registry.example.com'): KObject {
  const auths = { auths: { [registry]: { auth: Buffer.from(`robot:${PASSWORD}`).toString('base64') } } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': PASSWORD } },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(auths)).toString('base64') },
  };
}

const account = (namespace: string, name: string, secrets: string[]): KObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace },
  imagePullSecrets: secrets.map((s) => ({ name: s })),
});

const user = (namespace: string, name: string, imagePullSecrets: string[], serviceAccountName?: string): PullSecretUser => ({
  namespace,
  name,
  imagePullSecrets,
  ...(serviceAccountName ? { serviceAccountName } : {}),
});

describe('podPullSecretsFetcher against the fake API server', () => {
  let api: FakeKubeApiServer;
  let client: KubeClient;

  before(async () => {
    api = await startKubeApiServer();
    client = new KubeClient(loadKubeConfig({ kubeconfig: api.writeKubeconfig(), env: {} }).config);
    api.create(dockerconfigjson('a', 'regcred'));
    api.create(dockerconfigjson('a', 'other'));
    api.create(dockerconfigjson('a', 'from-sa'));
    api.create(dockerconfigjson('b', 'b-default'));
    api.create(account('a', 'default', []));
    api.create(account('a', 'builder', ['from-sa', 'regcred']));
    api.create(account('b', 'default', ['b-default']));
  });
  after(async () => {
    await api.stop();
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.clearFaults();
  });

  const gets = (re: RegExp): string[] => api.requests.filter((r) => r.method === 'GET' && re.test(r.path)).map((r) => r.path);

  it("reads each user's secrets, then its service account's, each once, in its own namespace; keeps only type, data and names", async () => {
    const fetch = podPullSecretsFetcher(client);
    const found = await fetch([user('a', 'web', ['regcred', 'other'], 'builder'), user('b', 'api', ['regcred'])]);
    assert.deepEqual(
      found.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`),
      ['a/regcred', 'a/other', 'a/from-sa', 'b/b-default'],
      "pod secrets first, then the service account's; b's regcred is b's (absent), never a's",
    );
    assert.deepEqual(Object.keys(found[0]!).sort(), ['data', 'metadata', 'type']);
    assert.deepEqual(found[0]!.metadata, { name: 'regcred', namespace: 'a' });
    assert.ok(!JSON.stringify(found).includes(PASSWORD), 'the last-applied annotation is dropped');
    assert.deepEqual(gets(/serviceaccounts/).sort(), ['/api/v1/namespaces/a/serviceaccounts/builder', '/api/v1/namespaces/b/serviceaccounts/default']);
    assert.equal(gets(/\/namespaces\/a\/secrets\/regcred$/).length, 1);
    assert.equal(gets(/\/namespaces\/b\/secrets\/regcred$/).length, 1);
  });

  it('caches reads for the TTL and shares concurrent lookups', async () => {
    let now = 0;
    const fetch = podPullSecretsFetcher(client, { ttlMs: 1_000, now: () => now });
    const users = [user('a', 'web', ['regcred'])];
    const [one, two] = await Promise.all([fetch(users), fetch(users)]);
    assert.equal(one.length, 1);
    assert.deepEqual(two, one);
    assert.equal(gets(/secrets\/regcred$/).length, 1, 'one GET for two concurrent lookups');
    assert.equal(gets(/serviceaccounts\/default$/).length, 1);
    now = 999;
    await fetch(users);
    assert.equal(gets(/secrets\/regcred$/).length, 1, 'served from the cache within the TTL');
    now = 1_000;
    await fetch(users);
    assert.equal(gets(/secrets\/regcred$/).length, 2, 'read again once the TTL passed');
  });

  it('leaves out missing and forbidden secrets with one warning each, naming the object and never its data', async () => {
    let now = 0;
    const warnings: string[] = [];
    const fetch = podPullSecretsFetcher(client, { ttlMs: 10, now: () => now, onWarning: (m) => warnings.push(m) });
    api.failNext({ method: 'GET', path: /\/secrets\/regcred$/, status: 403, reason: 'Forbidden', times: Infinity });
    const users = [user('a', 'web', ['regcred', 'missing', 'other'])];
    const first = await fetch(users);
    assert.deepEqual(first.map((s) => s.metadata?.name), ['other']);
    now = 100;
    await fetch(users);
    assert.equal(gets(/secrets\/missing$/).length, 2, 'misses are cached for the TTL only');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings.find((w) => w.includes('not allowed')) ?? '', /secret a\/regcred.*"get" on secrets/);
    assert.match(warnings.find((w) => w.includes('not found')) ?? '', /secret a\/missing not found/);
    assert.ok(!warnings.join('\n').includes(PASSWORD));
  });

  it('a forbidden service account read is tolerated: the pod keeps its own secrets', async () => {
    const warnings: string[] = [];
    api.failNext({ method: 'GET', path: /serviceaccounts/, status: 403, reason: 'Forbidden', times: Infinity });
    const found = await podPullSecretsFetcher(client, { onWarning: (m) => warnings.push(m) })([user('a', 'web', ['regcred'], 'builder')]);
    assert.deepEqual(found.map((s) => s.metadata?.name), ['regcred']);
    assert.deepEqual(warnings, ['not allowed to get serviceaccount a/builder; usePodPullSecrets needs RBAC "get" on serviceaccounts']);
  });

  it('serves the last answer when a refresh fails, and rejects when there is none', async () => {
    let now = 0;
    const fetch = podPullSecretsFetcher(client, { ttlMs: 10, now: () => now });
    assert.equal((await fetch([user('a', 'web', ['regcred'])])).length, 1);
    now = 100;
    api.failNext({ method: 'GET', path: /\/secrets\//, status: 500, times: Infinity });
    assert.equal((await fetch([user('a', 'web', ['regcred'])])).length, 1, 'stale answer served');
    await assert.rejects(fetch([user('a', 'web', ['other'])]), (err: unknown) => err instanceof KubeError && err.code === 'KUBE_SERVER_ERROR');
  });

  it('asks nothing for users without a namespace', async () => {
    assert.deepEqual(await podPullSecretsFetcher(client)([user('', 'doc', ['regcred'])]), []);
    assert.equal(api.requests.length, 0);
  });
});

describe('pullSecretUserOf', () => {
  it('reads pods, workload templates and CronJob job templates; blank names dropped; no namespace, no user', () => {
    const spec = { imagePullSecrets: [{ name: 'regcred' }, { name: ' ' }, {}], serviceAccountName: 'builder', containers: [] };
    assert.deepEqual(pullSecretUserOf({ kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec } as KObject), { namespace: 'a', name: 'p', imagePullSecrets: ['regcred'], serviceAccountName: 'builder' });
    assert.deepEqual(pullSecretUserOf({ metadata: { name: 'p', namespace: 'a' }, spec: { containers: [], serviceAccount: 'old' } } as KObject), { namespace: 'a', name: 'p', imagePullSecrets: [], serviceAccountName: 'old' });
    assert.deepEqual(pullSecretUserOf({ kind: 'Deployment', metadata: { name: 'd', namespace: 'a' }, spec: { template: { spec } } } as KObject)?.imagePullSecrets, ['regcred']);
    assert.deepEqual(pullSecretUserOf({ kind: 'CronJob', metadata: { name: 'c', namespace: 'a' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } } } as KObject), { namespace: 'a', name: 'c', imagePullSecrets: [] });
    assert.equal(pullSecretUserOf({ kind: 'Pod', metadata: { name: 'p' }, spec } as KObject), undefined);
  });
});
