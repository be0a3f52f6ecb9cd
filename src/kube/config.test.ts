import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RequestContext } from '@kubernetes/client-node';
import { loadKubeConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'copycat-kube-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(file: string, cluster: string, server: string, extra: { context?: string; namespace?: string; token?: string } = {}): string {
  const context = extra.context ?? cluster;
  const path = join(dir, file);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: cluster, cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: cluster, user: { token: extra.token ?? `${cluster}-token` } }],
      contexts: [{ name: context, context: { cluster, user: cluster, ...(extra.namespace ? { namespace: extra.namespace } : {}) } }],
      'current-context': context,
    }),
  );
  return path;
}

async function authorization(config: ReturnType<typeof loadKubeConfig>['config']): Promise<string | undefined> {
  const ctx = new RequestContext('http://x/api', 'GET');
  await config.applySecurityAuthentication(ctx);
  return ctx.getHeaders().Authorization;
}

describe('loadKubeConfig', () => {
  const a = kubeconfig('a.json', 'alpha', 'http://127.0.0.1:1', { namespace: 'team-a' });
  const b = kubeconfig('b.json', 'beta', 'http://127.0.0.1:2', { context: 'beta-ctx' });

  it('prefers the explicit path over KUBECONFIG and in-cluster', () => {
    const loaded = loadKubeConfig({ kubeconfig: a, env: { KUBECONFIG: b, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' } });
    assert.equal(loaded.source, 'flag');
    assert.equal(loaded.config.getCurrentCluster()?.server, 'http://127.0.0.1:1');
    assert.equal(loaded.namespace, 'team-a');
  });

  it('merges several KUBECONFIG files, the first one winning, and can pick a context', () => {
    const loaded = loadKubeConfig({ env: { KUBECONFIG: [b, a].join(delimiter) } });
    assert.equal(loaded.source, 'env');
    assert.equal(loaded.config.getCurrentContext(), 'beta-ctx');
    assert.equal(loadKubeConfig({ env: { KUBECONFIG: [b, a].join(delimiter) }, context: 'alpha' }).config.getCurrentCluster()?.server, 'http://127.0.0.1:1');
  });

  it('keeps the first definition of a duplicated name instead of failing', () => {
    const dup = kubeconfig('dup.json', 'alpha', 'http://127.0.0.1:9');
    assert.equal(loadKubeConfig({ env: { KUBECONFIG: [a, dup].join(delimiter) } }).config.getCurrentCluster()?.server, 'http://127.0.0.1:1');
  });

  it('builds the in-cluster config from the service account mount', async () => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'token'), 'sa-token-1\n');
    writeFileSync(join(sa, 'namespace'), 'copycat-system\n');
    writeFileSync(join(sa, 'ca.crt'), 'not read until a TLS connection is made');
    const loaded = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: sa });
    assert.equal(loaded.source, 'in-cluster');
    assert.equal(loaded.namespace, 'copycat-system');
    assert.equal(loaded.config.getCurrentCluster()?.server, 'https://[fd00::1]:443');
    assert.equal(loaded.config.getCurrentCluster()?.caFile, join(sa, 'ca.crt'));
    assert.equal(await authorization(loaded.config), 'Bearer sa-token-1');
  });

  it('falls back to ~/.kube/config, and says so when there is none', () => {
    const home = mkdtempSync(join(dir, 'home-'));
    assert.throws(() => loadKubeConfig({ env: { HOME: home } }), { code: 'KUBE_CONFIG_MISSING' });
    mkdirSync(join(home, '.kube'));
    writeFileSync(
      join(home, '.kube', 'config'),
      JSON.stringify({
        clusters: [{ name: 'h', cluster: { server: 'http://127.0.0.1:4', 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'h', user: {} }],
        contexts: [{ name: 'h', context: { cluster: 'h', user: 'h' } }],
        'current-context': 'h',
      }),
    );
    const loaded = loadKubeConfig({ env: { HOME: home } });
    assert.equal(loaded.source, 'home');
    assert.equal(loaded.config.getCurrentCluster()?.server, 'http://127.0.0.1:4');
    assert.equal(loaded.namespace, undefined);
  });

  it('names a missing file, an unknown context and a file without a usable cluster', () => {
    assert.throws(() => loadKubeConfig({ kubeconfig: join(dir, 'nope'), env: {} }), (err: Error & { code?: string }) => err.code === 'KUBE_CONFIG_MISSING' && err.message.includes('nope'));
    assert.throws(() => loadKubeConfig({ kubeconfig: a, context: 'gamma', env: {} }), (err: Error & { code?: string }) => err.code === 'KUBE_CONFIG_INVALID' && err.message.includes('"gamma"'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'clusters: [unclosed');
    assert.throws(() => loadKubeConfig({ kubeconfig: broken, env: {} }), { code: 'KUBE_CONFIG_INVALID' });
    const sa = mkdtempSync(join(dir, 'empty-sa-'));
    assert.throws(() => loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: sa }), { code: 'KUBE_CONFIG_MISSING' });
  });
});
