/**
 * The controller under test, in a process of its own so its memory is its own (started through
 * run-controller.ts, which enables the compile cache first). Wired as src/controller/README.md
 * describes `copycat controller`: config → namespaces checked against the cluster → target → source and target
 * registry clients on one transport → `ClusterWatches` (every configured kind, lazy ReplicaSet and Node
 * watches) whose events call `observe`/`forget` → `Controller.start()`. Logs are pino JSON on stderr; metrics
 * go to a `CopycatMetrics` as in production. Left out: leader election (one replica) and the HTTP server.
 *
 * Usage (the benchmark starts it): node --max-semi-space-size=1 bench/controller/run-controller.ts
 *          --kubeconfig FILE --config FILE --expect FILE [--progress-ms 2000] | --warm-up
 * `--warm-up` only loads the modules and exits (fills the compile cache before anything is measured).
 * `--expect` is a JSON array of the image references the pods use; the process reports `converged` once all
 * of them are mirrored, then answers the commands of protocol.ts on stdin. It exits when stdin closes.
 */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfigWithWarnings } from '../../src/config/index.ts';
import { Controller, controllerOptionsFromConfig, filtersFromConfig, slimObject, sourceCredentialsFromConfig, targetFromConfig, validateNamespaces } from '../../src/controller/index.ts';
import { ClusterWatches, KubeClient, listNamespaceNames, loadKubeConfig } from '../../src/kube/index.ts';
import { CopycatMetrics } from '../../src/metrics/index.ts';
import { defaultChain, RegistryClient, Transport } from '../../src/registry/index.ts';
import { convergence } from './convergence.ts';
import { readProcMemory } from './proc.ts';
import { formatLine, parseCommand, type ChildMessage, type MemorySnapshot } from './protocol.ts';

function send(message: ChildMessage): void {
  process.stdout.write(formatLine(message));
}

function memory(): MemorySnapshot {
  const m = process.memoryUsage();
  const proc = readProcMemory('self');
  return { vmHWM: proc.vmHWM, vmRSS: proc.vmRSS, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      config: { type: 'string' },
      expect: { type: 'string' },
      'progress-ms': { type: 'string', default: '2000' },
      'warm-up': { type: 'boolean', default: false },
    },
  });
  // Every module is loaded by now (static imports): enough to fill the compile cache.
  if (values['warm-up']) return;
  if (!values.kubeconfig || !values.config || !values.expect) throw new Error('--kubeconfig, --config and --expect are required');
  const expected = new Set(JSON.parse(readFileSync(values.expect, 'utf8')) as string[]);

  const { config, warnings } = loadConfigWithWarnings({ path: values.config, env: {} });
  const logger = pino({ level: config.logLevel, base: undefined }, pino.destination({ dest: 2, sync: false }));
  for (const w of warnings) logger.warn({}, w);
  const metrics = new CopycatMetrics();

  const kube = new KubeClient(loadKubeConfig({ kubeconfig: values.kubeconfig, env: {} }).config);
  const scope = validateNamespaces(config, await listNamespaceNames(kube), logger);
  const target = targetFromConfig(config);
  const transport = new Transport({
    userAgent: 'copycat-bench',
    ...(config.requestTimeoutMs > 0 ? { headersTimeoutMs: config.requestTimeoutMs, bodyIdleTimeoutMs: config.requestTimeoutMs } : {}),
  });
  let controller: Controller | undefined;
  const source = new RegistryClient({ transport, credentials: defaultChain({ config: sourceCredentialsFromConfig(config) }), onRateLimit: (r, i) => controller?.onRateLimit(r, i) });
  const targetClient = new RegistryClient({ transport, credentials: defaultChain({ explicit: target.credentials }), insecureRegistries: target.insecure ? [target.registry] : [] });
  const cluster = new ClusterWatches({
    client: kube,
    resources: config.watchResources,
    namespaces: scope,
    checkNodePlatform: config.checkNodePlatform,
    // As `copycat controller` does: cache only what the controller reads.
    transform: slimObject,
    onEvent: (e) => {
      if (e.type === 'delete') controller?.forget(e.object);
      else controller?.observe(e.object);
    },
  });
  const ctl = new Controller(
    controllerOptionsFromConfig(config, {
      target,
      source,
      targetClient,
      filters: filtersFromConfig(config, scope, { owners: cluster.owners, nodePlatform: (name) => cluster.nodes.forNode(name) }),
      logger,
      metrics,
    }),
  );
  controller = ctl;
  ctl.start();
  cluster.start();
  send({ type: 'started', ms: performance.now(), memory: memory() });

  const report = (): ReturnType<typeof convergence> => convergence(ctl.status().images, expected);
  const every = Number(values['progress-ms']);
  const progress = setInterval(() => {
    const view = report();
    send({ type: 'progress', ms: performance.now(), counts: ctl.status().counts, covered: view.covered, expected: view.expected, memory: memory() });
  }, every > 0 ? every : 2000);

  await cluster.synced;
  send({ type: 'synced', ms: performance.now(), memory: memory() });
  for (;;) {
    await ctl.whenIdle();
    if (report().done) break;
    await sleep(100);
  }
  clearInterval(progress);
  send({ type: 'converged', ms: performance.now(), counts: ctl.status().counts, memory: memory(), cpuSeconds: cpuSeconds() });

  const shutdown = async (): Promise<void> => {
    await ctl.stop();
    await cluster.stop();
    await transport.close();
    logger.flush();
  };
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const command = parseCommand(line);
    if (command.cmd === 'resync') {
      const t0 = performance.now();
      const result = await ctl.resync();
      await ctl.whenIdle();
      send({ type: 'resynced', ms: performance.now(), seconds: (performance.now() - t0) / 1000, checked: result.checked, requeued: result.requeued, counts: ctl.status().counts, memory: memory(), cpuSeconds: cpuSeconds() });
    } else if (command.cmd === 'status') {
      await writeFile(command.file, JSON.stringify(ctl.status()));
      send({ type: 'status', file: command.file });
    } else {
      await shutdown();
      send({ type: 'stopped', memory: memory(), cpuSeconds: cpuSeconds() });
      return;
    }
  }
  // stdin closed without `exit`: the benchmark is gone; stop quietly.
  await shutdown();
}

try {
  await main();
  process.exit(0);
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}
