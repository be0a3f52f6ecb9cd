import { Command, CommanderError, Option } from 'commander';
import { reportError } from './errors.ts';
import { ExitCode } from './exit-codes.ts';
import { CONTROLLER_LONG_FLAGS, normalizeGoFlags, parseGoBool } from './wiring/flags.ts';

// Each command's module is imported when that command runs: the controller pulls in the Kubernetes
// client, the AWS SDK, pino and prom-client (~0.6 s and ~55 MB at start-up), which `copy` must not pay.

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function connectionOptions(cmd: Command, both: boolean): Command {
  if (both) {
    cmd.option('--src-creds <user:password>', 'credentials for the source registry');
    cmd.option('--dest-creds <user:password>', 'credentials for the destination registry');
  } else cmd.option('--creds <user:password>', 'credentials for the registry');
  cmd.option('--authfile <path>', 'read credentials from this docker config.json (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json)');
  return cmd.option('--insecure-registry <host>', 'reach this registry over HTTP or unverified TLS (repeatable; loopback always is)', collect);
}

/** Options of the commands that run the controller's planner over Kubernetes documents (`sync`, `verify`). */
function plannerOptions(cmd: Command, fileRequired = true): Command {
  const file = new Option('-f, --file <path>', 'Kubernetes YAML or JSON (kubectl get … -o yaml, helm template); - for stdin (repeatable)').argParser(collect);
  return cmd
    .addOption(fileRequired ? file.makeOptionMandatory() : file)
    .option('--config <path>', 'k8s-copycat config file (default: $CONFIG_PATH, else /config/config.yaml; a missing file means defaults)')
    .option('--target <host[:port][/path]>', 'mirror into this registry (a docker target), overriding the configured target')
    .option('--repo-prefix <template>', 'repository prefix template ($namespace, $podname, $container_name, $arch, $registry)')
    .option('--insecure-target', 'reach the target over HTTP or unverified TLS')
    .option('--dest-creds <user:password>', 'credentials for the target registry')
    .option('--authfile <path>', 'read registry credentials from this docker config.json')
    .option('--insecure-registry <host>', 'reach this registry over HTTP or unverified TLS (repeatable; loopback always is)', collect)
    .option('--json', 'print the result as JSON');
}

