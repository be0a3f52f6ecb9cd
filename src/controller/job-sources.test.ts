import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Copier } from '../copy/index.ts';
import type { PullSecretUser } from '../kube/index.ts';
import { RegistryClient, RegistryError, StaticCredentials, type Credential, type CredentialProvider, type PullSecret } from '../registry/index.ts';
import { DockerTarget } from '../targets/index.ts';
import { Controller } from './controller.ts';
import { namespaceFilter, skipListsFrom } from './evaluate.ts';
import { JobSources, type JobSourcesOptions } from './job-sources.ts';
import { memoryLogger } from './logger.ts';
import { seedImage, startMemoryRegistry, type MemoryRegistry } from './memory-registry.fixture.ts';
import { defaultRules } from './rules.ts';
import type { ControllerStatus } from './status.ts';
import { pod } from './test-support.fixture.ts';

const PASSWORD = 'pull-secret-password-42';
const NO_SKIPS = { deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods: [] };

function pullSecret(namespace: string, name: string, registry: string, password = PASSWORD): PullSecret {
  const json = JSON.stringify({ auths: { [registry]: { username: 'robot', password } } });
  return { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(json).toString('base64') }, metadata: { namespace, name } };
}

const user = (namespace: string, name: string, imagePullSecrets: string[] = []): PullSecretUser => ({ namespace, name, imagePullSecrets });

/** A provider that records the registries it was asked for. */
function recording(answer?: Credential): CredentialProvider & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: async (registry) => {
      asked.push(registry);
      return answer;
    },
  };
}

const isUnauthorized = (err: unknown): boolean => err instanceof RegistryError && err.code === 'UNAUTHORIZED';

