import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeExcludedRegistries, normalizeRegistryPrefix } from './registries.ts';

describe('normalizeRegistryPrefix (inventory §3.11)', () => {
  it('normalises as upstream', () => {
    assert.equal(normalizeRegistryPrefix('registry.gitlab.com/team/'), 'registry.gitlab.com/team');
    assert.equal(normalizeRegistryPrefix('index.docker.io'), 'docker.io');
    assert.equal(normalizeRegistryPrefix('index.docker.io/library'), 'docker.io/library');
    assert.equal(normalizeRegistryPrefix(' HTTPS://Quay.IO/ '), 'quay.io');
    assert.equal(normalizeRegistryPrefix('http://example.com'), 'example.com');
    assert.equal(normalizeRegistryPrefix('registry-1.docker.io'), 'registry-1.docker.io');
    assert.equal(normalizeRegistryPrefix('   '), '');
  });
});

describe('normalizeExcludedRegistries', () => {
  it('drops blanks, deduplicates and sorts', () => {
    assert.deepEqual(normalizeExcludedRegistries(['quay.io', '', 'Docker.io', 'index.docker.io', 'example.com/']), ['docker.io', 'example.com', 'quay.io']);
  });
});
