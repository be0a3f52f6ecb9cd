import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReference } from '../reference/index.ts';
import { hasCode } from '../internal/errors.ts';
import { architectureLabel, expandRepoPrefix, targetRepository, validateNamingRules, type NamingContext } from './naming.ts';

describe('expandRepoPrefix: every example of reference §3.9', () => {
  const rows: Array<[string, NamingContext, string]> = [
    ['$namespace/$podname', { namespace: 'default' }, 'default'],
    ['mirror', {}, 'mirror'],
    ['mirror', { namespace: 'x', podName: 'p', architecture: 'amd64', registry: 'ghcr.io' }, 'mirror'],
    ['  $namespace / $container_name  ', { namespace: 'Team', containerName: 'App' }, 'Team/App'],
    ['$arch/$namespace', { namespace: 'default' }, 'default'],
    ['$arch/$namespace', { namespace: 'default', architecture: 'amd64' }, 'amd64/default'],
    ['$registry/$namespace', { namespace: 'prod', registry: 'ghcr.io' }, 'ghcr.io/prod'],
    ['$registry/$namespace', { namespace: 'prod', registry: 'docker.io' }, 'docker.io/prod'],
    ['$registry/$namespace', { namespace: 'prod' }, 'prod'],
    ['$registry/$namespace/$arch', { namespace: 'team-a', architecture: 'arm64', registry: 'quay.io' }, 'quay.io/team-a/arm64'],
  ];
  for (const [prefix, ctx, want] of rows) {
    it(`${JSON.stringify(prefix)} with ${JSON.stringify(ctx)} → ${want}`, () => {
      assert.equal(expandRepoPrefix(prefix, ctx), want);
    });
  }

  it('renders every Docker Hub alias as docker.io and keeps ports', () => {
    assert.equal(expandRepoPrefix('$registry', { registry: 'index.docker.io' }), 'docker.io');
    assert.equal(expandRepoPrefix('$registry', { registry: 'registry-1.docker.io' }), 'docker.io');
    assert.equal(expandRepoPrefix('$registry', { registry: 'registry.internal:5000' }), 'registry.internal:5000');
  });

  it('expands in one pass, does not delimit tokens, and leaves unknown placeholders alone', () => {
    assert.equal(expandRepoPrefix('$namespace', { namespace: '$podname' }), '$podname');
    assert.equal(expandRepoPrefix('$namespaces/$arch64', { namespace: 'ns', architecture: 'arm' }), 'nss/arm64');
    assert.equal(expandRepoPrefix('$podname/x', { podName: 'web-7d9f' }), 'web-7d9f/x');
    assert.equal(expandRepoPrefix('$unknown/x', {}), '$unknown/x');
  });

  it('returns empty for a blank or absent prefix', () => {
    assert.equal(expandRepoPrefix(undefined, {}), '');
    assert.equal(expandRepoPrefix('   ', {}), '');
    assert.equal(expandRepoPrefix('$arch', {}), '');
  });
});

