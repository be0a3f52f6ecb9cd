/**
 * `copycat controller`: the in-cluster controller, a drop-in for k8s-copycat (behaviour inventory §1, §2.1,
 * §5). Wiring order (src/controller/README.md): configuration → Kubernetes client → namespace check → target
 * and registry clients → watches → HTTP endpoints → leader election, whose leader runs the {@link Controller}.
 *
 * Shutdown (SIGTERM/SIGINT, or `stop()`): the controller stops taking work and abandons copies in flight before
 * their tag (nothing incomplete is ever tagged, ARCHITECTURE §2.5), then the Lease is released so another
 * replica takes over at once, then watches, endpoints and connection pools close, all within a bounded time.
 */
import type { Config } from '../../config/index.ts';
import { ConfigError, loadConfigWithWarnings, redactConfig, type LoadedConfig } from '../../config/index.ts';
import { Controller, controllerOptionsFromConfig, slimObject, filtersFromConfig, targetFromConfig, validateNamespaces, type ControllerOptions } from '../../controller/index.ts';
import { errorMessage } from '../../internal/errors.ts';
import {
  ClusterWatches,
  defaultIdentity,
  KubeClient,
  listNamespaceNames,
  loadKubeConfig,
  podPullSecretsFetcher,
  selectsAllNamespaces,
  type KubeObject,
  type LeaderTimings,
  type NamespaceScope,
  type WatchTuning,
} from '../../kube/index.ts';
import { startServer, statusPage, type RunningServer } from '../../server/index.ts';
import type { Target } from '../../targets/index.ts';
import { UsageError } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';
import { controllerClients, type ControllerClients } from '../wiring/clients.ts';
import { ecrLogObserver } from '../wiring/ecr.ts';
import { NotLeaderError, StartupError } from '../wiring/errors.ts';
import { leaseNamespace, startLeadership, type Leadership } from '../wiring/leader.ts';
import { createLogger, named, setLevel, type JsonLogger, type LogDestination } from '../wiring/logger.ts';
import { wireMetrics } from '../wiring/metrics.ts';
import { onTerminationSignals } from '../wiring/signals.ts';
import { ControllerSlot } from '../wiring/slot.ts';
import { replicaStatus, type ReplicaStatus } from '../wiring/status.ts';
import { watchStatusLogger } from '../wiring/watch-log.ts';

/** The flags of `copycat controller`, named and defaulted as k8s-copycat's (inventory §1.1). */
export interface ControllerFlags {
  /** `--kubeconfig`: wins over `KUBECONFIG` and the in-cluster service account. */
  kubeconfig?: string;
  /** `--context`: a kubeconfig context other than the current one. */
  context?: string;
  /** `--leader-elect` (default true, as upstream). */
  leaderElect?: boolean;
  /** `--leader-election-namespace` (default `POD_NAMESPACE`, else the pod's service account namespace). */
  leaderElectionNamespace?: string;
  /** `--leader-election-id`: the Lease name (default `k8s-copycat.k8s-copycat`, upstream's, so the two never both lead). */
  leaderElectionId?: string;
  /** `--metrics-bind-address` (wins over `METRICS_ADDR`; default `:8080`; `0` disables). */
  metricsBindAddress?: string;
  /** `--health-probe-bind-address` (default `:8081`; `0` or blank disables). */
  healthProbeBindAddress?: string;
  /** `--dry-run` (OR-ed with the file's `dryRun` unless `DRY_RUN` is set). */
  dryRun?: boolean;
  /** `--dry-pull` (same rules). */
  dryPull?: boolean;
  /** `--zap-log-level`: wins over the file's `logLevel`, as upstream. */
  zapLogLevel?: string;
  /** `--config`: the config file (default `CONFIG_PATH`, else `/config/config.yaml`). */
  config?: string;
}

export { CONTROLLER_LONG_FLAGS } from '../wiring/flags.ts';

/** Everything {@link runController} runs with; only `flags` matter in production, the rest is for tests. */
export interface RunControllerOptions {
  flags?: ControllerFlags;
  /** Environment for the configuration, `KUBECONFIG`, `POD_NAMESPACE`, `DOCKER_CONFIG` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Where JSON log lines go (default stdout). */
  log?: LogDestination;
  /** The service account mount (default `/var/run/secrets/kubernetes.io/serviceaccount`). */
  serviceAccountDir?: string;
  /** This replica's Lease identity (default host name + random UUID). */
  identity?: string;
  /** Leader election durations (default client-go's 15 s / 10 s / 2 s). */
  leaderTimings?: Partial<LeaderTimings>;
  /** Watch tuning (watchdog, back-off); `onStatus` is the logger's. */
  watch?: Omit<WatchTuning, 'onStatus'>;
  /** Longest graceful shutdown before giving up on the rest (default 10 000 ms). */
  shutdownTimeoutMs?: number;
  /** Controller settings the configuration does not cover (tests shorten back-offs). */
  controller?: Partial<Pick<ControllerOptions, 'queueBackoff' | 'copyConcurrency' | 'sleep'>>;
}

