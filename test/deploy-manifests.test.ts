/**
 * The plain manifests (deploy/manifests, hand-written for `kubectl apply -f` / `-k`): every document
 * validates against the Kubernetes schemas, `kubectl kustomize deploy/` (the real kubectl) builds exactly
 * them, and they agree with the Helm chart's default render on everything that matters: image, args, env,
 * probes, ports, security contexts, volumes, RBAC rules and bindings, Service, PodDisruptionBudget,
 * ServiceMonitor, and the configuration copycat loads. The commented RBAC toggles equal the rules the chart
 * adds for checkNodePlatform and usePodPullSecrets.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { loadConfigWithWarnings } from '../src/config/index.ts';
import { helmTemplate, REPO_ROOT, runKubectl } from './support/helm.ts';
import { K8sSchemaError, parseK8sDocuments, validateK8sObject, validateK8sYaml, type K8sObject } from './support/k8s-schema.ts';

const DEPLOY = join(REPO_ROOT, 'deploy');
const MANIFESTS = join(DEPLOY, 'manifests');
const CHART = join(DEPLOY, 'helm', 'copycat');
const OUTPUT = join(REPO_ROOT, 'test-output', 'helm');

/** Every manifest file, top level first (what `kubectl apply -f deploy/manifests/` applies, in its order), then optional/. */
async function manifestFiles(): Promise<{ main: string[]; optional: string[] }> {
  const yaml = (names: string[]) => names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
  return { main: yaml(await readdir(MANIFESTS)), optional: yaml(await readdir(join(MANIFESTS, 'optional'))).map((n) => `optional/${n}`) };
}

async function manifestDocs(file: string): Promise<K8sObject[]> {
  return validateK8sYaml(await readFile(join(MANIFESTS, file), 'utf8'), `deploy/manifests/${file}`);
}

async function allManifestDocs(): Promise<K8sObject[]> {
  const { main, optional } = await manifestFiles();
  return (await Promise.all([...main, ...optional].map(manifestDocs))).flat();
}

let chartDocs: Promise<K8sObject[]> | undefined;
/** The chart rendered as the manifests are meant: release k8s-copycat in k8s-copycat, defaults plus the ServiceMonitor. */
function chart(): Promise<K8sObject[]> {
  chartDocs ??= (async () => {
    const { stdout } = await helmTemplate(CHART, { release: 'k8s-copycat', namespace: 'k8s-copycat', values: [{ serviceMonitor: { enabled: true } }] });
    await mkdir(OUTPUT, { recursive: true });
    await writeFile(join(OUTPUT, 'manifests-equivalent.yaml'), stdout);
    return validateK8sYaml(stdout, 'helm template');
  })();
  return chartDocs;
}

const key = (d: K8sObject) => `${d.kind}/${d.metadata.name}`;

/** A deep copy without the fields that legitimately differ (pod template metadata: the chart adds a config checksum and Helm labels). */
function withoutTemplateMetadata(spec: unknown): unknown {
  const copy = structuredClone(spec) as { template?: { metadata?: unknown } };
  delete copy.template?.metadata;
  return copy;
}

const ENV = { ECR_ACCOUNT_ID: '111111111111', AWS_REGION: 'eu-west-1' };

function loadedConfig(doc: K8sObject): unknown {
  const text = (doc as unknown as { data: Record<string, string> }).data['config.yaml'] ?? '';
  return loadConfigWithWarnings({ path: '/config/config.yaml', env: ENV, readFile: () => text }).config;
}

