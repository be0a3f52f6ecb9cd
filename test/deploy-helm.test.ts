/**
 * The Helm chart (deploy/helm/copycat) with the real helm v4: lint, rendering with several value sets,
 * Kubernetes schema validation of every rendered document, least-privilege RBAC, the rendered config
 * loaded by copycat's own config loader, the container arguments parsed by copycat's own flag parser, and
 * values.schema.json refusing bad values by name. Rendered output goes to test-output/helm/.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CommanderError } from 'commander';
import { buildProgram, normalizeArgv } from '../src/cli/main.ts';
import { CONTROLLER_LONG_FLAGS } from '../src/cli/wiring/flags.ts';
import { ConfigError, loadConfigWithWarnings, type LoadedConfig } from '../src/config/index.ts';
import { RESOURCES } from '../src/kube/resources.ts';
import { helmLint, helmTemplate, REPO_ROOT, runHelm } from './support/helm.ts';
import { validateK8sYaml, type K8sObject } from './support/k8s-schema.ts';

const CHART = join(REPO_ROOT, 'deploy', 'helm', 'copycat');
const OUTPUT = join(REPO_ROOT, 'test-output', 'helm');
const NAMESPACE = 'k8s-copycat';

/** Value sets rendered and checked; the names become test-output/helm/<name>.yaml. */
const VALUE_SETS: Readonly<Record<string, object>> = {
  defaults: {},
  'ecr-irsa': {
    config: {
      targetKind: 'ecr',
      ecr: {
        accountID: '111111111111',
        region: 'eu-west-1',
        repoPrefix: 'mirror/$namespace',
        lifecyclePolicy: { rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }] },
        tags: { team: 'platform' },
      },
    },
    serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/copycat' } },
  },
  'docker-secret': {
    config: {
      targetKind: 'docker',
      docker: { registry: 'harbor.example.com/mirror', repoPrefix: '$namespace' },
      registryCredentials: [{ registry: 'ghcr.io', registryAliases: ['*.ghcr.io'], tokenEnv: 'GHCR_TOKEN' }],
      requestTimeout: '5m',
      maxConcurrentReconciles: 4,
    },
    existingSecret: 'copycat-credentials',
    extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy.example.com:3128' }],
  },
  'pull-secrets': { config: { targetKind: 'docker', docker: { registry: 'registry.example.com' }, usePodPullSecrets: true } },
  'node-platform': { config: { targetKind: 'docker', docker: { registry: 'registry.example.com' }, digestPull: true, checkNodePlatform: true, mirrorPlatforms: ['linux/amd64', 'linux/arm64'] } },
  'service-monitor': { serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } } },
  'single-replica': { replicaCount: 1, leaderElection: { enabled: false } },
};

interface Rendered {
  readonly docs: K8sObject[];
  one(kind: string): K8sObject;
  all(kind: string): K8sObject[];
}

const rendered = new Map<string, Promise<Rendered>>();

/** Renders a value set once per test file, validates every document and writes the output for humans. */
function render(name: string, values: object = VALUE_SETS[name] ?? {}): Promise<Rendered> {
  let r = rendered.get(name);
  if (r === undefined) {
    r = (async () => {
      const { stdout } = await helmTemplate(CHART, { values: [values], namespace: NAMESPACE });
      await mkdir(OUTPUT, { recursive: true });
      await writeFile(join(OUTPUT, `${name}.yaml`), stdout);
      const docs = validateK8sYaml(stdout, `helm template (${name})`);
      const all = (kind: string) => docs.filter((d) => d.kind === kind);
      const one = (kind: string) => {
        const found = all(kind);
        assert.equal(found.length, 1, `${name}: expected one ${kind}, got ${found.length}`);
        return found[0]!;
      };
      return { docs, one, all };
    })();
    rendered.set(name, r);
  }
  return r;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}

/** `group/resource` → verbs, over all rules. */
function grants(rules: readonly PolicyRule[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? ['']) {
      for (const resource of rule.resources ?? []) {
        const key = `${group}/${resource}`;
        const verbs = out.get(key) ?? new Set<string>();
        for (const v of rule.verbs) verbs.add(v);
        out.set(key, verbs);
      }
    }
  }
  return out;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

