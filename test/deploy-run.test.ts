/**
 * The chart's Deployment run the way the kubelet would run it, minus the container runtime: the rendered
 * container's args (with `$(VAR)` expanded), its env (values, the downward API, `envFrom` the Secret), the rendered
 * ConfigMap at the mounted CONFIG_PATH, and the ports its probes and Service name. Against the fake API server and
 * real registries it must become ready on the probe port, take the Lease the Role allows, mirror a pod's image,
 * serve the status page on the Service's target port, and stop cleanly on SIGTERM within the grace period.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { COPYCAT_BIN, copycatEnv } from './lib/cli.ts';
import { pushImage, type ImageFixture } from './support/fixtures.ts';
import { helmTemplate, REPO_ROOT } from './support/helm.ts';
import { validateK8sYaml, type K8sObject } from './support/k8s-schema.ts';
import { startKubeApiServer, type FakeKubeApiServer } from './support/kube-apiserver.ts';
import { freePort, waitUntil } from './support/net.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';

const NAMESPACE = 'k8s-copycat';
const SECRET = 'copycat-credentials';

/** The parts of a rendered container spec this test runs. */
interface ContainerSpec {
  args: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ secretRef?: { name: string } }>;
  ports: Array<{ name: string; containerPort: number }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  readinessProbe: { httpGet: { path: string; port: string | number } };
  livenessProbe: { httpGet: { path: string; port: string | number } };
}

const byKind = (docs: readonly K8sObject[], kind: string): Record<string, unknown> => {
  const doc = docs.find((d) => d.kind === kind);
  assert.ok(doc, `the chart renders a ${kind}`);
  return doc as unknown as Record<string, unknown>;
};