describe('plain manifests deploy/manifests', () => {
  it('every document of every file validates against the Kubernetes schemas', async () => {
    const { main, optional } = await manifestFiles();
    assert.equal(main[0], '00-namespace.yaml', 'kubectl apply -f applies files in name order: the namespace first');
    assert.ok(!main.includes('kustomization.yaml'), 'no kustomization.yaml here: kubectl apply -f would try to apply it');
    assert.deepEqual(optional, ['optional/servicemonitor.yaml']);
    const docs = await allManifestDocs();
    assert.deepEqual(
      docs.map(key).sort(),
      [
        'ClusterRole/k8s-copycat',
        'ClusterRoleBinding/k8s-copycat',
        'ConfigMap/k8s-copycat-config',
        'Deployment/k8s-copycat',
        'Namespace/k8s-copycat',
        'PodDisruptionBudget/k8s-copycat',
        'Role/k8s-copycat-leader-election',
        'RoleBinding/k8s-copycat-leader-election',
        'Service/k8s-copycat',
        'ServiceAccount/k8s-copycat',
        'ServiceMonitor/k8s-copycat',
      ],
    );
    for (const d of docs) if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(d.kind)) assert.equal(d.metadata.namespace, 'k8s-copycat', key(d));
  });

  it('kubectl kustomize deploy/ builds exactly the top-level manifests (the ServiceMonitor stays optional)', async () => {
    const built = await runKubectl(['kustomize', DEPLOY]);
    const docs = validateK8sYaml(built.stdout, 'kubectl kustomize deploy/');
    const { main } = await manifestFiles();
    const expected = (await Promise.all(main.map(manifestDocs))).flat();
    const byKey = new Map(expected.map((d) => [key(d), d]));
    assert.deepEqual(docs.map(key).sort(), [...byKey.keys()].sort());
    for (const d of docs) assert.deepEqual(d, byKey.get(key(d)), key(d));
    const kustomization = parseYaml(await readFile(join(DEPLOY, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    assert.deepEqual(kustomization.resources, main.map((n) => `manifests/${n}`));
  });

  it('agree with the Helm chart defaults: same objects, names, namespaces and labels', async () => {
    const rendered = await chart();
    const manifests = (await allManifestDocs()).filter((d) => d.kind !== 'Namespace');
    assert.deepEqual(manifests.map(key).sort(), rendered.map(key).sort());
    const byKey = new Map(manifests.map((d) => [key(d), d]));
    for (const c of rendered) {
      const m = byKey.get(key(c))!;
      assert.equal(m.metadata.namespace, c.metadata.namespace, key(c));
      const chartLabels = { ...c.metadata.labels };
      delete chartLabels['helm.sh/chart'];
      delete chartLabels['app.kubernetes.io/managed-by'];
      assert.deepEqual(m.metadata.labels, chartLabels, `${key(c)} labels`);
    }
  });

  it('agree with the chart on the Deployment: image, args, env, probes, ports, resources, security contexts, volumes, affinity', async () => {
    const c = (await chart()).find((d) => d.kind === 'Deployment') as unknown as { spec: { selector: { matchLabels: Record<string, string> } } };
    const m = (await manifestDocs('40-deployment.yaml'))[0] as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } };
    assert.deepEqual(withoutTemplateMetadata(m.spec), withoutTemplateMetadata(c.spec));
    for (const [k, v] of Object.entries(c.spec.selector.matchLabels)) assert.equal(m.spec.template.metadata.labels[k], v, `pod label ${k}`);
  });

  it('agree with the chart on RBAC, Service, PodDisruptionBudget, ServiceAccount, ServiceMonitor', async () => {
    const rendered = new Map((await chart()).map((d) => [key(d), d as unknown as Record<string, unknown>]));
    const manifests = new Map((await allManifestDocs()).map((d) => [key(d), d as unknown as Record<string, unknown>]));
    const same = (k: string, ...fields: string[]) => {
      for (const f of fields) assert.deepEqual(manifests.get(k)?.[f], rendered.get(k)?.[f], `${k} ${f}`);
    };
    same('ClusterRole/k8s-copycat', 'rules');
    same('ClusterRoleBinding/k8s-copycat', 'roleRef', 'subjects');
    same('Role/k8s-copycat-leader-election', 'rules');
    same('RoleBinding/k8s-copycat-leader-election', 'roleRef', 'subjects');
    same('Service/k8s-copycat', 'spec');
    same('PodDisruptionBudget/k8s-copycat', 'spec');
    same('ServiceAccount/k8s-copycat', 'automountServiceAccountToken');
    same('ServiceMonitor/k8s-copycat', 'spec');
    // A rule the manifests lack is caught: the comparison is not vacuous.
    assert.ok(Array.isArray(rendered.get('ClusterRole/k8s-copycat')?.rules) && (rendered.get('ClusterRole/k8s-copycat')?.rules as unknown[]).length >= 4);
  });

  it("agree with the chart on the configuration copycat loads from the ConfigMap", async () => {
    const c = (await chart()).find((d) => d.kind === 'ConfigMap')!;
    const m = (await manifestDocs('30-configmap.yaml'))[0]!;
    assert.deepEqual(loadedConfig(m), loadedConfig(c));
  });

  it('the commented RBAC toggles in 20-clusterrole.yaml are the rules the chart adds for them', async () => {
    const text = await readFile(join(MANIFESTS, '20-clusterrole.yaml'), 'utf8');
    /** The commented rule lines after `# [marker]`, uncommented and parsed. */
    const toggle = (marker: string): unknown => {
      const lines = text.split('\n');
      const start = lines.findIndex((l) => l.includes(`# [${marker}]`));
      assert.notEqual(start, -1, `20-clusterrole.yaml has a [${marker}] block`);
      const rule: string[] = [];
      for (const line of lines.slice(start + 1)) {
        if (line.includes('# [') || !line.startsWith('  #')) break;
        const m = /^ {2}# ((?:- | {2}).*)$/.exec(line);
        if (m !== null) rule.push(m[1]!);
      }
      return parseYaml(rule.join('\n'));
    };
    const base = (await manifestDocs('20-clusterrole.yaml'))[0] as unknown as { rules: unknown[] };
    for (const [marker, config] of [
      ['checkNodePlatform', { checkNodePlatform: true }],
      ['usePodPullSecrets', { usePodPullSecrets: true }],
    ] as const) {
      const { stdout } = await helmTemplate(CHART, { values: [{ config: { targetKind: 'docker', docker: { registry: 'registry.example.com' }, ...config } }] });
      const role = parseK8sDocuments(stdout).find((d) => (d as { kind?: string }).kind === 'ClusterRole') as { rules: unknown[] };
      assert.deepEqual(base.rules, role.rules.slice(0, base.rules.length));
      assert.deepEqual(toggle(marker), role.rules.slice(base.rules.length), marker);
    }
  });
});

describe('the schema check (test/support/k8s-schema.ts) itself', () => {
  const refused = (doc: unknown, code: string) =>
    assert.throws(
      () => validateK8sObject(doc, 'probe'),
      (err: unknown) => err instanceof K8sSchemaError && err.code === code,
    );

  it('fails on kinds it has no schema for instead of skipping them', () => {
    refused({ apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } }, 'UNKNOWN_KIND');
    refused({ apiVersion: 'apps/v1', kind: 'DeploymentSpec', metadata: { name: 'x' } }, 'UNKNOWN_KIND');
    refused({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }, 'UNKNOWN_KIND');
    refused({ apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'x' } }, 'UNKNOWN_KIND');
  });

  it('fails on schema violations and on documents that are not objects', () => {
    refused({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } }, 'INVALID_OBJECT');
    refused({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: {} } }, 'INVALID_OBJECT');
    refused({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, 'NOT_AN_OBJECT');
    refused(['a'], 'NOT_AN_OBJECT');
    assert.equal(validateK8sObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }).kind, 'ConfigMap');
  });
});
