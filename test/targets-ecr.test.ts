/**
 * The ECR target with the real AWS SDK v3 against an in-process endpoint speaking the ECR JSON 1.1 and STS
 * Query protocols (test/support/ecr-server.ts), and a real distribution registry with basic auth (user `AWS`,
 * the password the fake's tokens carry) as the registry half, so a full mirror into "ECR" runs end to end and
 * skopeo checks the digests. No real AWS, no network beyond loopback.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { Copier, hasCode, parseReference, RegistryClient, Transport } from '../src/index.ts';
import { EcrTarget, targetRepository, type EcrEvent, type EcrTargetOptions, type Target } from '../src/targets/index.ts';
import { startEcrServer, type FakeEcr } from './support/ecr-server.ts';
import { pushMultiArchIndex, pushSchema2Image, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';
import { hermeticAwsEnv, setEnv } from './lib/aws-env.ts';

// Hermetic AWS environment: static test keys, no shared config files, no instance metadata, no IRSA.
const ACCESS_KEY = 'AKIACOPYCATTEST00001';
const SECRET_KEY = 'copycat/test+SECRET+key/0123456789abcdefgh';
const AWS_ENV = hermeticAwsEnv(ACCESS_KEY, SECRET_KEY);
setEnv(AWS_ENV);

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const FAST_RETRY = { initialMs: 5, maxMs: 20, attempts: 4 };
const POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'expire untagged', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

/** An EcrTarget on the fake endpoint, collecting its events. */
function makeTarget(ecr: FakeEcr, extra: Partial<EcrTargetOptions> = {}): { target: EcrTarget; events: EcrEvent[] } {
  const events: EcrEvent[] = [];
  const target = new EcrTarget({ accountId: ACCOUNT, region: REGION, endpoint: ecr.url, stsEndpoint: ecr.url, retry: FAST_RETRY, observer: (e) => events.push(e), ...extra });
  return { target, events };
}

/** A source client and a target client whose credentials are the target's, as the controller wires them. */
function engineFor(target: Target): { copier: Copier; close(): Promise<void> } {
  const transport = new Transport({ backoff: { initialMs: 20, maxMs: 200 } });
  const source = new RegistryClient({ transport });
  const dest = new RegistryClient({ transport, credentials: target.credentials, insecureRegistries: target.insecure ? [target.registry] : [] });
  return { copier: new Copier({ source, target: dest }), close: () => transport.close() };
}