interface Container {
  name: string;
  image: string;
  args: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: unknown } }>;
  envFrom?: Array<{ secretRef?: { name: string } }>;
  ports: Array<{ name: string; containerPort: number }>;
  livenessProbe: { httpGet: { path: string; port: string | number } };
  readinessProbe: { httpGet: { path: string; port: string | number } };
  securityContext: Record<string, unknown>;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  terminationGracePeriodSeconds: number;
  containers: Container[];
  volumes: Array<{ name: string; configMap?: { name: string }; emptyDir?: object }>;
  affinity?: { podAntiAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: unknown[] } };
}

function podSpec(r: Rendered): PodSpec {
  return (r.one('Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

function container(r: Rendered): Container {
  const spec = podSpec(r);
  assert.equal(spec.containers.length, 1);
  return spec.containers[0]!;
}

/** Kubernetes' `$(VAR)` expansion in args, from the container's env (downward API namespace included). */
function expandArgs(c: Container, namespace: string): string[] {
  const env = new Map<string, string>();
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env.set(e.name, e.value);
    else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env.set(e.name, namespace);
  }
  return c.args.map((a) => a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => env.get(name) ?? m));
}

/** The controller's own command line (src/cli/main.ts) parsing `args` without running anything. */
function parseControllerArgs(args: readonly string[]): Record<string, unknown> {
  const program = buildProgram(() => {});
  const controller = program.commands.find((c) => c.name() === 'controller');
  assert.ok(controller, 'copycat has a controller command');
  let parsed: Record<string, unknown> | undefined;
  const errors: string[] = [];
  controller.configureOutput({ writeErr: (s) => errors.push(s), writeOut: (s) => errors.push(s) });
  controller.action((opts: Record<string, unknown>) => {
    parsed = opts;
  });
  try {
    program.parse(normalizeArgv(['node', 'copycat', ...args]));
  } catch (err) {
    if (err instanceof CommanderError) throw new Error(`copycat rejects the arguments ${JSON.stringify(args)}: ${errors.join('').trim() || err.message}`, { cause: err });
    throw err;
  }
  assert.ok(parsed, `the controller command ran for ${JSON.stringify(args)}`);
  return parsed;
}

function configYaml(r: Rendered): string {
  const cm = r.one('ConfigMap') as unknown as { data: Record<string, string> };
  const text = cm.data['config.yaml'];
  assert.equal(typeof text, 'string');
  return text!;
}

/** copycat's loader reading `text` as /config/config.yaml with `env` (no process env). */
function loadRendered(text: string, env: Record<string, string> = {}): LoadedConfig {
  return loadConfigWithWarnings({ path: '/config/config.yaml', env: { CONFIG_PATH: '/config/config.yaml', ...env }, readFile: () => text });
}

describe('helm chart deploy/helm/copycat', () => {
  it('passes helm lint --strict with its defaults and with every value set', async () => {
    const results = await Promise.all(Object.values(VALUE_SETS).map((values) => helmLint(CHART, { values: [values] })));
    for (const r of results) assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders documents that validate against the Kubernetes schemas, for every value set', async () => {
    const expectedKinds = ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount'];
    const r = await render('defaults');
    assert.deepEqual([...new Set(r.docs.map((d) => d.kind))].sort(), expectedKinds);
    for (const doc of r.docs) {
      if (doc.kind.startsWith('Cluster')) assert.equal(doc.metadata.namespace, undefined, `${doc.kind} is cluster-scoped`);
      else assert.equal(doc.metadata.namespace, NAMESPACE, `${doc.kind} ${doc.metadata.name} is in the release namespace`);
    }
    for (const name of Object.keys(VALUE_SETS)) {
      const set = await render(name);
      for (const kind of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Service']) set.one(kind);
    }
    assert.deepEqual(
      (await render('service-monitor')).all('ServiceMonitor').map((d) => d.metadata.name),
      ['k8s-copycat'],
    );
    assert.deepEqual(r.all('ServiceMonitor'), [], 'no ServiceMonitor unless enabled');
  });

  it('uses the image of this release: ghcr.io/copycat-dev/copycat:<package.json version> = Chart appVersion', async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const chart = parseYaml(await readFile(join(CHART, 'Chart.yaml'), 'utf8')) as { apiVersion: string; appVersion: string; version: string };
    assert.equal(chart.apiVersion, 'v2');
    assert.equal(chart.appVersion, pkg.version);
    assert.equal(container(await render('defaults')).image, `ghcr.io/copycat-dev/copycat:${pkg.version}`);
    const pinned = await render('pinned', { image: { digest: `sha256:${'a'.repeat(64)}` } });
    assert.equal(container(pinned).image, `ghcr.io/copycat-dev/copycat@sha256:${'a'.repeat(64)}`);
  });

  describe('RBAC', () => {
    it('by default: list/watch of the watched kinds, list of namespaces, no secrets, no nodes, no write verbs', async () => {
      const r = await render('defaults');
      const cluster = grants((r.one('ClusterRole') as unknown as { rules: PolicyRule[] }).rules);
      assert.deepEqual(
        Object.fromEntries([...cluster].map(([k, v]) => [k, [...v].sort()])),
        {
          '/pods': ['list', 'watch'],
          '/namespaces': ['list'],
          'apps/deployments': ['list', 'watch'],
          'apps/statefulsets': ['list', 'watch'],
          'apps/daemonsets': ['list', 'watch'],
          'apps/replicasets': ['list', 'watch'],
          'batch/jobs': ['list', 'watch'],
          'batch/cronjobs': ['list', 'watch'],
        },
      );
      for (const [key, verbs] of cluster) for (const v of verbs) assert.ok(READ_VERBS.has(v), `${key}: ${v} is not a read verb`);
      assert.ok(!cluster.has('/secrets') && !cluster.has('/nodes') && !cluster.has('/serviceaccounts'));
      assert.ok(![...cluster.keys()].some((k) => k.includes('*')), 'no wildcards');
    });

    it('writes only the one Lease, through a Role in the release namespace', async () => {
      const r = await render('defaults');
      const role = r.one('Role') as unknown as { rules: PolicyRule[]; metadata: { name: string; namespace: string } };
      assert.equal(role.metadata.namespace, NAMESPACE);
      assert.deepEqual(role.rules, [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['k8s-copycat.k8s-copycat'], verbs: ['get', 'update'] },
      ]);
      const binding = r.one('RoleBinding') as unknown as { roleRef: { kind: string; name: string }; subjects: Array<{ kind: string; name: string; namespace: string }> };
      assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
      const sa = r.one('ServiceAccount');
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: NAMESPACE }]);
      const clusterBinding = r.one('ClusterRoleBinding') as unknown as { roleRef: { name: string }; subjects: unknown[] };
      assert.equal(clusterBinding.roleRef.name, r.one('ClusterRole').metadata.name);
      assert.deepEqual(clusterBinding.subjects, binding.subjects);
      assert.equal(podSpec(r).serviceAccountName, sa.metadata.name);
    });

    it('checkNodePlatform adds exactly list/watch on nodes; usePodPullSecrets exactly get on secrets and serviceaccounts', async () => {
      const base = (await render('defaults')).one('ClusterRole') as unknown as { rules: PolicyRule[] };
      const nodes = (await render('node-platform')).one('ClusterRole') as unknown as { rules: PolicyRule[] };
      const secrets = (await render('pull-secrets')).one('ClusterRole') as unknown as { rules: PolicyRule[] };
      assert.deepEqual(nodes.rules.slice(0, base.rules.length), base.rules);
      assert.deepEqual(nodes.rules.slice(base.rules.length), [{ apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] }]);
      assert.deepEqual(secrets.rules.slice(0, base.rules.length), base.rules);
      assert.deepEqual(secrets.rules.slice(base.rules.length), [{ apiGroups: [''], resources: ['secrets', 'serviceaccounts'], verbs: ['get'] }]);
    });

    it('grants every resource src/kube uses (kube/resources.ts) and nothing else', async () => {
      const granted = new Set<string>();
      for (const name of ['defaults', 'node-platform', 'pull-secrets']) {
        const r = await render(name);
        for (const kind of ['ClusterRole', 'Role']) for (const k of grants((r.one(kind) as unknown as { rules: PolicyRule[] }).rules).keys()) granted.add(k);
      }
      const used = Object.values(RESOURCES).map((res) => `${res.group}/${res.plural}`);
      assert.deepEqual([...granted].sort(), [...new Set(used)].sort());
    });

    it('rbac.create=false renders no RBAC objects', async () => {
      const r = await render('no-rbac', { rbac: { create: false } });
      for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']) assert.deepEqual(r.all(kind), [], kind);
    });
  });

  describe('Deployment', () => {
    it('runs two replicas with leader election in the release namespace, accepted by copycat controller', async () => {
      const r = await render('defaults');
      const deployment = r.one('Deployment') as unknown as { spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
      assert.equal(deployment.spec.replicas, 2);
      for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) assert.equal(deployment.spec.template.metadata.labels[k], v, `pod label ${k}`);
      const c = container(r);
      assert.equal(c.args[0], 'controller');
      for (const arg of c.args.slice(1)) {
        const flag = /^--([a-z-]+)(=|$)/.exec(arg)?.[1];
        assert.ok(flag !== undefined && CONTROLLER_LONG_FLAGS.has(flag), `${arg} is a copycat controller flag`);
      }
      const opts = parseControllerArgs(expandArgs(c, NAMESPACE));
      assert.equal(opts.leaderElect, true);
      assert.equal(opts.leaderElectionNamespace, NAMESPACE);
      assert.equal(opts.leaderElectionId, 'k8s-copycat.k8s-copycat');
      assert.equal(opts.metricsBindAddress, ':8080');
      assert.equal(opts.healthProbeBindAddress, ':8081');
      // The Lease the election uses is the one the Role allows.
      const role = r.one('Role') as unknown as { rules: PolicyRule[] };
      assert.ok(role.rules.some((rule) => rule.resourceNames?.includes(String(opts.leaderElectionId))));
    });

    it('the flag check can fail: an unknown flag is rejected by the same parser', () => {
      assert.throws(() => parseControllerArgs(['controller', '--leader-elektion=true']), /rejects the arguments/);
      assert.throws(() => parseControllerArgs(['controller', '--leader-elect=maybe']), /rejects the arguments/);
    });

    it('names its ports, probes /healthz and /readyz on 8081, mounts the config read-only, sets CONFIG_PATH', async () => {
      const r = await render('defaults');
      const c = container(r);
      assert.deepEqual(
        c.ports.map((p) => [p.name, p.containerPort]),
        [
          ['http-metrics', 8080],
          ['http-health', 8081],
        ],
      );
      assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 'http-health' });
      assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'http-health' });
      assert.equal(c.env?.find((e) => e.name === 'CONFIG_PATH')?.value, '/config/config.yaml');
      assert.deepEqual(c.env?.find((e) => e.name === 'POD_NAMESPACE')?.valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
      assert.equal(c.env?.some((e) => e.name === 'NODE_OPTIONS'), false, 'bin/copycat sets its own Node flags');
      assert.deepEqual(
        c.volumeMounts.map((m) => [m.name, m.mountPath, m.readOnly ?? false]),
        [
          ['config', '/config', true],
          ['tmp', '/tmp', false],
        ],
      );
      const spec = podSpec(r);
      assert.deepEqual(spec.volumes.find((v) => v.name === 'config')?.configMap, { name: r.one('ConfigMap').metadata.name });
      assert.ok(spec.volumes.find((v) => v.name === 'tmp')?.emptyDir);
      const service = r.one('Service') as unknown as { spec: { ports: Array<{ name: string; port: number; targetPort: string }>; selector: Record<string, string> } };
      assert.deepEqual(service.spec.ports.map((p) => [p.name, p.port, p.targetPort]), [['http-metrics', 8080, 'http-metrics']]);
    });

    it('runs locked down: non-root 65532, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', async () => {
      const r = await render('defaults');
      const spec = podSpec(r);
      assert.deepEqual(spec.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      assert.deepEqual(container(r).securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      assert.ok(spec.terminationGracePeriodSeconds >= 30);
      assert.deepEqual(container(r).resources, { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '512Mi' } });
      assert.equal(spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length, 1);
    });

    it('one replica without leader election: --leader-elect=false, no Lease Role, no PodDisruptionBudget', async () => {
      const r = await render('single-replica');
      const deployment = r.one('Deployment') as unknown as { spec: { replicas: number } };
      assert.equal(deployment.spec.replicas, 1);
      const opts = parseControllerArgs(expandArgs(container(r), NAMESPACE));
      assert.equal(opts.leaderElect, false);
      assert.equal(opts.leaderElectionNamespace, undefined);
      assert.deepEqual(r.all('Role'), []);
      assert.deepEqual(r.all('RoleBinding'), []);
      assert.deepEqual(r.all('PodDisruptionBudget'), []);
      const pdb = (await render('defaults')).one('PodDisruptionBudget') as unknown as { spec: { minAvailable: number } };
      assert.equal(pdb.spec.minAvailable, 1);
    });

    it('credentials come from the Secret through envFrom and extraEnv, never from the ConfigMap', async () => {
      const r = await render('docker-secret');
      const c = container(r);
      assert.deepEqual(c.envFrom, [{ secretRef: { name: 'copycat-credentials' } }]);
      assert.equal(c.env?.find((e) => e.name === 'HTTPS_PROXY')?.value, 'http://proxy.example.com:3128');
      const loaded = loadRendered(configYaml(r), { GHCR_TOKEN: 'token-from-secret' });
      assert.deepEqual(loaded.config.registryCredentials[0]?.auth, { kind: 'token', token: 'token-from-secret' });
      assert.ok(!configYaml(r).includes('token-from-secret'));
    });

    it('IRSA: the service account carries the role annotation', async () => {
      const sa = (await render('ecr-irsa')).one('ServiceAccount') as unknown as { metadata: { annotations?: Record<string, string> }; automountServiceAccountToken: boolean };
      assert.equal(sa.metadata.annotations?.['eks.amazonaws.com/role-arn'], 'arn:aws:iam::111111111111:role/copycat');
      assert.equal(sa.automountServiceAccountToken, true);
    });

    it('a config change changes the pod template (checksum annotation), so pods restart with it', async () => {
      const a = (await render('defaults')).one('Deployment') as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
      const b = (await render('ecr-irsa')).one('Deployment') as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
      assert.match(a.spec.template.metadata.annotations['checksum/config'] ?? '', /^[a-f0-9]{64}$/);
      assert.notEqual(a.spec.template.metadata.annotations['checksum/config'], b.spec.template.metadata.annotations['checksum/config']);
    });
  });

  describe('config.yaml in the ConfigMap, read by copycat\'s own loader', () => {
    it('ECR values come back: targetKind, account, region, prefix, a lifecycle policy map as JSON, tags', async () => {
      const loaded = loadRendered(configYaml(await render('ecr-irsa')));
      assert.deepEqual(loaded.warnings, []);
      assert.equal(loaded.config.targetKind, 'ecr');
      assert.equal(loaded.config.ecr.accountID, '111111111111');
      assert.equal(loaded.config.ecr.region, 'eu-west-1');
      assert.equal(loaded.config.ecr.repoPrefix, 'mirror/$namespace');
      assert.deepEqual(JSON.parse(loaded.config.ecr.lifecyclePolicy), (VALUE_SETS['ecr-irsa'] as { config: { ecr: { lifecyclePolicy: unknown } } }).config.ecr.lifecyclePolicy);
      assert.deepEqual(loaded.config.ecr.tags, { team: 'platform' });
    });

    it('docker values come back, durations and counts included', async () => {
      const loaded = loadRendered(configYaml(await render('docker-secret')), { GHCR_TOKEN: 't' });
      assert.deepEqual(loaded.warnings, []);
      assert.equal(loaded.config.targetKind, 'docker');
      assert.equal(loaded.config.docker.registry, 'harbor.example.com/mirror');
      assert.equal(loaded.config.requestTimeoutMs, 300_000);
      assert.equal(loaded.config.maxConcurrentReconciles, 4);
      const nodes = loadRendered(configYaml(await render('node-platform')));
      assert.equal(nodes.config.checkNodePlatform, true);
      assert.deepEqual(nodes.config.mirrorPlatforms, ['linux/amd64', 'linux/arm64']);
      assert.equal(loadRendered(configYaml(await render('pull-secrets'))).config.usePodPullSecrets, true);
    });

    it('the default config is empty: copycat then needs its target from the environment, as upstream', async () => {
      const text = configYaml(await render('defaults'));
      assert.equal(text.trim(), '{}');
      const loaded = loadRendered(text, { TARGET_KIND: 'docker', TARGET_REGISTRY: 'registry.example.com' });
      assert.equal(loaded.config.docker.registry, 'registry.example.com');
      assert.throws(() => loadRendered(text), (err: unknown) => err instanceof ConfigError && err.code === 'CONFIG_INVALID');
    });
  });

  it("deploy/README.md's ECR example renders, and copycat loads what it sets", async () => {
    const readme = await readFile(join(REPO_ROOT, 'deploy', 'README.md'), 'utf8');
    const block = /### Amazon ECR with IRSA\s+```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, 'the README has the ECR values example');
    const values = parseYaml(block) as { config: { ecr: { accountID: string; region: string } }; serviceAccount: { annotations: Record<string, string> } };
    const r = await render('readme-ecr', values);
    const loaded = loadRendered(configYaml(r));
    assert.deepEqual(loaded.warnings, []);
    assert.equal(loaded.config.targetKind, 'ecr');
    assert.equal(loaded.config.ecr.accountID, values.config.ecr.accountID);
    assert.equal(loaded.config.ecr.region, values.config.ecr.region);
    assert.equal(JSON.parse(loaded.config.ecr.lifecyclePolicy).rules[0].action.type, 'expire');
    const sa = r.one('ServiceAccount') as unknown as { metadata: { annotations?: Record<string, string> } };
    assert.deepEqual(sa.metadata.annotations, values.serviceAccount.annotations);
  });

  it('NOTES.txt warns when no target is configured, and only then', async () => {
    // helm install --dry-run=client renders the notes without a cluster.
    const notes = async (...set: string[]) => {
      const { stdout } = await runHelm(['install', 'k8s-copycat', CHART, '--namespace', NAMESPACE, '--dry-run=client', ...set.flatMap((s) => ['--set', s])]);
      return stdout.slice(stdout.indexOf('NOTES:'));
    };
    assert.match(await notes(), /WARNING: no target is configured/);
    const configured = await notes('config.targetKind=docker', 'config.docker.registry=registry.example.com', 'config.checkNodePlatform=true');
    assert.doesNotMatch(configured, /WARNING/);
    assert.match(configured, /port-forward deploy\/k8s-copycat 8080/);
    assert.match(configured, /grants list\/watch on nodes/);
  });

  describe('values.schema.json refuses bad values, naming them', () => {
    // helm lint checks the schema too, but only logs a template's `fail` (lint renders leniently).
    const refuse = async (values: object, pattern: RegExp, lint = true) => {
      const r = await helmTemplate(CHART, { values: [values], check: false });
      assert.notEqual(r.code, 0, `helm template accepted ${JSON.stringify(values)}`);
      assert.match(r.stderr, pattern);
      if (!lint) return;
      const linted = await helmLint(CHART, { values: [values], check: false });
      assert.notEqual(linted.code, 0, `helm lint accepted ${JSON.stringify(values)}`);
      assert.match(linted.stdout + linted.stderr, pattern);
    };

    it('a misspelt top-level key', () => refuse({ replicaCont: 3 }, /additional properties 'replicaCont' not allowed/));
    it('a misspelt config key', () => refuse({ config: { targetKnd: 'docker' } }, /\/config.*'targetKnd' not allowed/));
    it('a nested misspelt config key', () => refuse({ config: { ecr: { acountID: '111111111111' } } }, /\/config\/ecr.*'acountID' not allowed/));
    it('a password in registryCredentials (it would land in a ConfigMap)', () =>
      refuse({ config: { registryCredentials: [{ registry: 'ghcr.io', password: 'hunter2' }] } }, /registryCredentials\/0.*'password' not allowed/));
    it('an unquoted account ID (YAML makes it a number and drops leading zeros)', () => refuse({ config: { ecr: { accountID: 11111111111 } } }, /\/config\/ecr\/accountID/));
    it('a string where a boolean is due (the RBAC toggles test it)', () => refuse({ config: { usePodPullSecrets: 'false' } }, /\/config\/usePodPullSecrets/));
    it('a registry with a scheme', () => refuse({ config: { docker: { registry: 'https://harbor.example.com' } } }, /\/config\/docker\/registry/));
    it('two replicas without leader election', () => refuse({ leaderElection: { enabled: false } }, /leaderElection\.enabled is false/, false));
  });
});