/** A running controller process (or in-process replica). */
export interface ControllerHandle {
  /** This replica's Lease identity. */
  readonly identity: string;
  /** Base URL of `/metrics`, `/status` and the admin endpoints; undefined when disabled. */
  readonly metricsUrl: string | undefined;
  /** Base URL of `/healthz` and `/readyz`; undefined when disabled. */
  readonly probeUrl: string | undefined;
  /** Resolves once every watch completed its first list (`/readyz` turns ok). */
  readonly synced: Promise<void>;
  /** Resolves once {@link stop} finished. */
  readonly stopped: Promise<void>;
  /** True while this replica runs the controller (it leads, or election is off). */
  isMirroring(): boolean;
  /** The `/status` document. */
  status(): ReplicaStatus;
  /**
   * Graceful shutdown (see the file comment); idempotent. Resolves true when everything closed in time, false
   * when the deadline cut it short.
   */
  stop(reason?: string): Promise<boolean>;
}

/** upstream's message for a configuration that does not load: plain for the file and `logLevel`, 🙀 for the rest (§1.4). */
function configFailure(err: unknown): string {
  if (err instanceof ConfigError && (err.code === 'CONFIG_UNREADABLE' || err.key === undefined || err.key === 'logLevel')) return 'resolve configuration failed';
  return 'resolve configuration failed 🙀';
}

/** Runs `step`; a throw is logged with upstream's `message` for that stage and rethrown as a {@link StartupError}. */
async function stage<T>(log: JsonLogger, message: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof StartupError) throw err;
    log.error({ error: errorMessage(err), ...(err instanceof Error && 'code' in err ? { code: (err as { code: unknown }).code } : {}) }, message);
    throw new StartupError(message, err);
  }
}

/** Closes what a target holds open (the ECR target's AWS clients); the docker target holds nothing. */
function closeTarget(target: Target): void {
  if ('close' in target && typeof target.close === 'function') (target.close as () => void)();
}

/** Every object the watches hold (for a new leadership term's replay). */
function* cachedObjects(cluster: ClusterWatches): Iterable<KubeObject> {
  for (const name of cluster.watches.keys()) yield* cluster.list(name);
}

/**
 * Starts the controller: resolves once the endpoints listen and the watches and leader election run (or
 * throws a {@link StartupError}, already logged with upstream's message, having released what it started).
 */