describe('the chart\'s Deployment, run as rendered', () => {
  let api: FakeKubeApiServer;
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let image: ImageFixture;
  let dir: string;

  before(async () => {
    api = await startKubeApiServer();
    [src, dst] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' })]);
    image = await pushImage(src, 'team/app', { tag: '3.1' });
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    dir = await mkdtemp(join(tmpdir(), 'copycat-deploy-run-'));
  });
  after(async () => {
    await Promise.all([api?.stop(), src?.stop(), dst?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('becomes ready, leads, mirrors, serves the status page, and stops on SIGTERM', async () => {
    const values = { config: { targetKind: 'docker', docker: { registry: dst.host, repoPrefix: 'mirror/$namespace' }, includeNamespaces: ['apps'] }, existingSecret: SECRET };
    const rendered = await helmTemplate(join(REPO_ROOT, 'deploy', 'helm', 'copycat'), { release: NAMESPACE, namespace: NAMESPACE, values: [values] });
    const docs = validateK8sYaml(rendered.stdout, 'helm template');
    const deployment = byKind(docs, 'Deployment') as { spec: { template: { spec: { containers: ContainerSpec[]; volumes: Array<{ name: string; configMap?: { name: string } }>; terminationGracePeriodSeconds: number } } } };
    const configMap = byKind(docs, 'ConfigMap') as { metadata: { name: string }; data: Record<string, string> };
    const service = byKind(docs, 'Service') as { spec: { ports: Array<{ name: string; targetPort: string | number }> } };
    const role = byKind(docs, 'Role') as { rules: Array<{ resources: string[]; resourceNames?: string[] }> };
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;

    // The ConfigMap volume, mounted where the container's CONFIG_PATH points.
    const configVolume = pod.volumes.find((v) => v.configMap?.name === configMap.metadata.name);
    assert.ok(configVolume, 'the ConfigMap is mounted');
    const mountPath = container.volumeMounts.find((m) => m.name === configVolume.name)!.mountPath;
    const mounted = join(dir, 'config');
    await mkdir(mounted);
    for (const [file, text] of Object.entries(configMap.data)) await writeFile(join(mounted, file), text);

    // env as the kubelet builds it: literal values, the downward API, then every key of the envFrom Secret.
    const { username, password } = dst;
    assert.ok(username !== undefined && password !== undefined, 'the target registry has credentials');
    const secretData: Record<string, string> = { TARGET_USERNAME: username, TARGET_PASSWORD: password };
    const env: Record<string, string> = {};
    for (const from of container.envFrom ?? []) if (from.secretRef?.name === SECRET) Object.assign(env, secretData);
    for (const e of container.env ?? []) {
      if (e.value !== undefined) env[e.name] = e.value.startsWith(`${mountPath}/`) ? join(mounted, e.value.slice(mountPath.length + 1)) : e.value;
      else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[e.name] = NAMESPACE;
      else assert.fail(`env ${e.name}: a source this test does not emulate: ${JSON.stringify(e.valueFrom)}`);
    }
    assert.equal(Object.keys(env).filter((k) => k === 'CONFIG_PATH').length, 1, 'CONFIG_PATH is set');
    assert.ok(env['TARGET_PASSWORD'], 'the Secret reaches the container through envFrom');

    // Each container port gets a free loopback port; the args must bind exactly the declared container ports.
    const hostPort = new Map<number, number>();
    for (const p of container.ports) hostPort.set(p.containerPort, await freePort());
    const portOf = (ref: string | number): number => (typeof ref === 'number' ? ref : container.ports.find((p) => p.name === ref)?.containerPort ?? assert.fail(`no container port named ${ref}`));
    const args = container.args.map((arg) => {
      const expanded = arg.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
      const bind = /^(--(?:metrics|health-probe)-bind-address=):(\d+)$/.exec(expanded);
      if (bind === null) return expanded;
      const port = hostPort.get(Number(bind[2]));
      assert.ok(port !== undefined, `${arg} binds a port the container does not declare`);
      return `${bind[1]}127.0.0.1:${port}`;
    });
    const url = (ref: string | number, path: string): string => `http://127.0.0.1:${hostPort.get(portOf(ref))}${path}`;

    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app-0', namespace: 'apps' }, spec: { containers: [{ name: 'app', image: `${src.host}/team/app:3.1` }] }, status: { phase: 'Running' } });

    const child = spawn(process.execPath, [COPYCAT_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Out of a cluster the API server comes from KUBECONFIG; everything else is the rendered env.
      env: copycatEnv({ HOME: dir, KUBECONFIG: api.writeKubeconfig(), ...env }, { PATH: process.env['PATH'] }),
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => output.push(c));
    child.stderr.on('data', (c: Buffer) => output.push(c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const log = (): string => Buffer.concat(output).toString('utf8');
    const gone = (): string | undefined => (child.exitCode !== null ? `exited ${child.exitCode}: ${log()}` : undefined);
    try {
      await waitUntil('the readiness probe', async () => (await fetch(url(container.readinessProbe.httpGet.port, container.readinessProbe.httpGet.path))).status === 200, { timeoutMs: 30_000, abortIf: gone });
      assert.equal((await fetch(url(container.livenessProbe.httpGet.port, container.livenessProbe.httpGet.path))).status, 200);

      // The Lease it takes is the one the Role lets it update.
      const leaseName = role.rules.find((r) => r.resources.includes('leases') && r.resourceNames !== undefined)?.resourceNames?.[0];
      assert.ok(leaseName, 'the Role names the Lease');
      await waitUntil('the Lease is held', async () => typeof (api.get('coordination.k8s.io/v1', 'Lease', leaseName, NAMESPACE) as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity === 'string', { timeoutMs: 30_000, abortIf: gone });

      const mirrored = `${dst.host}/mirror/apps/team/app:3.1`;
      await waitUntil('the pod\'s image is mirrored', async () => sha256(await skopeoInspectRaw(mirrored, { creds: dst })) === image.digest, { timeoutMs: 30_000, abortIf: gone });

      const metricsPort = service.spec.ports.find((p) => p.name === 'http-metrics')?.targetPort ?? assert.fail('the Service has an http-metrics port');
      const page = await fetch(url(metricsPort, '/'));
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>copycat status<\/title>/);
      const status = (await (await fetch(url(metricsPort, '/status'))).json()) as { images: Array<{ source: string; state: string; digest?: string }> };
      assert.deepEqual(status.images.map((i) => [i.source, i.state, i.digest]), [[`${src.host}/team/app:3.1`, 'mirrored', image.digest]]);
      assert.match(await (await fetch(url(metricsPort, '/metrics'))).text(), /^k8s_copycat_registry_push_success_total\b/m);

      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<string>((resolve) => (timer = setTimeout(resolve, pod.terminationGracePeriodSeconds * 1000, 'still running after the grace period')));
      const code = await Promise.race([exited, deadline]);
      clearTimeout(timer);
      assert.equal(code, 0, log());
      assert.ok(!log().includes(password), 'the Secret never reaches the logs');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