describe('targetRepository: the end-to-end examples of reference §3.9', () => {
  const alpineArchs = architectureLabel(['amd64', 'arm', 'arm', 'arm64', '386', 'ppc64le', 'riscv64', 's390x', 'unknown']);
  const rows: Array<{ source: string; prefix?: string; ctx?: NamingContext; want: string }> = [
    { source: 'nginx:1.25', want: 'library/nginx' },
    { source: 'nginx', want: 'library/nginx' },
    { source: 'ghcr.io/org/app:v1', prefix: 'mirror', want: 'mirror/org/app' },
    { source: 'docker.io/library/nginx:1.28', prefix: '$registry/$namespace', ctx: { namespace: 'default' }, want: 'docker.io/default/library/nginx' },
    { source: 'quay.io/prometheus/node-exporter:latest', prefix: '$registry/$namespace', ctx: { namespace: 'default' }, want: 'quay.io/default/prometheus/node-exporter' },
    { source: `nginx@sha256:${'a'.repeat(64)}`, want: 'library/nginx' },
    { source: `nginx:1.25@sha256:${'a'.repeat(64)}`, want: 'library/nginx' },
    { source: 'alpine:3.19', prefix: '$arch/$namespace', ctx: { namespace: 'default', architecture: alpineArchs }, want: '386-amd64-arm-arm64-ppc64le-riscv64-s390x/default/library/alpine' },
    { source: 'nginx:1.25', prefix: 'mirrors', want: 'mirrors/library/nginx' },
  ];
  for (const row of rows) {
    it(`${row.source} with prefix ${JSON.stringify(row.prefix ?? '')} → ${row.want}`, () => {
      const ref = parseReference(row.source);
      const ctx: NamingContext = { ...row.ctx, registry: ref.registry };
      assert.equal(targetRepository(ref.repository, ctx, row.prefix === undefined ? {} : { repoPrefix: row.prefix }), row.want);
    });
  }

  it('keeps the registry host out of the path unless $registry asks for it (the collision §7.2 warns about)', () => {
    const a = parseReference('ghcr.io/org/app:1');
    const b = parseReference('quay.io/org/app:1');
    assert.equal(targetRepository(a.repository, { registry: a.registry }, {}), targetRepository(b.repository, { registry: b.registry }, {}));
    assert.notEqual(
      targetRepository(a.repository, { registry: a.registry }, { repoPrefix: '$registry' }),
      targetRepository(b.repository, { registry: b.registry }, { repoPrefix: '$registry' }),
    );
  });

  it('cleans the prefix too: uppercase from $namespace is lowercased, a trailing slash is not doubled', () => {
    assert.equal(targetRepository('library/nginx', { namespace: 'Team', containerName: 'App' }, { repoPrefix: ' $namespace / $container_name ' }), 'team/app/library/nginx');
    assert.equal(targetRepository('library/nginx', {}, { repoPrefix: 'mirror/' }), 'mirror/library/nginx');
  });

  it('applies pathMap before the prefix (reference §3.10 examples)', () => {
    const rules = { repoPrefix: 'm', pathMap: [{ from: 'old/', to: 'new/' }, { from: '^legacy/(.*)', to: 'modern/$1', regex: true }] };
    assert.equal(targetRepository('old/repo', {}, rules), 'm/new/repo');
    assert.equal(targetRepository('legacy/service', {}, rules), 'm/modern/service');
    assert.equal(targetRepository('other/thing', {}, rules), 'm/other/thing');
  });

  it('gives the README example of §3.10 the path the README promises, not prod/project//app', () => {
    const rules = { pathMap: [{ from: 'group/project', to: 'prod/project' }] };
    assert.equal(targetRepository('group/project/app', {}, rules), 'prod/project/app');
  });

  it('refuses an invalid pathMap regex with PATH_MAP_INVALID naming the rule, where k8s-copycat dropped it silently', () => {
    const rules = { pathMap: [{ from: 'ok/', to: 'x/' }, { from: '^(unclosed', to: '$1', regex: true }] };
    assert.throws(
      () => validateNamingRules(rules),
      (err) => hasCode(err, 'PATH_MAP_INVALID') && err.message.includes('pathMap[1].from') && err.message.includes('"^(unclosed"'),
    );
    assert.throws(() => targetRepository('ok/a', {}, rules), (err) => hasCode(err, 'PATH_MAP_INVALID'));
  });
});

describe('architectureLabel', () => {
  it('sorts and dedupes, skipping empty and unknown entries (arm/v6 and arm/v7 both give arm)', () => {
    assert.equal(architectureLabel(['s390x', 'amd64', undefined, '', 'unknown', 'arm', 'arm', '386']), '386-amd64-arm-s390x');
  });

  it('is empty when nothing is known, so $arch drops its segment as the README promises (not multiarch, §7.1 item 7)', () => {
    assert.equal(architectureLabel([]), '');
    assert.equal(architectureLabel(['unknown', undefined]), '');
    assert.equal(targetRepository('library/alpine', { namespace: 'default', architecture: architectureLabel([]) }, { repoPrefix: '$arch/$namespace' }), 'default/library/alpine');
  });
});
