import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHelperOutput, runCredentialHelper } from './credential-helper.ts';
import { helperJson, writeFakeHelper } from './fake-helper.fixture.ts';

describe('parseHelperOutput', () => {
  it('maps Username/Secret to basic, <token> to an identity token, empty to nothing', () => {
    assert.deepEqual(parseHelperOutput('{"ServerURL":"r.io","Username":"u","Secret":"s"}'), { kind: 'basic', username: 'u', password: 's' });
    assert.deepEqual(parseHelperOutput('{"Username":"<token>","Secret":"refresh"}'), { kind: 'identity-token', token: 'refresh' });
    assert.equal(parseHelperOutput('{"ServerURL":"r.io","Username":"","Secret":""}'), undefined);
    assert.equal(parseHelperOutput('{"Username":"<token>","Secret":""}'), undefined);
  });

  it('calls anything else invalid', () => {
    for (const bad of ['', 'not json', '[]', 'null', '"s"', '{"Username":1,"Secret":"s"}', '{"Username":"u","Secret":{}}']) {
      assert.equal(parseHelperOutput(bad), 'invalid', bad);
    }
  });
});

describe('runCredentialHelper', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copycat-helper-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs docker-credential-<name> get from the PATH it is given', async () => {
    const helper = await writeFakeHelper(dir, 'unit', { 'r.io:5000': helperJson('r.io:5000', 'u', 'p') });
    const env = { PATH: `${dir}:/usr/bin:/bin` };
    assert.deepEqual(await runCredentialHelper({ helper: 'unit', serverUrl: 'r.io:5000', registry: 'r.io:5000', env }), {
      status: 'found',
      credential: { kind: 'basic', username: 'u', password: 'p' },
    });
    assert.deepEqual(await runCredentialHelper({ helper: 'unit', serverUrl: 'other', registry: 'other', env }), { status: 'not-found' });
    assert.deepEqual(await runCredentialHelper({ helper: 'unit', serverUrl: 'r.io:5000', registry: 'r.io:5000', env: { PATH: '/nonexistent' } }), { status: 'missing' });
    assert.deepEqual(await helper.calls(), ['r.io:5000', 'other']);
  });

  it('treats an empty answer with exit 0 as not found', async () => {
    await writeFakeHelper(dir, 'silent', {}, { exit: 0 });
    assert.deepEqual(await runCredentialHelper({ helper: 'silent', serverUrl: 'r.io', registry: 'r.io', env: { PATH: `${dir}:/usr/bin:/bin` } }), { status: 'not-found' });
  });
});
