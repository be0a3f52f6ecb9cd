/**
 * The controller benchmark (see bench/README.md, "Controller benchmark"): a fake cluster of 5,000 pods over 300
 * unique images (multi-arch indexes and single-arch images) on a real source registry, the controller in a
 * process of its own against the in-process API server, counting proxies in front of both registries. Measures
 * the time to all mirrored, registry requests per unique image while converging, one full resync once
 * converged (target ≤ 1 request per unique image) and the controller's peak RSS (target ≤ 250 MB).
 *
 * Usage: node bench/controller.ts [--pods 5000] [--images 300] [--indexes 150] [--namespaces 20] [--nodes 40]
 *          [--arm-nodes 10] [--modes tag,digest] [--reconcilers N] [--timeout 240] [--log-level info]
 *          [--node-flags=--max-semi-space-size=1] [--out bench/results/controller.json]
 *
 * Prints a table and writes the figures as JSON. Exits 1 when a mode could not be measured (or the target did
 * not end up serving what the pods run), 0 otherwise: a MISS is a finding, not a failure of the benchmark.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startKubeApiServer } from '../test/support/kube-apiserver.ts';
import { startFaultProxy } from '../test/support/proxy.ts';
import { warmUp } from './controller/child.ts';
import { planCluster } from './controller/cluster-plan.ts';
import { isMultiArch, planImages, planSize } from './controller/image-plan.ts';
import { parseModes } from './controller/modes.ts';
import { clusterObjects, type ImageRef } from './controller/objects.ts';
import { DEFAULT_LIMITS, renderReport, type ModeResult } from './controller/report.ts';
import { runMode, type ModeContext } from './controller/run-mode.ts';
import { seedImages } from './controller/seed.ts';
import { toolVersion, wholeNumber } from './lib/args.ts';
import { Cleanup } from './lib/cleanup.ts';
import { formatBytes } from './lib/stats.ts';
import { REPO_ROOT } from './lib/tools.ts';

/** The launcher's Node flags (bin/copycat's shebang): the controller is measured as it is deployed. */
const LAUNCHER_NODE_FLAGS = '--max-semi-space-size=1';
const LAYERS = [2048, 512];

