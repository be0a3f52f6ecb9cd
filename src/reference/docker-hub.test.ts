import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDockerHub, registryApiHost } from './index.ts';

describe('isDockerHub', () => {
  for (const r of ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'Docker.IO', 'INDEX.docker.io']) {
    it(`is true for ${r}`, () => assert.equal(isDockerHub(r), true));
  }
  for (const r of ['ghcr.io', 'docker.io:443', 'hub.docker.com', 'mirror.docker.io', 'localhost:5000', 'docker', '']) {
    it(`is false for ${JSON.stringify(r)}`, () => assert.equal(isDockerHub(r), false));
  }
});

describe('registryApiHost', () => {
  const cases: [string, string][] = [
    ['docker.io', 'registry-1.docker.io'],
    ['index.docker.io', 'registry-1.docker.io'],
    ['registry-1.docker.io', 'registry-1.docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['[::1]:5000', '[::1]:5000'],
    ['myreg.example.com:443', 'myreg.example.com:443'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => assert.equal(registryApiHost(input), expected));
  }
});
