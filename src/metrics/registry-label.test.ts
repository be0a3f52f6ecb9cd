import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostLabel, registryLabel } from './registry-label.ts';

describe('registryLabel (upstream pkg/metrics registryLabel, inventory §5.1)', () => {
  // Counterparts of TestRegistryLabelDefaultsDockerHub and TestRegistryLabelHandlesSchemesAndPorts (§6.8),
  // plus the documented examples and edge rules.
  const cases: Array<[string, string | undefined]> = [
    ['nginx:latest', 'docker.io'],
    ['https://registry.internal:5000/team/app:1.2.3', 'registry.internal:5000'],
    ['registry.io/library/alpine:latest', 'registry.io'],
    ['registry.internal/prod/app@sha256:deadbeef', 'registry.internal'],
    ['http://ghcr.io/owner/app', 'ghcr.io'],
    ['index.docker.io/library/nginx', 'index.docker.io'],
    ['library/nginx:1.27', 'docker.io'],
    ['localhost/app:1', 'localhost'],
    ['localhost:5000/app:1', 'localhost:5000'],
    ['  Registry.IO/Team/App  ', 'registry.io'],
    ['', undefined],
    ['   ', undefined],
    ['/team/app', undefined],
    ['https://', undefined],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${String(want)}`, () => assert.equal(registryLabel(input), want));
  }
});

describe('hostLabel', () => {
  const cases: Array<[string, string | undefined]> = [
    ['ghcr.io', 'ghcr.io'],
    ['LOCALHOST:5000', 'localhost:5000'],
    ['https://registry.internal:5000', 'registry.internal:5000'],
    ['docker.io/library/nginx', 'docker.io'],
    ['registry', 'registry'],
    ['', undefined],
    [' / ', undefined],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${String(want)}`, () => assert.equal(hostLabel(input), want));
  }
});