describe('JobSources', () => {
  let reg: MemoryRegistry;
  before(async () => {
    reg = await startMemoryRegistry({ basicAuth: { username: 'robot', password: PASSWORD } });
    seedImage(reg, 'private/app', { tag: 'v1' });
  });
  after(async () => {
    await reg.close();
  });

  function sources(secrets: Record<string, PullSecret[]>, over: Partial<JobSourcesOptions> = {}): { jobs: JobSources; shared: RegistryClient; log: ReturnType<typeof memoryLogger> } {
    const shared = new RegistryClient();
    const log = memoryLogger();
    const jobs = new JobSources({
      lookup: async (users) => users.flatMap((u) => secrets[u.namespace] ?? []),
      credentials: {},
      shared,
      newCopier: (source) => new Copier({ source }),
      log,
      ...over,
    });
    return { jobs, shared, log };
  }
  const head = (client: RegistryClient) => client.headManifest({ registry: reg.host, repository: 'private/app' }, 'v1');

  it("users without secrets read with the shared client; with secrets, a client carrying exactly theirs, on the shared transport", async () => {
    const { jobs, shared } = sources({ a: [pullSecret('a', 'regcred', reg.host)] });
    const none = await jobs.forUsers([user('b', 'api')]);
    assert.equal(none.client, shared);
    assert.equal(none.key, '');
    assert.equal(none.copier, undefined);
    await assert.rejects(head(none.client), isUnauthorized);

    const mine = await jobs.forUsers([user('a', 'web', ['regcred'])]);
    assert.notEqual(mine.client, shared);
    assert.equal(mine.client.transport, shared.transport, 'connection pools are shared');
    assert.deepEqual(mine.secrets, ['a/regcred']);
    assert.ok(mine.copier instanceof Copier);
    assert.ok((await head(mine.client))?.digest.startsWith('sha256:'));
  });

  it('one client per credential set: same contents share it, others get their own, least recently used dropped', async () => {
    const { jobs } = sources({ a: [pullSecret('a', 'regcred', reg.host)], c: [pullSecret('c', 'copy', reg.host)], d: [pullSecret('d', 'other', reg.host, 'wrong')] }, { maxClients: 1 });
    const a = await jobs.forUsers([user('a', 'web')]);
    const c = await jobs.forUsers([user('c', 'web')]);
    assert.equal(c.client, a.client, 'identical credentials, one client');
    assert.equal(c.copier, a.copier);
    assert.deepEqual(c.secrets, ['c/copy']);
    const d = await jobs.forUsers([user('d', 'web')]);
    assert.notEqual(d.client, a.client);
    await assert.rejects(head(d.client), isUnauthorized, "d's own (wrong) password, never a's");
    assert.equal(jobs.size, 1);
    assert.notEqual((await jobs.forUsers([user('a', 'web')])).client, a.client, 'evicted, built again');
  });

  it('renewCopiers gives every credential set a fresh copy engine', async () => {
    const { jobs } = sources({ a: [pullSecret('a', 'regcred', reg.host)] });
    const first = await jobs.forUsers([user('a', 'web')]);
    assert.equal((await jobs.forUsers([user('a', 'web')])).copier, first.copier);
    jobs.renewCopiers();
    const next = await jobs.forUsers([user('a', 'web')]);
    assert.equal(next.client, first.client);
    assert.notEqual(next.copier, first.copier);
  });

  it('chain order: registryCredentials, then the pull secrets, then the docker config', async () => {
    const docker = recording({ kind: 'basic', username: 'robot', password: 'docker-config' });
    const wrongConfig = new StaticCredentials([[reg.host, { kind: 'basic', username: 'robot', password: 'from-config' }]]);
    const configFirst = sources({ a: [pullSecret('a', 'regcred', reg.host)] }, { credentials: { config: wrongConfig, dockerConfig: docker } });
    await assert.rejects(head((await configFirst.jobs.forUsers([user('a', 'web')])).client), isUnauthorized, 'the config entry wins over the pull secret');
    const secretsNext = sources({ a: [pullSecret('a', 'regcred', reg.host)] }, { credentials: { config: recording(), dockerConfig: docker } });
    assert.ok(await head((await secretsNext.jobs.forUsers([user('a', 'web')])).client));
    assert.deepEqual(docker.asked, [], 'the docker config is not asked when a pull secret matches');
  });

  it('unusable secrets are skipped with a warning naming them, never their contents; the job reads with the shared client', async () => {
    const broken: PullSecret = { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(`{"auths": ${PASSWORD}`).toString('base64') }, metadata: { namespace: 'a', name: 'broken' } };
    const { jobs, shared, log } = sources({ a: [broken] });
    const src = await jobs.forUsers([user('a', 'web')]);
    assert.equal(src.client, shared);
    assert.deepEqual(src.secrets, ['a/broken']);
    await jobs.forUsers([user('a', 'web')]);
    const warnings = log.records.filter((r) => r.level === 'warn');
    assert.equal(warnings.length, 1, 'warned once per credential set');
    assert.match(String(warnings[0]!.fields['warning']), /pull secret a\/broken: \.dockerconfigjson is not JSON/);
    assert.ok(!JSON.stringify(log.records).includes(PASSWORD));
  });
});