export async function runController(options: RunControllerOptions = {}): Promise<ControllerHandle> {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  const root = createLogger({ ...(options.log ? { destination: options.log } : {}) });

  const loaded: LoadedConfig = await (async () => {
    try {
      return loadConfigWithWarnings({
        env,
        ...(flags.config !== undefined ? { path: flags.config } : {}),
        flags: { dryRun: flags.dryRun ?? false, dryPull: flags.dryPull ?? false, metricsBindAddress: flags.metricsBindAddress, logLevel: flags.zapLogLevel },
      });
    } catch (err) {
      const message = configFailure(err);
      root.child({ logger: 'setup' }).error({ error: errorMessage(err) }, message);
      throw new StartupError(message, err);
    }
  })();
  const config: Config = loaded.config;
  setLevel(root, config.logLevel);
  const setupLog = named(root, 'setup');
  for (const warning of loaded.warnings) setupLog.warn({}, warning);
  // Secrets never reach the log: redactConfig replaces the docker password and every registry credential.
  setupLog.info({ configPath: loaded.path, configFound: loaded.found, config: redactConfig(config) }, 'resolved configuration');

  // Everything started so far, closed again (newest first) when a later stage fails.
  const undo: Array<() => Promise<void> | void> = [];
  const unwind = async (): Promise<void> => {
    for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => undefined);
  };
  try {
    const kube = await stage(setupLog, 'create kubernetes client failed 🙀', () => {
      const loadedKube = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context, env, serviceAccountDir: options.serviceAccountDir });
      setupLog.info({ source: loadedKube.source, server: loadedKube.config.getCurrentCluster()?.server }, 'loaded Kubernetes client configuration');
      return new KubeClient(loadedKube.config);
    });

    const scope: NamespaceScope = await stage(setupLog, 'validate configured namespaces failed 🙀', async () => {
      const existing = selectsAllNamespaces(config.includeNamespaces) ? [] : await listNamespaceNames(kube);
      return validateNamespaces(config, existing, named(root, 'namespaces'));
    });

    const leaderElect = flags.leaderElect ?? true;
    const lease = leaseNamespace({ flag: flags.leaderElectionNamespace, env, serviceAccountDir: options.serviceAccountDir });
    if (leaderElect && lease === undefined) {
      // controller-runtime refuses the same way: "unable to find leader election namespace: not running in-cluster".
      await stage(setupLog, 'unable to start copycat 🙀', () => {
        throw new UsageError(
          'leader election needs a Lease namespace when not running in a pod: pass --leader-election-namespace NS, set POD_NAMESPACE, or turn election off with --leader-elect=false',
        );
      });
    }

    const target: Target = await stage(setupLog, 'resolve configuration failed 🙀', () => targetFromConfig(config, { observer: ecrLogObserver(named(root, 'ecr')) }));
    undo.push(() => closeTarget(target));

    const metrics = wireMetrics(named(root, 'registry'));
    let slot: ControllerSlot | undefined;
    const clients: ControllerClients = controllerClients(config, {
      target,
      env,
      log: named(root, 'registry'),
      observer: metrics.transport,
      onRateLimit: (registry, info) => slot?.current?.onRateLimit(registry, info),
    });
    undo.push(() => clients.close());

    const watchLog = named(root, 'kube');
    const cluster = new ClusterWatches({
      ...options.watch,
      client: kube,
      resources: config.watchResources,
      namespaces: scope,
      checkNodePlatform: config.checkNodePlatform,
      onStatus: watchStatusLogger(watchLog),
      onEvent: (event) => slot?.onEvent(event),
      // Cache only what the controller reads (ClusterWatchesOptions.transform; docs in bench/README.md).
      transform: slimObject,
    });
    undo.push(() => cluster.stop());

    const controllersLog = named(root, 'controllers');
    // Read only when `usePodPullSecrets` is on (controllerOptionsFromConfig drops it otherwise); kept across terms.
    const pullSecrets = podPullSecretsFetcher(kube, { onWarning: (message) => controllersLog.warn({}, message) });
    const filters = filtersFromConfig(config, scope, { owners: cluster.owners, nodePlatform: (node) => cluster.nodes.forNode(node) });
    const activeSlot = new ControllerSlot({
      build: () =>
        new Controller({
          ...controllerOptionsFromConfig(config, {
            target,
            source: clients.source,
            targetClient: clients.target,
            filters,
            logger: controllersLog,
            metrics: metrics.controller,
            pullSecrets,
            sourceCredentials: clients.sourceCredentials,
          }),
          ...options.controller,
        }),
      cached: () => cachedObjects(cluster),
      log: controllersLog,
    });
    slot = activeSlot;
    undo.push(() => activeSlot.close());

    let synced = false;
    const startedAt = Date.now();
    // Before the first lists complete, liveness holds for as long as a synced watch may go without an answer.
    const startupGraceMs = options.watch?.healthyWithinMs ?? 2 * (options.watch?.watchdogMs ?? 60_000);
    let leadership: Leadership | undefined;
    const identity = options.identity ?? defaultIdentity();
    const leadershipInfo = () => leadership?.info() ?? { enabled: leaderElect, identity, leader: false, holder: undefined, lease: undefined };
    const dry = { dryRun: config.dryRun, dryPull: config.dryPull };
    const status = (): ReplicaStatus => replicaStatus(activeSlot.current, leadershipInfo(), synced, dry);
    const httpLog = named(root, 'http');

    const server: RunningServer = await stage(setupLog, 'unable to start copycat 🙀', () =>
      startServer({
        metricsAddr: config.metricsBindAddress,
        probeAddr: flags.healthProbeBindAddress,
        shutdownGraceMs: 2_000,
        metrics: metrics.metrics,
        health: () => (synced ? cluster.healthy() : Date.now() - startedAt < startupGraceMs),
        ready: () => synced,
        status,
        statusPage: statusPage(),
        onResetCooldown: () => activeSlot.current?.resetCooldown() ?? null,
        onForceReconcile: (signal) => {
          if (!synced) return null;
          const controller = activeSlot.current;
          if (controller === undefined) {
            // A follower must not mirror: that is the leader's work (upstream's followers ran the scan too, §5.2).
            const info = leadershipInfo();
            const holder = info.holder ? `held by ${info.holder}` : 'not held by anyone yet';
            return { workloadsProcessed: 0, imagesMirrored: 0, error: new NotLeaderError(`not leader: lease ${info.lease ?? ''} is ${holder}; send the request to the leader`) };
          }
          return controller.forceReconcile(signal);
        },
        log: (level, msg, fields) => httpLog[level](fields, msg),
      }),
    );
    undo.push(() => server.stop());

    cluster.start();
    const syncedPromise = cluster.synced.then(() => {
      synced = true;
      watchLog.info({ resources: [...cluster.watches.keys()] }, 'initial lists synced');
    });
    syncedPromise.catch(() => undefined);

    leadership = await stage(setupLog, 'unable to start copycat 🙀', () =>
      startLeadership({
        enabled: leaderElect,
        client: kube,
        namespace: lease,
        name: flags.leaderElectionId,
        identity,
        timings: options.leaderTimings,
        slot: activeSlot,
        log: named(root, 'leader-election'),
      }),
    );
    const running = leadership;
    undo.push(() => running.stop());

    setupLog.info(
      { identity, leaderElection: leaderElect, metricsUrl: server.metricsUrl, probeUrl: server.probeUrl, dryRun: config.dryRun, dryPull: config.dryPull },
      'starting copycat 😼',
    );

    let stopping: Promise<boolean> | undefined;
    let markStopped: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      markStopped = resolve;
    });
    const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
    return {
      identity,
      metricsUrl: server.metricsUrl,
      probeUrl: server.probeUrl,
      synced: syncedPromise,
      stopped,
      isMirroring: () => activeSlot.current !== undefined,
      status,
      stop: (reason = 'stop requested') =>
        (stopping ??= (async () => {
          setupLog.info({ reason }, 'shutting down');
          // The order matters: abandon copies first (nothing incomplete gets a tag), then release the Lease so a
          // follower starts at once, then close watches, endpoints and connection pools.
          const steps: Array<[string, () => Promise<void> | void]> = [
            ['stop controller', () => activeSlot.close()],
            ['release lease', () => running.stop()],
            ['stop watches', () => cluster.stop()],
            ['stop endpoints', () => server.stop()],
            ['close registry connections', () => clients.close()],
            ['close target', () => closeTarget(target)],
          ];
          const done = (async () => {
            for (const [what, step] of steps) {
              try {
                await step();
              } catch (err) {
                setupLog.error({ step: what, error: errorMessage(err) }, 'shutdown step failed');
              }
            }
            return true;
          })();
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), shutdownTimeoutMs);
          });
          const clean = await Promise.race([done, late]);
          clearTimeout(timer);
          if (clean) setupLog.info({}, 'shutdown complete');
          else setupLog.error({ timeoutMs: shutdownTimeoutMs }, 'shutdown did not finish in time; exiting anyway');
          markStopped();
          return clean;
        })()),
    };
  } catch (err) {
    await unwind();
    if (err instanceof StartupError) throw err;
    // Anything the stages did not anticipate is still a start-up failure, logged like one.
    setupLog.error({ error: errorMessage(err) }, 'unable to start copycat 🙀');
    throw new StartupError('unable to start copycat 🙀', err);
  }
}

/**
 * The `copycat controller` command: runs until SIGTERM or SIGINT, then shuts down gracefully. Exit codes: 0
 * after a clean shutdown, 1 when start-up failed (logged as JSON, as upstream) or the shutdown overran.
 */
export async function runControllerCommand(flags: ControllerFlags): Promise<number> {
  let handle: ControllerHandle;
  try {
    handle = await runController({ flags });
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    exitSoon(ExitCode.failed);
    return ExitCode.failed;
  }
  const clean = await new Promise<boolean>((resolve) => {
    // The first SIGTERM/SIGINT shuts down gracefully; a second one exits at once (onTerminationSignals).
    onTerminationSignals((signal) => {
      handle.stop(`received ${signal}`).then(resolve, () => resolve(false));
    });
  });
  const code = clean ? ExitCode.ok : ExitCode.failed;
  exitSoon(code);
  return code;
}

/**
 * Exits with `code` in a second unless the process has ended by then. Keep-alive sockets of the Kubernetes
 * client may hold the event loop open a few seconds more; the work is done, so the kubelet need not wait.
 */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 1_000).unref();
}
