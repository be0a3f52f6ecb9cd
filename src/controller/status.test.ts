import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planImage } from './planner.ts';
import { defaultRules } from './rules.ts';
import { countStates, imageStatus, MAX_USERS_LISTED, redactSecrets, type JobRecord } from './status.ts';

describe('status', () => {
  it('redactSecrets removes URL credentials, auth headers and secret fields', () => {
    assert.equal(redactSecrets('GET https://user:hunter2@registry.example.com/v2/'), 'GET https://REDACTED@registry.example.com/v2/');
    assert.equal(redactSecrets('sent Authorization: Bearer abc.def.ghi'), 'sent Authorization: Bearer REDACTED');
    assert.equal(redactSecrets('header Basic dXNlcjpwYXNz'), 'header Basic REDACTED');
    assert.equal(redactSecrets('token=abc123&service=x password: "p4ss"'), 'token=REDACTED&service=x password: "REDACTED"');
    assert.equal(redactSecrets('nothing secret here'), 'nothing secret here');
  });

  it('countStates lists every state', () => {
    const rec = (state: JobRecord['state']): JobRecord => ({ key: state, kind: 'mirror', source: 's', state, platforms: [], tagged: false, runs: 0, running: false });
    assert.deepEqual(countStates([rec('mirrored'), rec('mirrored'), rec('failed')]), { pending: 0, mirrored: 2, partial: 0, failed: 1, cooldown: 0, skipped: 0, invalid: 0 });
  });

  it('imageStatus: a digest-only target shows its digest; users are capped; times are ISO', () => {
    const d = planImage(defaultRules('example.com'), `nginx@sha256:${'a'.repeat(64)}`, undefined, { namespace: 'n', owner: 'o', container: 'c' });
    assert.equal(d.kind, 'mirror');
    const plan = d.kind === 'mirror' ? d.plan : undefined;
    const users = Array.from({ length: 70 }, (_, i) => ({ kind: 'Pod', namespace: 'n', name: `p${i}`, container: 'c' }));
    const s = imageStatus({ key: 'k', kind: 'mirror', source: 'nginx', plan, state: 'mirrored', digest: `sha256:${'a'.repeat(64)}`, platforms: [], tagged: false, runs: 1, running: false, lastMirrored: 0 }, users);
    assert.equal(s.target, `example.com/library/nginx@sha256:${'a'.repeat(64)}`);
    assert.equal(s.users.length, MAX_USERS_LISTED);
    assert.equal(s.userCount, 70);
    assert.equal(s.lastMirrored, '1970-01-01T00:00:00.000Z');
  });
});