async function main(): Promise<number> {
  if (Number(process.versions.node.split('.')[0]) < 24) throw new Error(`the bench needs Node 24 (this is ${process.version}): run it with npm run bench:controller`);
  const { values } = parseArgs({
    options: {
      pods: { type: 'string', default: '5000' },
      images: { type: 'string', default: '300' },
      indexes: { type: 'string' },
      namespaces: { type: 'string', default: '20' },
      nodes: { type: 'string', default: '40' },
      'arm-nodes': { type: 'string', default: '10' },
      modes: { type: 'string', default: 'tag,digest' },
      reconcilers: { type: 'string' },
      timeout: { type: 'string', default: '240' },
      'log-level': { type: 'string', default: 'info' },
      'node-flags': { type: 'string', default: LAUNCHER_NODE_FLAGS },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results', 'controller.json') },
    },
  });
  const pods = wholeNumber('pods', values.pods);
  const imageCount = wholeNumber('images', values.images);
  const indexCount = values.indexes === undefined ? Math.floor(imageCount / 2) : wholeNumber('indexes', values.indexes, 0);
  const namespaces = wholeNumber('namespaces', values.namespaces);
  const nodes = wholeNumber('nodes', values.nodes);
  const armNodes = wholeNumber('arm-nodes', values['arm-nodes'], 0);
  const modes = parseModes(values.modes);
  const reconcilers = values.reconcilers === undefined ? undefined : wholeNumber('reconcilers', values.reconcilers);
  const timeoutMs = wholeNumber('timeout', values.timeout) * 1000;
  const nodeFlags = values['node-flags'].split(/\s+/).filter((s) => s !== '');

  const cleanup = new Cleanup();
  const { interrupted, release: releaseSignals } = cleanup.stopOnSignals();
  const log = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };

  const startedAt = new Date();
  const loadBefore = loadavg();
  const results: ModeResult[] = [];
  let workload = '';
  let setup: Record<string, number> = {};
  try {
    const t0 = performance.now();
    const source = await cleanup.registry();
    const sourceProxy = await startFaultProxy(source.url);
    cleanup.add(() => sourceProxy.stop());
    const specs = planImages({ count: imageCount, indexes: indexCount, layers: LAYERS });
    const size = planSize(specs);
    log(`bench: pushing ${imageCount} images (${size.indexes} indexes with ${size.platformImages - size.singles} platform images and ${size.attestations} attestations, ${size.singles} single-arch) into the source registry`);
    const images = await seedImages(source, specs, 8);
    const seedSeconds = (performance.now() - t0) / 1000;

    // Pods name the images through the counting proxy, so every source request the controller sends is seen.
    const refs: ImageRef[] = images.map((img) => ({ ref: `${sourceProxy.host}/${img.spec.repo}:${img.spec.tag}`, repository: `${sourceProxy.host}/${img.spec.repo}`, digest: img.digest }));
    const plan = planCluster(images.map((img) => ({ multiArch: isMultiArch(img.spec.kind) })), { pods, namespaces, nodes, armNodes });
    const objects = clusterObjects(plan, refs);
    const t1 = performance.now();
    const api = await startKubeApiServer();
    cleanup.add(() => api.stop());
    for (const o of [...objects.namespaces, ...objects.nodes, ...objects.workloads, ...objects.replicaSets, ...objects.pods]) api.create(o);
    const kubeconfig = api.writeKubeconfig();
    const clusterSeconds = (performance.now() - t1) / 1000;
    const podBytes = objects.pods.reduce((a, p) => a + JSON.stringify(p).length, 0) / objects.pods.length;
    const deployments = plan.workloads.filter((w) => w.kind === 'Deployment');
    const daemonSets = plan.workloads.length - deployments.length;
    const replicas = deployments.map((d) => d.replicas);
    workload =
      `${plan.pods.length} pods (${deployments.length} Deployments of 1–${Math.max(...replicas)} replicas, ${daemonSets} DaemonSets × ${nodes} nodes) in ${plan.namespaces.length} namespaces on ${nodes} nodes (${armNodes} arm64); ` +
      `${imageCount} unique images: ${size.indexes} multi-arch indexes (2–4 platforms, ${size.attestations} attestation manifests), ${size.singles} single-arch (amd64); ` +
      `own layers ${LAYERS.map((n) => formatBytes(n)).join(' + ')} per image; pod JSON ${(podBytes / 1024).toFixed(1)} KiB on average`;
    setup = { seedSeconds: Number(seedSeconds.toFixed(2)), clusterSeconds: Number(clusterSeconds.toFixed(2)), podJsonBytes: Math.round(podBytes) };
    log(`bench: ${workload}`);
    log(`bench: seeded in ${seedSeconds.toFixed(1)} s, API server filled in ${clusterSeconds.toFixed(1)} s`);

    const scratch = await cleanup.scratch('controller');
    const expectFile = join(scratch, 'expected.json');
    await writeFile(expectFile, JSON.stringify(refs.map((r) => r.ref)));
    warmUp(nodeFlags);
    const ctx: ModeContext = { cleanup, sourceProxy, api, kubeconfig, images, plan, expectFile, scratch, nodeFlags, timeoutMs, maxConcurrentReconciles: reconcilers, logLevel: values['log-level'], limits: DEFAULT_LIMITS, log, interrupted };
    for (const mode of modes) {
      if (interrupted()) break;
      results.push(await runMode(ctx, mode));
    }
  } finally {
    await cleanup.run();
    releaseSignals();
  }

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryBytes: totalmem(), loadAverageBefore: loadBefore, loadAverageAfter: loadavg() },
    versions: { node: process.version, registry: toolVersion('docker-registry', ['--version']), copycatCommit: toolVersion('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD']) },
    options: { pods, images: imageCount, indexes: indexCount, namespaces, nodes, armNodes, modes: modes.map((m) => m.name), reconcilers: reconcilers ?? 'config default', timeoutMs, nodeFlags, layers: LAYERS },
    limits: DEFAULT_LIMITS,
    rssMethod: 'VmHWM of the controller process (/proc/<pid>/status), read just before it stops',
    workload,
    setup,
    results,
  };
  const out = resolve(values.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${renderReport(results, DEFAULT_LIMITS, workload)}\n\nload average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${cpus().length} CPUs)\nJSON: ${out}\n`);
  return results.length === 0 || results.some((r) => r.error !== undefined) ? 1 : 0;
}

process.exitCode = await main();
