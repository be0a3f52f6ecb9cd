import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeExcludedRegistries } from '../config/index.ts';
import { matchExcludedRegistry, normalizeSourceForExclusion } from './exclude.ts';

describe('matchExcludedRegistry (§3.11)', () => {
  it('TestMatchExcludedRegistry: prefixes match on /, : and @ boundaries only', () => {
    const prefixes = normalizeExcludedRegistries(['example.com', 'registry.gitlab.com/group']);
    assert.equal(matchExcludedRegistry('example.com/repo:tag', prefixes), 'example.com');
    assert.equal(matchExcludedRegistry('registry.gitlab.com/group/sub/app:latest', prefixes), 'registry.gitlab.com/group');
    assert.equal(matchExcludedRegistry('registry.gitlab.com/group-other/app:latest', prefixes), undefined);
    assert.equal(matchExcludedRegistry('docker.io/library/nginx:latest', prefixes), undefined);
  });

  it('TestMatchExcludedRegistryDockerHub: every Docker Hub spelling matches docker.io, other hosts do not', () => {
    const prefixes = normalizeExcludedRegistries(['docker.io']);
    for (const src of ['docker.io/library/nginx:latest', 'nginx:latest', 'nginx', 'myuser/nginx:latest', 'index.docker.io/library/nginx:latest', 'registry-1.docker.io/library/nginx']) {
      assert.equal(matchExcludedRegistry(src, prefixes), 'docker.io', src);
    }
    for (const src of ['gcr.io/project/image:latest', 'ghcr.io/org/app:v1']) assert.equal(matchExcludedRegistry(src, prefixes), undefined, src);
  });

  it('TestNewPusherConfiguresExcludedRegistries / NormalizesIndexDockerIO: config-normalised entries match', () => {
    assert.equal(matchExcludedRegistry('registry.gitlab.com/team/app:1', normalizeExcludedRegistries(['registry.gitlab.com/team/'])), 'registry.gitlab.com/team');
    assert.equal(matchExcludedRegistry('nginx', normalizeExcludedRegistries(['index.docker.io'])), 'docker.io');
    assert.equal(matchExcludedRegistry('nginx', ['registry-1.docker.io']), 'registry-1.docker.io');
  });

  it('beyond upstream: docker.io/nginx is docker.io/library/nginx, so a library prefix matches it', () => {
    assert.equal(normalizeSourceForExclusion('docker.io/nginx:1'), 'docker.io/library/nginx:1');
    assert.equal(matchExcludedRegistry('docker.io/nginx:1', ['docker.io/library/nginx']), 'docker.io/library/nginx');
    assert.equal(matchExcludedRegistry('docker.io/library/nginx-extra:1', ['docker.io/library/nginx']), undefined);
  });

  it('sources that do not parse still follow upstream\'s string rules; a scheme is dropped', () => {
    assert.equal(normalizeSourceForExclusion('HTTPS://Example.com/Repo:1'), 'example.com/repo:1');
    assert.equal(normalizeSourceForExclusion('Bad Name'), 'docker.io/library/bad name');
    assert.equal(matchExcludedRegistry('anything', []), undefined);
  });
});