describe('ECR target end to end: real SDK, fake ECR API, real registry half', () => {
  let ecr: FakeEcr;
  let registry: RunningRegistry;
  let source: RunningRegistry;
  let index: IndexFixture;
  let image: ImageFixture;

  before(async () => {
    ecr = await startEcrServer({ accountId: ACCOUNT, region: REGION });
    [registry, source] = await Promise.all([startRegistry({ auth: 'basic', username: 'AWS', password: ecr.password }), startRegistry({ auth: 'none' })]);
    ecr.registryHost = registry.host;
    [index, image] = await Promise.all([pushMultiArchIndex(source, 'team/web', { tag: 'v1' }), pushSchema2Image(source, 'team/worker', { tag: '2.0', layers: [900, 300] })]);
  });
  after(async () => {
    await Promise.all([ecr?.stop(), registry?.stop(), source?.stop()]);
  });

  it('creates repositories with settings and lifecycle policy, mirrors two images, and fetches one token for both rounds', async () => {
    const { target, events } = makeTarget(ecr, {
      registry: registry.host,
      lifecyclePolicy: POLICY,
      imageTagMutability: 'IMMUTABLE',
      scanOnPush: true,
      encryption: { type: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd' },
      tags: { 'managed-by': 'copycat', team: 'platform' },
    });
    const engine = engineFor(target);
    try {
      const rules = { repoPrefix: 'mirrors/$namespace' };
      const rounds = [
        { src: 'team/web:v1', fx: index as { digest: string }, tag: 'v1' },
        { src: 'team/worker:2.0', fx: image as { digest: string }, tag: '2.0' },
      ];
      for (const round of rounds) {
        const src = parseReference(`${source.host}/${round.src}`);
        const repo = targetRepository(src.repository, { namespace: 'default', registry: src.registry }, rules);
        assert.equal(await target.ensureRepository(repo), 'created');
        const result = await engine.copier.copy(src, parseReference(`${target.registry}/${repo}:${round.tag}`));
        assert.equal(result.digest, round.fx.digest);
        const served = await skopeoInspectRaw(`${registry.host}/${repo}:${round.tag}`, { creds: { username: 'AWS', password: ecr.password } });
        assert.equal(sha256(served), round.fx.digest, `skopeo reads ${repo}:${round.tag} from the ECR registry half with the same digest`);
        assert.equal(await target.ensureRepository(repo), 'exists', 'ensured once, then cached');
      }
      assert.equal(ecr.callsOf('GetAuthorizationToken').length, 1, 'the registry token is cached across images and rounds');
      assert.equal(ecr.callsOf('DescribeRepositories').length, 2, 'one describe per repository, none once ensured');
      assert.deepEqual([...ecr.repositories.keys()].sort(), ['mirrors/default/team/web', 'mirrors/default/team/worker']);
      const web = ecr.repositories.get('mirrors/default/team/web')!;
      assert.equal(web.lifecyclePolicyText, POLICY);
      assert.equal(web.imageTagMutability, 'IMMUTABLE');
      assert.deepEqual(web.imageScanningConfiguration, { scanOnPush: true });
      assert.deepEqual(web.encryptionConfiguration, { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd' });
      assert.deepEqual(web.tags, [{ Key: 'managed-by', Value: 'copycat' }, { Key: 'team', Value: 'platform' }]);
      assert.ok(ecr.calls.every((c) => c.accessKeyId === ACCESS_KEY && c.signingRegion === REGION), 'every call signed with the env credentials for the region');
      assert.deepEqual(
        events.filter((e) => e.type !== 'token-refreshed').map((e) => e.type),
        ['repository-created', 'lifecycle-policy-applied', 'repository-created', 'lifecycle-policy-applied'],
      );
    } finally {
      await engine.close();
      target.close();
    }
  });

  it('refreshes a token that is expired or near expiry, and the copy still works with the new one', async () => {
    const before = ecr.callsOf('GetAuthorizationToken').length;
    let now = Date.now();
    const { target, events } = makeTarget(ecr, { registry: registry.host, now: () => now });
    const engine = engineFor(target);
    try {
      const src = parseReference(`${source.host}/team/worker:2.0`);
      assert.ok(await target.credentials.resolve(target.registry));
      assert.ok(await target.credentials.resolve(target.registry));
      assert.equal(ecr.callsOf('GetAuthorizationToken').length - before, 1);
      now += (12 * 3600 - 4 * 60) * 1000; // 4 minutes before the 12 h expiry: inside the 5-minute margin
      ecr.tokenTtlSeconds = 24 * 3600; // the next token lasts 12 h from the advanced clock
      await engine.copier.copy(src, parseReference(`${target.registry}/refresh/worker:2.0`));
      assert.equal(ecr.callsOf('GetAuthorizationToken').length - before, 2, 'refreshed once for the whole copy');
      assert.equal(events.filter((e) => e.type === 'token-refreshed').length, 2);

      ecr.tokenTtlSeconds = 60; // ECR hands out a token that is already inside the margin: never cached
      target.invalidateToken();
      now = Date.now();
      await target.credentials.resolve(target.registry);
      await target.credentials.resolve(target.registry);
      assert.equal(ecr.callsOf('GetAuthorizationToken').length - before, 4);
      assert.equal(await target.credentials.resolve('docker.io'), undefined, 'no ECR password for another registry');
    } finally {
      ecr.tokenTtlSeconds = 12 * 3600;
      await engine.close();
      target.close();
    }
  });

  it('a denied GetAuthorizationToken fails the copy with ECR_ACCESS_DENIED naming the registry, never a secret', async () => {
    const { target } = makeTarget(ecr, { registry: registry.host });
    const engine = engineFor(target);
    ecr.denyAccess('GetAuthorizationToken', 1);
    try {
      const err = await target.credentials.resolve(target.registry).then(
        () => assert.fail('resolve should fail'),
        (e: unknown) => e,
      );
      assert.ok(hasCode(err, 'ECR_ACCESS_DENIED'));
      assert.ok(err.message.includes('GetAuthorizationToken') && err.message.includes(registry.host) && err.message.includes(ACCOUNT), err.message);
      for (const secret of [SECRET_KEY, ecr.password]) assert.ok(!err.message.includes(secret), 'no secret in the message');
      // The fault fired once: the next use fetches again (failures are not cached) and the copy works.
      const result = await engine.copier.copy(parseReference(`${source.host}/team/worker:2.0`), parseReference(`${target.registry}/after-denial/worker:2.0`));
      assert.equal(result.digest, image.digest);
    } finally {
      ecr.clearFaults();
      await engine.close();
      target.close();
    }
  });
});

describe('ECR target: repository lifecycle against the fake ECR API', () => {
  let ecr: FakeEcr;
  let target: EcrTarget;
  let events: EcrEvent[];

  beforeEach(async () => {
    ecr = await startEcrServer({ accountId: ACCOUNT, region: REGION });
    ({ target, events } = makeTarget(ecr, { lifecyclePolicy: POLICY }));
  });
  afterEach(async () => {
    target.close();
    await ecr.stop();
  });

  it('derives the registry host from account and region when not overridden', () => {
    assert.equal(target.registry, `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`);
    assert.equal(new EcrTarget({ accountId: ACCOUNT, region: 'cn-north-1', endpoint: ecr.url }).registry, `${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn`);
    assert.equal(target.insecure, false);
  });

  it('uses an injected ECR client as is', async () => {
    const client = new ECRClient({ region: REGION, endpoint: ecr.url, maxAttempts: 1, credentials: { accessKeyId: 'AKIAINJECTEDCLIENT01', secretAccessKey: 'injected' } });
    const injected = new EcrTarget({ accountId: ACCOUNT, region: REGION, ecrClient: client });
    try {
      assert.equal(await injected.ensureRepository('mirrors/injected'), 'created');
      assert.ok(ecr.calls.length > 0 && ecr.calls.every((c) => c.accessKeyId === 'AKIAINJECTEDCLIENT01'));
      injected.close(); // not ours to close: the client keeps working
      assert.equal((await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['mirrors/injected'] }))).repositories?.length, 1);
    } finally {
      client.destroy();
    }
  });

  it('dry run: answers would-create or exists and makes no mutating call', async () => {
    ecr.addRepository('mirrors/present');
    assert.equal(await target.ensureRepository('mirrors/missing', { dryRun: true }), 'would-create');
    assert.equal(await target.ensureRepository('mirrors/present', { dryRun: true }), 'exists');
    assert.equal(await target.ensureRepository('mirrors/missing', { dryRun: true }), 'would-create', 'a would-create is not cached as ensured');
    assert.deepEqual(ecr.mutatingCalls(), []);
    assert.equal(ecr.repositories.has('mirrors/missing'), false);
    // A real run afterwards creates it.
    assert.equal(await target.ensureRepository('mirrors/missing'), 'created');
    assert.deepEqual(ecr.mutatingCalls().map((c) => c.op), ['CreateRepository', 'PutLifecyclePolicy']);
  });

  it('dry run does not retry a pending lifecycle policy either', async () => {
    ecr.denyAccess('PutLifecyclePolicy', 1);
    assert.equal(await target.ensureRepository('mirrors/app'), 'created');
    const mutating = ecr.mutatingCalls().length;
    assert.equal(await target.ensureRepository('mirrors/app', { dryRun: true }), 'exists');
    assert.equal(ecr.mutatingCalls().length, mutating);
  });

  it('concurrent ensures of one repository share one describe and one create', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => target.ensureRepository('mirrors/busy')));
    assert.deepEqual(results, ['created', 'created', 'created', 'created', 'created']);
    assert.equal(ecr.callsOf('DescribeRepositories').length, 1);
    assert.equal(ecr.callsOf('CreateRepository').length, 1);
  });

  it('tolerates a CreateRepository race lost to another replica (RepositoryAlreadyExistsException)', async () => {
    ecr.raceOnCreate('mirrors/raced');
    assert.equal(await target.ensureRepository('mirrors/raced'), 'exists');
    assert.deepEqual(ecr.callsOf('CreateRepository').map((c) => c.errorType), ['RepositoryAlreadyExistsException']);
    assert.equal(ecr.callsOf('PutLifecyclePolicy').length, 0, "the winner puts its own policy; we do not overwrite it");
    assert.ok(events.some((e) => e.type === 'repository-create-race' && e.repository === 'mirrors/raced'));
    assert.equal(await target.ensureRepository('mirrors/raced'), 'exists');
    assert.equal(ecr.calls.length, 2, 'cached after the race');
  });

  it('applies the lifecycle policy when a retried create finds the repository its lost first attempt made', async () => {
    ecr.fault({ op: 'CreateRepository', type: 'ServerException', times: 1, afterEffect: true });
    assert.equal(await target.ensureRepository('mirrors/lost-answer'), 'exists');
    assert.deepEqual(ecr.callsOf('CreateRepository').map((c) => c.errorType), ['ServerException', 'RepositoryAlreadyExistsException']);
    assert.equal(ecr.repositories.get('mirrors/lost-answer')?.lifecyclePolicyText, POLICY);
  });

  it('re-applies a lifecycle policy whose first PutLifecyclePolicy failed on the next ensure, then caches', async () => {
    ecr.denyAccess('PutLifecyclePolicy', 1);
    assert.equal(await target.ensureRepository('mirrors/policy'), 'created', 'the repository is usable without its policy');
    assert.equal(ecr.repositories.get('mirrors/policy')?.lifecyclePolicyText, undefined);
    const failed = events.find((e) => e.type === 'lifecycle-policy-failed');
    assert.ok(failed && failed.type === 'lifecycle-policy-failed' && failed.error.code === 'ECR_ACCESS_DENIED' && failed.repository === 'mirrors/policy');
    assert.equal(await target.ensureRepository('mirrors/policy'), 'exists');
    assert.equal(ecr.repositories.get('mirrors/policy')?.lifecyclePolicyText, POLICY);
    assert.deepEqual(ecr.callsOf('PutLifecyclePolicy').map((c) => c.status), [400, 200]);
    const calls = ecr.calls.length;
    assert.equal(await target.ensureRepository('mirrors/policy'), 'exists');
    assert.equal(ecr.calls.length, calls, 'nothing left to do: no call');
  });

  it('never puts a policy on repositories that already exist', async () => {
    ecr.addRepository('mirrors/old');
    assert.equal(await target.ensureRepository('mirrors/old'), 'exists');
    assert.equal(ecr.callsOf('PutLifecyclePolicy').length, 0);
  });

  it('retries throttling (ThrottlingException, TooManyRequestsException) with backoff', async () => {
    ecr.throttle('DescribeRepositories', 2);
    ecr.throttle('CreateRepository', 1, 'TooManyRequestsException');
    assert.equal(await target.ensureRepository('mirrors/throttled'), 'created');
    assert.deepEqual(ecr.callsOf('DescribeRepositories').map((c) => c.errorType ?? 'ok'), ['ThrottlingException', 'ThrottlingException', 'RepositoryNotFoundException']);
    assert.deepEqual(ecr.callsOf('CreateRepository').map((c) => c.errorType ?? 'ok'), ['TooManyRequestsException', 'ok']);
    const retries = events.filter((e) => e.type === 'retry');
    assert.deepEqual(retries.map((e) => e.type === 'retry' && `${e.action}:${e.awsCode}`), ['DescribeRepositories:ThrottlingException', 'DescribeRepositories:ThrottlingException', 'CreateRepository:TooManyRequestsException']);
  });

  it('gives up on endless throttling with a temporary ECR_THROTTLED', async () => {
    ecr.throttle('DescribeRepositories', Infinity);
    await assert.rejects(target.ensureRepository('mirrors/x'), (err) => hasCode(err, 'ECR_THROTTLED') && (err as unknown as { temporary: boolean }).temporary === true);
    assert.equal(ecr.callsOf('DescribeRepositories').length, FAST_RETRY.attempts);
  });

  it('AccessDenied on CreateRepository: ECR_ACCESS_DENIED naming action, repository and account, no secret', async () => {
    ecr.denyAccess('CreateRepository');
    const err = await target.ensureRepository('mirrors/denied').then(
      () => assert.fail('should be denied'),
      (e: unknown) => e,
    );
    assert.ok(hasCode(err, 'ECR_ACCESS_DENIED'), String(err));
    for (const part of ['CreateRepository', '"mirrors/denied"', ACCOUNT, 'ecr:CreateRepository']) assert.ok(err.message.includes(part), `${part} in ${err.message}`);
    assert.ok(!err.message.includes(SECRET_KEY) && !err.message.includes(ecr.password));
    assert.equal(ecr.callsOf('CreateRepository').length, 1, 'access denied is not retried');
    // Not cached as ensured: once IAM allows it, the next call creates.
    ecr.clearFaults();
    assert.equal(await target.ensureRepository('mirrors/denied'), 'created');
  });

  it('with createRepo off, a missing repository is ECR_REPOSITORY_NOT_FOUND and nothing is created', async () => {
    const { target: strict } = makeTarget(ecr, { createRepo: false });
    ecr.addRepository('mirrors/there');
    assert.equal(await strict.ensureRepository('mirrors/there'), 'exists');
    await assert.rejects(strict.ensureRepository('mirrors/absent'), (err) => hasCode(err, 'ECR_REPOSITORY_NOT_FOUND') && err.message.includes('createRepo'));
    await assert.rejects(strict.ensureRepository('mirrors/absent', { dryRun: true }), (err) => hasCode(err, 'ECR_REPOSITORY_NOT_FOUND'));
    assert.deepEqual(ecr.mutatingCalls(), []);
  });

  it('refuses a name ECR would refuse before any call', async () => {
    await assert.rejects(target.ensureRepository('mirrors//bad'), (err) => hasCode(err, 'ECR_REPOSITORY_INVALID'));
    assert.equal(ecr.calls.length, 0);
  });

  it('stops with the abort reason', async () => {
    const reason = new Error('shutdown');
    await assert.rejects(target.ensureRepository('mirrors/a', { signal: AbortSignal.abort(reason) }), (err) => err === reason);
    assert.equal(ecr.calls.length, 0);
  });

  it('lists every repository through DescribeRepositories pages and primes the cache from them', async () => {
    ecr.maxPageSize = 3;
    for (let i = 0; i < 7; i++) ecr.addRepository(`listed/r${i}`);
    const names = await target.listRepositories();
    assert.deepEqual(names.sort(), Array.from({ length: 7 }, (_, i) => `listed/r${i}`));
    const pages = ecr.callsOf('DescribeRepositories');
    assert.equal(pages.length, 3);
    assert.equal(pages[0]!.input['nextToken'], undefined);
    assert.ok(typeof pages[1]!.input['nextToken'] === 'string' && typeof pages[2]!.input['nextToken'] === 'string');
    const { target: fresh } = makeTarget(ecr);
    assert.equal(await fresh.primeRepositories(), 7);
    const calls = ecr.calls.length;
    assert.equal(await fresh.ensureRepository('listed/r4'), 'exists');
    assert.equal(ecr.calls.length, calls, 'a primed repository costs no call');
  });
});

