import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanRepoName, MAX_REPOSITORY_LENGTH } from './clean-name.ts';

describe('cleanRepoName (k8s-copycat CleanRepoName, reference §3.9 and §6.9)', () => {
  it('turns a whole reference into a repository path (TestCleanRepoNameStripsInvalidCharactersAndLength)', () => {
    const digest = `318eff${'0'.repeat(54)}0171`;
    assert.equal(cleanRepoName(`Quay.io/Cilium/cilium-envoy:v1@sha256:${digest}`), `quay.io/cilium/cilium-envoy-v1-sha256-${digest}`);
  });

  it('cuts an over-long name to 243 characters plus "-" and 12 hex of its SHA-1 (TestCleanRepoNameTruncatesLongRepositories)', () => {
    const out = cleanRepoName('a'.repeat(298));
    assert.equal(out, `${'a'.repeat(243)}-4ceefc924205`);
    assert.equal(out.length, MAX_REPOSITORY_LENGTH);
  });

  it('keeps names up to 256 characters', () => {
    assert.equal(cleanRepoName('b'.repeat(256)), 'b'.repeat(256));
  });

  it('gives library/unknown for nothing', () => {
    assert.equal(cleanRepoName(''), 'library/unknown');
    assert.equal(cleanRepoName('/-./'), 'library/unknown');
  });

  it('lowercases, strips one leading slash, replaces characters outside [a-z0-9_/.-] and trims -/. from the ends', () => {
    assert.equal(cleanRepoName('/Org/App'), 'org/app');
    assert.equal(cleanRepoName('-org/my app+x.'), 'org/my-app-x');
    assert.equal(cleanRepoName('a__b/c.d/e---f'), 'a__b/c.d/e---f');
  });

  it('repairs what k8s-copycat let fail at push: empty segments, separators at segment ends, bad separator runs', () => {
    assert.equal(cleanRepoName('prod/project//app'), 'prod/project/app');
    assert.equal(cleanRepoName('team/-app./x_'), 'team/app/x');
    assert.equal(cleanRepoName('a..b/c._d/e___f'), 'a-b/c-d/e-f');
  });

  it('leaves every valid name unchanged', () => {
    for (const name of ['library/nginx', 'a/b/c', 'x.y_z-w/v__u', 'quay.io/prometheus/node-exporter', '386-amd64/default/library/alpine']) {
      assert.equal(cleanRepoName(name), name);
    }
  });
});
