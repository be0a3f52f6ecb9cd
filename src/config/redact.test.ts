import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactConfig, REDACTED } from './redact.ts';
import { load } from './test-support.fixture.ts';

describe('redactConfig', () => {
  it('replaces every secret and keeps the rest', () => {
    const yaml = [
      'registryCredentials:',
      '  - {registry: a.io, username: alice, password: hunter2}',
      '  - {registry: b.io, token: tok-123}',
      '  - {registry: c.io, username: carol}',
      'ignoreMissingPlatforms: ["^x$"]',
      'pathMap: [{from: "^a/", to: b/, regex: true}]',
    ].join('\n');
    const { config } = load(yaml, { TARGET_USERNAME: 'bob', TARGET_PASSWORD: 'env-secret' });
    const redacted = redactConfig(config);
    const json = JSON.stringify(redacted);
    for (const secret of ['hunter2', 'tok-123', 'env-secret']) assert.ok(!json.includes(secret), secret);
    assert.deepEqual(redacted.docker, { ...config.docker, password: REDACTED });
    assert.deepEqual(redacted.registryCredentials, [
      { hosts: ['a.io'], auth: { kind: 'basic', username: 'alice', password: REDACTED } },
      { hosts: ['b.io'], auth: { kind: 'token', token: REDACTED } },
      { hosts: ['c.io'], auth: { kind: 'basic', username: 'carol', password: '' } },
    ]);
    assert.deepEqual(redacted.ignoreMissingPlatforms, ['^x$']);
    assert.deepEqual(redacted.pathMap, [{ regex: true, from: '^a/', to: 'b/' }]);
    assert.equal(redacted.targetKind, 'docker');
  });

  it('leaves an unset password empty', () => {
    assert.equal((redactConfig(load(undefined).config).docker as { password: string }).password, '');
  });
});