describe('ECR target: credentials (assume role, IRSA web identity)', () => {
  let ecr: FakeEcr;
  let dir: string;

  before(async () => {
    ecr = await startEcrServer({ accountId: ACCOUNT, region: REGION });
    dir = await mkdtemp(join(tmpdir(), 'copycat-irsa-'));
  });
  after(async () => {
    setEnv(AWS_ENV);
    await ecr?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    setEnv(AWS_ENV);
    ecr.calls.length = 0;
    ecr.sts.calls.length = 0;
  });

  it('ecr.assumeRoleArn: one STS AssumeRole signed with the base credentials; ECR calls signed with the role session', async () => {
    const roleArn = 'arn:aws:iam::210987654321:role/copycat-mirror';
    const { target } = makeTarget(ecr, { assumeRoleArn: roleArn });
    try {
      await target.ensureRepository('cross/a');
      await target.ensureRepository('cross/b');
      await target.credentials.resolve(target.registry);
      assert.equal(ecr.sts.calls.length, 1, 'the role session is cached by the SDK client');
      const call = ecr.sts.calls[0]!;
      assert.equal(call.action, 'AssumeRole');
      assert.equal(call.roleArn, roleArn);
      assert.equal(call.roleSessionName, 'copycat');
      assert.equal(call.accessKeyId, ACCESS_KEY);
      assert.ok(ecr.calls.length >= 5);
      assert.ok(ecr.calls.every((c) => c.accessKeyId === call.issuedAccessKeyId && c.sessionToken), 'ECR calls use the assumed role');
    } finally {
      target.close();
    }
  });

  it('an assume-role refusal is ECR_AUTH_FAILED naming the action, without the secret', async () => {
    const roleArn = 'arn:aws:iam::210987654321:role/not-trusted';
    const denying = await startEcrServer({ accountId: ACCOUNT, region: REGION, sts: { deniedRoles: [roleArn] } });
    const { target } = makeTarget(denying, { assumeRoleArn: roleArn });
    try {
      await assert.rejects(target.ensureRepository('cross/c'), (err) => hasCode(err, 'ECR_AUTH_FAILED') && err.message.includes('sts:AssumeRole') && !err.message.includes(SECRET_KEY));
      assert.equal(denying.calls.length, 0, 'nothing reaches ECR unsigned');
    } finally {
      target.close();
      await denying.stop();
    }
  });

  it('IRSA: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN through the default chain, STS endpoint from AWS_ENDPOINT_URL_STS', async () => {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.projected-service-account-token.sig');
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/copycat-irsa`, AWS_ENDPOINT_URL_STS: ecr.url });
    const target = new EcrTarget({ accountId: ACCOUNT, region: REGION, endpoint: ecr.url, retry: FAST_RETRY });
    try {
      assert.equal(await target.ensureRepository('irsa/app'), 'created');
      assert.equal(ecr.sts.calls.length, 1);
      const call = ecr.sts.calls[0]!;
      assert.equal(call.action, 'AssumeRoleWithWebIdentity');
      assert.equal(call.roleArn, `arn:aws:iam::${ACCOUNT}:role/copycat-irsa`);
      assert.equal(call.webIdentityToken, 'eyJhbGciOiJSUzI1NiJ9.projected-service-account-token.sig');
      assert.ok(ecr.calls.every((c) => c.accessKeyId === call.issuedAccessKeyId));
    } finally {
      target.close();
    }
  });

  it('IRSA then ecr.assumeRoleArn: web identity first, then AssumeRole into the central account', async () => {
    const tokenFile = join(dir, 'token2');
    await writeFile(tokenFile, 'web-identity-2');
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/copycat-irsa` });
    const { target } = makeTarget(ecr, { assumeRoleArn: 'arn:aws:iam::210987654321:role/central-ecr' });
    try {
      await target.ensureRepository('chain/app');
      assert.deepEqual(ecr.sts.calls.map((c) => c.action), ['AssumeRoleWithWebIdentity', 'AssumeRole']);
      assert.equal(ecr.sts.calls[1]!.accessKeyId, ecr.sts.calls[0]!.issuedAccessKeyId, 'AssumeRole is signed with the IRSA session');
      assert.ok(ecr.calls.every((c) => c.accessKeyId === ecr.sts.calls[1]!.issuedAccessKeyId));
    } finally {
      target.close();
    }
  });

  it('no credentials anywhere: ECR_AUTH_FAILED pointing at the setup docs', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const { target } = makeTarget(ecr);
    try {
      await assert.rejects(target.ensureRepository('none/app'), (err) => hasCode(err, 'ECR_AUTH_FAILED') && err.message.includes('docs/ecr.md'));
      assert.equal(ecr.calls.length, 0);
    } finally {
      target.close();
    }
  });

  it('refuses a malformed assumeRoleArn at construction', () => {
    assert.throws(() => makeTarget(ecr, { assumeRoleArn: 'copycat-mirror' }), (err) => hasCode(err, 'ECR_CONFIG_INVALID') && err.message.includes('"copycat-mirror"'));
  });
});
