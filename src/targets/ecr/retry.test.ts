import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAwsError, toEcrError } from './aws-errors.ts';
import { withRetry, type RetryPolicy } from './retry.ts';

/** An error shaped like the SDK's service exceptions. */
function awsError(name: string, status?: number, message = `${name} happened`): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, { $metadata: status === undefined ? {} : { httpStatusCode: status } });
}

const FAST: RetryPolicy = { attempts: 4, initialMs: 1, maxMs: 5, timeoutMs: 0 };

describe('classifyAwsError', () => {
  it('sorts SDK errors by name and status', () => {
    const rows: Array<[Error, string]> = [
      [awsError('ThrottlingException', 400), 'throttled'],
      [awsError('TooManyRequestsException', 400), 'throttled'],
      [awsError('Whatever', 429), 'throttled'],
      [awsError('AccessDeniedException', 400), 'access-denied'],
      [awsError('AccessDenied', 403), 'auth'],
      [awsError('CredentialsProviderError'), 'auth'],
      [awsError('UnrecognizedClientException', 400), 'auth'],
      [awsError('RepositoryNotFoundException', 400), 'not-found'],
      [awsError('RepositoryAlreadyExistsException', 400), 'already-exists'],
      [awsError('ServerException', 500), 'transient'],
      [awsError('SomethingNew', 503), 'transient'],
      [Object.assign(awsError('TimeoutError'), { code: 'ECONNRESET' }), 'transient'],
      [awsError('InvalidParameterException', 400), 'other'],
      [awsError('LimitExceededException', 400), 'other'],
      [new Error('plain'), 'other'],
    ];
    for (const [err, kind] of rows) assert.equal(classifyAwsError(err), kind, err.name);
  });
});

describe('withRetry', () => {
  it('retries throttling with backoff until it succeeds, reporting each retry', async () => {
    let calls = 0;
    const retries: number[] = [];
    const tally = { attempts: 0 };
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw awsError('ThrottlingException', 400);
        return 'ok';
      },
      FAST,
      { tally, onRetry: (i) => retries.push(i.attempt) },
    );
    assert.equal(value, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(retries, [1, 2]);
    assert.equal(tally.attempts, 3);
  });

  it('gives up after the configured attempts with the last error', async () => {
    let calls = 0;
    const tally = { attempts: 0 };
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw awsError('TooManyRequestsException', 400);
      }, FAST, { tally }),
      (err) => err instanceof Error && err.name === 'TooManyRequestsException',
    );
    assert.equal(calls, 4);
    assert.equal(tally.attempts, 4);
  });

  it('does not retry access denied, not found or invalid input', async () => {
    for (const name of ['AccessDeniedException', 'RepositoryNotFoundException', 'InvalidParameterException']) {
      let calls = 0;
      await assert.rejects(withRetry(async () => {
        calls++;
        throw awsError(name, 400);
      }, FAST));
      assert.equal(calls, 1, name);
    }
  });

  it('aborts an attempt that runs past timeoutMs and retries it', async () => {
    let calls = 0;
    const value = await withRetry(
      (signal) => {
        calls++;
        if (calls === 1) return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(awsError('AbortError')), { once: true }));
        return Promise.resolve('second');
      },
      { ...FAST, timeoutMs: 20 },
    );
    assert.equal(value, 'second');
    assert.equal(calls, 2);
  });

  it("ends with the caller's abort reason, also while backing off", async () => {
    const ctl = new AbortController();
    const reason = new Error('shutting down');
    const p = withRetry(async () => {
      setTimeout(() => ctl.abort(reason), 5);
      throw awsError('ThrottlingException', 400);
    }, { ...FAST, initialMs: 10_000, maxMs: 10_000 }, { signal: ctl.signal });
    await assert.rejects(p, (err) => err === reason);
  });
});

describe('toEcrError', () => {
  const site = { action: 'CreateRepository', repository: 'mirror/app', where: 'registry 1.dkr.ecr.eu-west-1.amazonaws.com (account 123456789012, region eu-west-1)', attempts: 3 };

  it('names action, repository and registry; access denied gets ECR_ACCESS_DENIED and the IAM action', () => {
    const e = toEcrError(awsError('AccessDeniedException', 400, 'User: arn:aws:sts::1:assumed-role/x is not authorized'), site);
    assert.equal(e.code, 'ECR_ACCESS_DENIED');
    assert.equal(e.action, 'CreateRepository');
    assert.equal(e.repository, 'mirror/app');
    assert.equal(e.awsCode, 'AccessDeniedException');
    assert.equal(e.temporary, false);
    for (const part of ['CreateRepository', '"mirror/app"', '123456789012', 'ecr:CreateRepository', 'not authorized']) assert.ok(e.message.includes(part), part);
  });

  it('marks exhausted throttling and outages temporary', () => {
    const t = toEcrError(awsError('ThrottlingException', 400), site);
    assert.equal(t.code, 'ECR_THROTTLED');
    assert.equal(t.temporary, true);
    assert.equal(t.attempts, 3);
    assert.match(t.message, /after 3 attempts/);
    assert.equal(toEcrError(awsError('ServerException', 500), site).code, 'ECR_UNAVAILABLE');
    assert.equal(toEcrError(awsError('CredentialsProviderError'), site).code, 'ECR_AUTH_FAILED');
    assert.equal(toEcrError(awsError('InvalidParameterException', 400), site).code, 'ECR_API_ERROR');
  });
});