describe('Controller with pullSecrets', () => {
  let src: MemoryRegistry;
  let dst: MemoryRegistry;
  before(async () => {
    [src, dst] = await Promise.all([startMemoryRegistry({ basicAuth: { username: 'robot', password: PASSWORD } }), startMemoryRegistry()]);
    seedImage(src, 'private/app', { tag: 'v1' });
  });
  after(async () => {
    await Promise.all([src.close(), dst.close()]);
  });

  function controller(lookup: ((users: readonly PullSecretUser[]) => Promise<PullSecret[]>) | undefined, prefix: string) {
    const log = memoryLogger();
    const c = new Controller({
      rules: defaultRules(dst.host, { repoPrefix: `${prefix}/$namespace` }),
      target: new DockerTarget({ registry: dst.host }),
      source: new RegistryClient(),
      targetClient: new RegistryClient(),
      filters: { namespaceAllowed: namespaceFilter('*', []), skip: skipListsFrom(NO_SKIPS) },
      retryBackoffMs: 0,
      retryAttempts: 1,
      logger: log,
      queueBackoff: { initialMs: 20, maxMs: 40, jitter: 0 },
      ...(lookup ? { pullSecrets: lookup } : {}),
    });
    c.start();
    return { c, log };
  }
  const state = (s: ControllerStatus, target: string) => s.images.find((i) => i.target === target);

  it("each job reads with its own users' secrets only: namespace a mirrors, namespace b fails as its own pull would", async () => {
    const calls: string[][] = [];
    const lookup = async (users: readonly PullSecretUser[]): Promise<PullSecret[]> => {
      calls.push(users.map((u) => `${u.namespace}/${u.name}:${u.imagePullSecrets.join(',')}`));
      return users.flatMap((u) => (u.namespace === 'a' && u.imagePullSecrets.includes('regcred') ? [pullSecret('a', 'regcred', src.host)] : []));
    };
    const { c, log } = controller(lookup, 'iso');
    const ref = `${src.host}/private/app:v1`;
    const withSecret = pod('a', 'web', [{ name: 'app', image: ref }]);
    withSecret.spec!.imagePullSecrets = [{ name: 'regcred' }];
    c.observe(withSecret);
    c.observe(pod('b', 'api', [{ name: 'app', image: ref }]));
    await c.whenIdle();
    const s = c.status();
    const a = state(s, `${dst.host}/iso/a/private/app:v1`);
    const b = state(s, `${dst.host}/iso/b/private/app:v1`);
    assert.equal(a?.state, 'mirrored');
    assert.deepEqual(a?.pullSecrets, ['a/regcred']);
    assert.equal(dst.tagOf('iso/a/private/app', 'v1') !== undefined, true);
    assert.equal(b?.state, 'cooldown');
    assert.equal(b?.errorCode, 'UNAUTHORIZED');
    assert.equal(b?.pullSecrets, undefined);
    assert.deepEqual(calls.sort(), [['a/web:regcred'], ['b/api:']], 'each lookup names only the users of its own job');
    assert.ok(!JSON.stringify([s, log.records]).includes(PASSWORD));
    await c.stop();
  });

  it('without pullSecrets the same pod fails with UNAUTHORIZED', async () => {
    const { c } = controller(undefined, 'off');
    const p = pod('a', 'web', [{ name: 'app', image: `${src.host}/private/app:v1` }]);
    p.spec!.imagePullSecrets = [{ name: 'regcred' }];
    c.observe(p);
    await c.whenIdle();
    const s = state(c.status(), `${dst.host}/off/a/private/app:v1`);
    assert.equal(s?.errorCode, 'UNAUTHORIZED');
    assert.match(s?.lastError ?? '', new RegExp(src.host.replace(/[.]/g, '\\.')));
    await c.stop();
  });

  it('secrets that cannot be read hold the job (no cooldown) and it retries', async () => {
    let fail = true;
    const lookup = async (): Promise<PullSecret[]> => {
      if (fail) throw new Error('GET /api/v1/namespaces/a/secrets/regcred: 503');
      return [pullSecret('a', 'regcred', src.host)];
    };
    const { c, log } = controller(lookup, 'later');
    c.observe(pod('a', 'web', [{ name: 'app', image: `${src.host}/private/app:v1` }]));
    await c.whenIdle();
    const target = `${dst.host}/later/a/private/app:v1`;
    const held = state(c.status(), target);
    assert.equal(held?.state, 'pending');
    assert.match(held?.reason ?? '', /waiting for pull secrets/);
    assert.ok(log.records.some((r) => r.message === 'unable to read pull secrets; retrying'));
    fail = false;
    for (let i = 0; i < 100 && state(c.status(), target)?.state !== 'mirrored'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(state(c.status(), target)?.state, 'mirrored');
    await c.stop();
  });
});
