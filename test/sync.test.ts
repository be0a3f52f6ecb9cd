/**
 * `copycat sync -f FILE…` against real registries: a multi-document YAML file and a `kubectl`-style `List`
 * (from stdin), the configuration's naming and exclusions, the summary table and JSON, the exit codes, a dry
 * run that writes nothing, and the real `bin/copycat` launcher.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPlannerConfig, plannerClients, runSync } from '../src/cli/commands/sync.ts';
import { targetFromConfig } from '../src/controller/index.ts';
import { runCli } from './lib/cli.ts';
import { pushImage, pushMultiArchIndex, type ImageFixture, type IndexFixture } from './support/fixtures.ts';
import { startRegistry, type RunningRegistry } from './support/registry.ts';
import { sha256, skopeoInspectRaw } from './support/skopeo.ts';
import { captureIo } from './lib/command-io.ts';

const io = captureIo;

async function served(ref: string): Promise<string | undefined> {
  try {
    return sha256(await skopeoInspectRaw(ref));
  } catch {
    return undefined;
  }
}

describe('copycat sync', () => {
  let src: RunningRegistry;
  let dst: RunningRegistry;
  let dir: string;
  let config: string;
  let index: IndexFixture;
  let one: ImageFixture;
  let two: ImageFixture;

  before(async () => {
    [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
    [index, one, two] = await Promise.all([pushMultiArchIndex(src, 'library/nginx', { tag: '1.25' }), pushImage(src, 'app/one', { tag: 'v1' }), pushImage(src, 'app/two', { tag: 'v1' })]);
    dir = await mkdtemp(join(tmpdir(), 'copycat-sync-'));
    config = join(dir, 'config.yaml');
    await writeFile(config, 'docker:\n  repoPrefix: "$namespace"\nexcludeRegistries: [quay.io]\nskipNamespaces: [kube-system]\n');
  });
  after(async () => {
    await Promise.all([src?.stop(), dst?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
  });

  const manifests = () => `# Source: chart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: one, namespace: prod}
spec:
  template:
    spec:
      initContainers: [{name: init, image: "${src.host}/app/one:v1"}]
      containers: [{name: app, image: "${src.host}/app/one:v1"}, {name: quay, image: "quay.io/org/excluded:1"}]
---
apiVersion: v1
kind: Service
metadata: {name: one, namespace: prod}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: kube-system}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: "${src.host}/app/skipped:1"}]}}}}}
`;

  const podList = () =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'web-0', namespace: 'web' },
          spec: { nodeName: 'n1', containers: [{ name: 'nginx', image: `${src.host}/library/nginx:1.25` }] },
          status: { phase: 'Running', containerStatuses: [{ name: 'nginx', imageID: `docker-pullable://${src.host}/library/nginx@${index.digest}` }] },
        },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'two', namespace: 'web' }, spec: { containers: [{ name: 'c', image: `${src.host}/app/two:v1` }] }, status: { phase: 'Pending' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done', namespace: 'web' }, spec: { containers: [{ name: 'c', image: `${src.host}/app/never:v1` }] }, status: { phase: 'Succeeded' } },
      ],
    });

  it('mirrors a multi-document file and a List from stdin, named and filtered by the configuration; exit 0', async () => {
    const file = join(dir, 'chart.yaml');
    await writeFile(file, manifests());
    const cmd = io(podList());
    const code = await runSync({ file: [file, '-'], config, target: dst.host }, cmd);
    assert.equal(code, 0, cmd.stderr() + cmd.stdout());
    assert.equal(await served(`${dst.host}/prod/app/one:v1`), one.digest);
    assert.equal(await served(`${dst.host}/web/library/nginx:1.25`), index.digest);
    assert.equal(await served(`${dst.host}/web/app/two:v1`), two.digest);
    const out = cmd.stdout();
    assert.match(out, /^SOURCE\s+TARGET\s+STATE\s+DIGEST\s+USERS\s+NOTE$/m);
    assert.match(out, new RegExp(`^${src.host}/app/one:v1\\s+${dst.host}/prod/app/one:v1\\s+mirrored\\s+sha256:[0-9a-f]{12}\\s+2\\s+copied \\d+(\\.\\d)? kB$`, 'm'));
    assert.match(out, /^quay\.io\/org\/excluded:1\s+-\s+skipped\s+-\s+1\s+matches excluded registry prefix quay\.io$/m);
    assert.doesNotMatch(out, /app\/skipped|app\/never/);
    assert.match(out, /^5 objects, 4 images: 3 mirrored, 0 partial, 0 failed, 0 invalid, 1 skipped$/m);

    // The same input again: every digest is there already, and the summary says so.
    const again = io(podList());
    assert.equal(await runSync({ file: [file, '-'], config, target: dst.host }, again), 0, again.stderr());
    assert.match(again.stdout(), new RegExp(`^${src.host}/app/one:v1\\s+${dst.host}/prod/app/one:v1\\s+mirrored\\s+sha256:[0-9a-f]{12}\\s+2\\s+already in the mirror$`, 'm'));
    assert.doesNotMatch(again.stdout(), /copied/);
  });

  it('a missing image and a broken document make exit 1; everything else is still mirrored; --json reports it', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(
      file,
      `kind: Pod
metadata: {name: ok, namespace: json}
spec: {containers: [{name: a, image: "${src.host}/app/two:v1"}, {name: b, image: "${src.host}/app/missing:v9"}, {name: c, image: "Bad/Name:1"}]}
---
kind: Pod
metadata: {name: [broken
`,
    );
    const cmd = io();
    const code = await runSync({ file: [file], config, target: dst.host, json: true }, cmd);
    assert.equal(code, 1);
    const report = JSON.parse(cmd.stdout()) as { documents: { errors: string[] }; counts: Record<string, number>; images: Array<{ source: string; state: string; lastError?: string }> };
    assert.equal(report.documents.errors.length, 1);
    assert.match(report.documents.errors[0]!, /broken\.yaml line \d+/);
    assert.deepEqual(report.counts, { pending: 0, mirrored: 1, partial: 0, failed: 1, cooldown: 0, skipped: 0, invalid: 1 });
    assert.match(report.images.find((i) => i.source.endsWith('missing:v9'))?.lastError ?? '', /^describe /);
    assert.equal(await served(`${dst.host}/json/app/two:v1`), two.digest);
  });

  it('--dry-run writes nothing and says so', async () => {
    const empty = await startRegistry();
    try {
      const file = join(dir, 'dry.yaml');
      await writeFile(file, manifests());
      const cmd = io();
      const code = await runSync({ file: [file], config, target: empty.host, dryRun: true }, cmd);
      assert.equal(code, 0, cmd.stderr());
      assert.match(cmd.stdout(), /\(dry run: nothing was written\)$/m);
      const catalog = (await (await fetch(`${empty.url}/v2/_catalog`)).json()) as { repositories: string[] };
      assert.deepEqual(catalog.repositories, []);
    } finally {
      await empty.stop();
    }
  });

  it('TestNewPusherSeparatesSourceAndTargetTransportSecurity: an insecure target does not make sources insecure', async () => {
    const cmd = io();
    const cfg = loadPlannerConfig({ config, target: 'registry.internal:5000', insecureTarget: true }, cmd);
    const target = targetFromConfig(cfg);
    const clients = plannerClients(cfg, target, {}, cmd);
    try {
      assert.equal(clients.target.isInsecure('registry.internal:5000'), true);
      assert.equal(clients.source.isInsecure('ghcr.io'), false);
      assert.equal(clients.target.isInsecure('ghcr.io'), false);
    } finally {
      await clients.close();
    }
  });

  it('bin/copycat sync: registered, reads the file, prints the summary', async () => {
    const file = join(dir, 'cli.yaml');
    await writeFile(file, `kind: Deployment\nmetadata: {name: cli, namespace: cli}\nspec: {template: {spec: {containers: [{name: a, image: "${src.host}/app/one:v1"}]}}}\n`);
    const r = await runCli(['sync', '-f', file, '--config', config, '--target', dst.host]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.out, /^1 object, 1 image: 1 mirrored/m);
    assert.equal(await served(`${dst.host}/cli/app/one:v1`), one.digest);
    const usage = await runCli(['sync', '--config', config]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /-f, --file/);
  });
});