/** Builds the `copycat` command line; each action resolves to an exit code. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('copycat')
    .description('Digest-exact insurance copies of the container images your cluster runs.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  connectionOptions(
    program
      .command('copy')
      .description('copy one image (tag, digest or tag@digest) with all its platforms, byte for byte')
      .argument('<source>', 'image to copy, e.g. nginx:1.25 or ghcr.io/org/app@sha256:…')
      .argument('<destination>', 'where to put it, e.g. registry.example.com/mirror/nginx:1.25')
      .option('--platform <os/arch[/variant]>', 'copy only this platform of an index (repeatable)', collect)
      .addOption(new Option('--sparse-fallback <mode>', 'when the target refuses an index without its other platforms').choices(['platforms', 'full', 'fail']).default('platforms'))
      .option('--concurrency <n>', 'blob transfers in flight', '6')
      .option('--json', 'print the result as JSON'),
    true,
  ).action(async (source: string, destination: string, flags) => setExit(await (await import('./commands/copy.ts')).runCopy(source, destination, flags)));

  connectionOptions(
    program
      .command('inspect')
      .description('show what a reference resolves to: digest, media type, platforms, image IDs, attestations')
      .argument('<reference>', 'image reference')
      .option('--raw', 'print the manifest bytes exactly as the registry serves them')
      .option('--json', 'print as JSON')
      .option('--platform <os/arch[/variant]>', 'describe the platform image of an index instead of the index'),
    false,
  ).action(async (reference: string, flags) => setExit(await (await import('./commands/inspect.ts')).runInspect(reference, flags)));

  connectionOptions(
    program
      .command('tags')
      .description('list tags grouped by the digest they point to, with platforms')
      .argument('<repository>', 'repository, e.g. nginx or ghcr.io/org/app')
      .option('--json', 'print as JSON'),
    false,
  ).action(async (repository: string, flags) => setExit(await (await import('./commands/tags.ts')).runTags(repository, flags)));

  plannerOptions(
    program
      .command('sync')
      .description("mirror every image in Kubernetes YAML/JSON (pods, workloads, kubectl Lists), named and filtered as the controller does")
      .option('--digest-pull', 'mirror the digest each pod reports (imageID), as digestPull: true')
      .option('--dry-run', 'read the registries and report what would be pushed; write nothing')
      .option('--dry-pull', 'report the plan without contacting any registry')
      .option('--concurrency <n>', 'images mirrored at once (default: maxConcurrentReconciles)'),
  ).action(async (flags) => setExit(await (await import('./commands/sync.ts')).runSync(flags)));

  plannerOptions(
    program
      .command('verify')
      .description("check that every running container's imageID digest (and its node's platform manifest) is served by the mirror")
      .option('--kubeconfig <path>', 'read the running pods, their owners and nodes from this cluster (also alongside -f; without -f: KUBECONFIG, in-cluster, ~/.kube/config)')
      .option('--context <name>', 'kubeconfig context to use'),
    false,
  ).action(async (flags) => setExit(await (await import('./commands/verify.ts')).runVerify(flags)));

  // Flags as k8s-copycat (a Go program) takes them: `--flag=false` for booleans (inventory §1.1).
  const goBool = (flag: string, help: string, preset?: boolean): Option => {
    const o = new Option(`--${flag} [bool]`, help).argParser(parseGoBool);
    return preset === undefined ? o : o.default(preset);
  };
  program
    .command('controller')
    .description('watch the cluster and mirror every image it runs (k8s-copycat drop-in: CONFIG_PATH and the same env vars)')
    .option('--kubeconfig <path>', 'kubeconfig to use (default: KUBECONFIG, else the in-cluster service account, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .addOption(goBool('leader-elect', 'elect a leader on a coordination.k8s.io Lease so only one replica mirrors (--leader-elect=false to turn off)', true))
    .option('--leader-election-namespace <namespace>', 'namespace of the Lease (default: POD_NAMESPACE, else the pod\'s own namespace)')
    .option('--leader-election-id <name>', 'name of the Lease', 'k8s-copycat.k8s-copycat')
    .option('--metrics-bind-address <address>', 'address of /metrics, /status and the admin endpoints (default: METRICS_ADDR, else :8080; 0 disables)')
    .option('--health-probe-bind-address <address>', 'address of /healthz and /readyz (0 disables)', ':8081')
    .addOption(goBool('dry-run', 'read registries, write nothing'))
    .addOption(goBool('dry-pull', 'contact no registry; log what would be mirrored'))
    .option('--zap-log-level <level>', 'log level (debug, info, warn, error); wins over logLevel')
    .addOption(goBool('zap-devel', 'accepted for compatibility; logs stay JSON').hideHelp())
    .addOption(new Option('--zap-encoder <encoder>', 'accepted for compatibility; logs stay JSON').hideHelp())
    .addOption(new Option('--zap-stacktrace-level <level>', 'accepted for compatibility').hideHelp())
    .addOption(new Option('--zap-time-encoding <encoding>', 'accepted for compatibility; ts is RFC 3339').hideHelp())
    .option('--config <path>', 'config file (default: CONFIG_PATH, else /config/config.yaml; a missing file means defaults)')
    .action(async (flags) => setExit(await (await import('./commands/controller.ts')).runControllerCommand(flags)));
  return program;
}

/**
 * `copycat controller -leader-elect=false`: Go's single-dash long flags, as k8s-copycat's manifests may write them,
 * become `--…` for the controller command; every other command line is returned unchanged.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  if (argv[2] !== 'controller') return [...argv];
  return [...argv.slice(0, 3), ...normalizeGoFlags(argv.slice(3), CONTROLLER_LONG_FLAGS)];
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(normalizeArgv(argv));
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are exits with code 0; anything else commander rejects is a usage error.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(err);
  }
}

/** Exit codes for a one-shot command stopped by a signal: 128 + the signal number, as shells report it. */
const SIGNAL_EXIT: Readonly<Partial<Record<NodeJS.Signals, number>>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * One-shot commands (`copy`, `sync`, …) exit at once on SIGTERM or SIGINT. Node's default does that too, except
 * as PID 1 in a container, where the kernel drops signals that have no handler and `docker stop` would wait for
 * SIGKILL. Stopping mid-copy is safe: the tag is written last, so the target keeps its previous state
 * (docs/adr/0005-container-image.md). The controller installs its own graceful handlers instead.
 */
export function exitOnSignals(argv: readonly string[]): void {
  if (argv[2] === 'controller') return;
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) process.once(signal, () => process.exit(code));
}

if (import.meta.main) {
  exitOnSignals(process.argv);
  process.exitCode = await main(process.argv);
}
