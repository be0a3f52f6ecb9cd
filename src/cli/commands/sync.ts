import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfigWithWarnings, type Config } from '../../config/index.ts';
import {
  Controller,
  controllerOptionsFromConfig,
  documentLookups,
  emptyDocumentSet,
  filtersFromConfig,
  memoryLogger,
  parseDocuments,
  sourceCredentialsFromConfig,
  targetFromConfig,
  type ControllerStatus,
  type DocumentSet,
  type ImageStatus,
  type ObjectFilters,
} from '../../controller/index.ts';
import type { CopyEvent } from '../../copy/index.ts';
import { errorMessage } from '../../internal/errors.ts';
import { isNamespacePattern, matchNamespacePattern } from '../../kube/index.ts';
import { defaultChain, DockerConfigCredentials, parseUserPass, RegistryClient, StaticCredentials, Transport, type CredentialProvider, type RegistryClientOptions } from '../../registry/index.ts';
import type { Target } from '../../targets/index.ts';
import type { ConnectionFlags } from '../clients.ts';
import { UsageError } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatBytes, shortDigest, table } from '../format.ts';

/** Where a command reads and writes; tests pass their own. */
export interface CommandIO {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  /** Read for `-f -`. */
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** The real process streams and environment. */
export const PROCESS_IO: CommandIO = { out: process.stdout, err: process.stderr, stdin: process.stdin, env: process.env };

/** Flags shared by `sync` and `verify`: the inputs and how the configuration is found and overridden. */
export interface PlannerFlags extends ConnectionFlags {
  /** `-f`: files of Kubernetes YAML/JSON; `-` reads stdin. */
  file?: string[];
  /** `--config`: the k8s-copycat config file (default `CONFIG_PATH`, else `/config/config.yaml`; missing means defaults). */
  config?: string;
  /** `--target host[:port][/path]`: a docker/OCI target, overriding the configured one. */
  target?: string;
  /** `--repo-prefix`: the target's `repoPrefix` template. */
  repoPrefix?: string;
  /** `--insecure-target`: plain HTTP / unverified TLS for the target (`TARGET_INSECURE`). */
  insecureTarget?: boolean;
  json?: boolean;
}

/** Flags of `copycat sync`. */
export interface SyncFlags extends PlannerFlags {
  digestPull?: boolean;
  dryRun?: boolean;
  dryPull?: boolean;
  /** Images mirrored at once (default: `maxConcurrentReconciles`). */
  concurrency?: string;
}

/** Reads every `-f` input into one document set; `-` is stdin (once). */
export async function readInputs(files: readonly string[], io: CommandIO): Promise<DocumentSet> {
  if (files.length === 0) throw new UsageError('give at least one file with -f (use -f - for stdin), e.g. kubectl get pods -A -o yaml | copycat sync -f -');
  const set = emptyDocumentSet();
  let stdinRead = false;
  for (const file of files) {
    let text: string;
    if (file === '-') {
      if (stdinRead) throw new UsageError('-f - (stdin) can be given only once');
      stdinRead = true;
      const chunks: Buffer[] = [];
      for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${JSON.stringify(file)}: ${errorMessage(err)}`);
      }
    }
    parseDocuments(text, file === '-' ? '<stdin>' : file, set);
  }
  return set;
}

/**
 * The configuration as the controller would load it (`--config`, else `CONFIG_PATH`), with the command's flags
 * applied through the env vars they stand for, so precedence and validation are the controller's own.
 */
export function loadPlannerConfig(flags: SyncFlags, io: CommandIO): Config {
  const env: NodeJS.ProcessEnv = { ...io.env };
  if (flags.target !== undefined) {
    env['TARGET_KIND'] = 'docker';
    env['TARGET_REGISTRY'] = flags.target;
  }
  if (flags.repoPrefix !== undefined) {
    env['TARGET_REPO_PREFIX'] = flags.repoPrefix;
    env['ECR_REPO_PREFIX'] = flags.repoPrefix;
  }
  if (flags.insecureTarget) env['TARGET_INSECURE'] = 'true';
  if (flags.digestPull) env['DIGEST_PULL'] = 'true';
  if (flags.dryRun) env['DRY_RUN'] = 'true';
  if (flags.dryPull) env['DRY_PULL'] = 'true';
  let loaded;
  try {
    loaded = loadConfigWithWarnings({ env, ...(flags.config !== undefined ? { path: flags.config } : {}) });
  } catch (err) {
    if (err instanceof ConfigError && flags.target === undefined && /^ecr\./.test(err.key ?? '')) {
      throw new UsageError(`${err.message}; give --target host[:port] to mirror into a registry, or --config with a target`);
    }
    throw err;
  }
  for (const w of loaded.warnings) io.err.write(`copycat: warning: ${w}\n`);
  return loaded.config;
}

/**
 * `includeNamespaces` / `skipNamespaces` for objects read from files: names and globs are matched against each
 * object's namespace directly (there is no cluster to check names against).
 */
export function fileNamespaceFilter(config: Config): (namespace: string) => boolean {
  const include = config.includeNamespaces.map((s) => s.trim()).filter((s) => s !== '');
  const all = include.length === 0 || include.includes('*');
  const skip = new Set(config.skipNamespaces.map((s) => s.trim()));
  return (ns) => {
    if (skip.has(ns)) return false;
    if (all) return true;
    return include.some((entry) => {
      if (!isNamespacePattern(entry)) return entry === ns;
      try {
        return matchNamespacePattern(entry, ns);
      } catch {
        return false;
      }
    });
  };
}

/** The controller's filters for a document set: namespaces, skip lists, kinds, owners and nodes from the documents. */
export function documentFilters(config: Config, set: DocumentSet): ObjectFilters {
  const lookups = documentLookups(set);
  return { ...filtersFromConfig(config, '*', lookups), namespaceAllowed: fileNamespaceFilter(config) };
}

/** Registry clients for a configured target: sources with `registryCredentials` then the docker config; the target with its own credentials. */
export function plannerClients(config: Config, target: Target, flags: PlannerFlags, io: CommandIO, onRateLimit?: RegistryClientOptions['onRateLimit']): { source: RegistryClient; target: RegistryClient; close(): Promise<void> } {
  const transport = new Transport({ userAgent: 'copycat (+https://github.com/copycat)', ...(config.requestTimeoutMs > 0 ? { headersTimeoutMs: config.requestTimeoutMs, bodyIdleTimeoutMs: config.requestTimeoutMs } : {}) });
  const dockerConfig = new DockerConfigCredentials({ path: flags.authfile, env: io.env, onWarning: (m) => io.err.write(`copycat: warning: ${m}\n`) });
  const insecureRegistries = [...(flags.insecureRegistry ?? []), ...(target.insecure ? [target.registry] : [])];
  const explicitTarget: CredentialProvider | undefined = flags.destCreds !== undefined ? new StaticCredentials([[target.registry, parseUserPass(flags.destCreds, '--dest-creds')]]) : undefined;
  const source = new RegistryClient({ transport, credentials: defaultChain({ config: sourceCredentialsFromConfig(config), dockerConfig }), insecureRegistries, ...(onRateLimit ? { onRateLimit } : {}) });
  const targetClient = new RegistryClient({ transport, credentials: defaultChain({ explicit: explicitTarget ?? target.credentials, dockerConfig }), insecureRegistries });
  return { source, target: targetClient, close: () => transport.close() };
}

/** Per-image byte bars on a terminal (stderr); nothing when piped, where the summary table says it all. */
function progressBars(stream: CommandIO['err']): { onEvent(job: { key: string; source: string }, e: CopyEvent): void; stop(): void } {
  if (!stream.isTTY) return { onEvent: () => {}, stop: () => {} };
  const multi = new cliProgress.MultiBar(
    {
      stream: stream as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: false,
      format: (_o, params, payload: { name?: string }) => {
        const pct = params.total > 0 ? Math.floor((params.value / params.total) * 100) : 100;
        return `${(payload.name ?? '').padEnd(48).slice(0, 48)} ${String(pct).padStart(3)}% ${formatBytes(params.value)}/${formatBytes(params.total)}`;
      },
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; value: number; total: number }>();
  return {
    onEvent(job, e) {
      if (e.type === 'plan') {
        const existing = bars.get(job.key);
        if (existing) {
          existing.total += e.bytes;
          existing.bar.setTotal(existing.total);
        } else bars.set(job.key, { bar: multi.create(e.bytes, 0, { name: job.source }), value: 0, total: e.bytes });
        return;
      }
      const b = bars.get(job.key);
      if (!b) return;
      if (e.type === 'blob-progress') b.value += e.bytes;
      else if (e.type === 'blob-done' && e.outcome !== 'uploaded') b.value += e.size;
      else return;
      b.bar.update(Math.min(b.value, b.total));
    },
    stop() {
      multi.stop();
    },
  };
}

/** What a row of the summary says about an image. */
function note(i: ImageStatus): string {
  const text = i.lastError ?? i.reason ?? [resultNote(i), i.state === 'mirrored' && !i.tagged && i.target !== undefined ? 'by digest only' : ''].filter(Boolean).join('; ');
  return text.split('\n')[0] ?? '';
}

/** What this run did to a mirrored image: moved bytes, or found it already there. */
function resultNote(i: ImageStatus): string {
  if (i.lastResult === 'present') return 'already in the mirror';
  if (i.lastResult === 'copied') return `copied ${formatBytes(i.lastBytes ?? 0)}`;
  return '';
}

/** The summary table of a run. */
export function syncTable(status: ControllerStatus): string {
  const rows = status.images.map((i) => [i.source, i.target ?? '-', i.state, i.digest ? shortDigest(i.digest) : '-', String(i.userCount), note(i)]);
  return table(['SOURCE', 'TARGET', 'STATE', 'DIGEST', 'USERS', 'NOTE'], rows);
}

/** The exit code of a run: failures (documents or images) → 1, platforms without a tag → 3, else 0. */
export function syncExitCode(status: ControllerStatus, documentErrors: number): number {
  const c = status.counts;
  if (documentErrors > 0 || c.failed + c.cooldown + c.invalid + c.pending > 0) return ExitCode.failed;
  if (c.partial > 0) return ExitCode.partial;
  return ExitCode.ok;
}

/**
 * `copycat sync -f FILE…`: the controller's planner and mirror, run once over Kubernetes documents (Pods,
 * workloads, `List`s), with the configuration the controller would use. Prints a table (or `--json`); exits 1 if
 * anything failed, 3 if an image is only partly mirrored (platforms without a tag), 0 otherwise.
 */
export async function runSync(flags: SyncFlags, io: CommandIO = PROCESS_IO): Promise<number> {
  const set = await readInputs(flags.file ?? [], io);
  const config = loadPlannerConfig(flags, io);
  const concurrency = flags.concurrency === undefined ? config.maxConcurrentReconciles : Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got ${JSON.stringify(flags.concurrency)}`);
  const target = targetFromConfig(config);
  let controller: Controller | undefined;
  const clients = plannerClients(config, target, flags, io, (registry, info) => controller?.onRateLimit(registry, info));
  const log = memoryLogger();
  const bars = flags.json ? { onEvent: () => {}, stop: () => {} } : progressBars(io.err);
  try {
    const options = controllerOptionsFromConfig(config, { target, source: clients.source, targetClient: clients.target, filters: documentFilters(config, set), logger: log });
    controller = new Controller({
      ...options,
      // One pass: a failure is reported, not retried later.
      failureCooldownMs: 0,
      retryFailures: false,
      resyncIntervalMs: 0,
      maxConcurrentReconciles: concurrency,
      copyObserver: (job, e) => bars.onEvent(job, e),
    });
    for (const obj of set.objects) controller.observe(obj);
    controller.start();
    await controller.whenIdle();
    const status = controller.status();
    bars.stop();
    await controller.stop();
    if (flags.json) {
      io.out.write(`${JSON.stringify({ documents: { objects: set.objects.length, ignored: set.ignored, errors: set.errors.map((e) => e.message) }, counts: status.counts, images: status.images }, null, 2)}\n`);
    } else {
      for (const e of set.errors) io.err.write(`copycat: ${e.code}: ${e.message}\n`);
      for (const w of new Set(log.records.filter((r) => r.level === 'warn').map((r) => r.message))) io.err.write(`copycat: warning: ${w}\n`);
      if (status.images.length > 0) io.out.write(`${syncTable(status)}\n`);
      const c = status.counts;
      const what = config.dryRun || config.dryPull ? ` (${config.dryPull ? 'dry pull' : 'dry run'}: nothing was written)` : '';
      io.out.write(`${set.objects.length} object${set.objects.length === 1 ? '' : 's'}, ${status.images.length} image${status.images.length === 1 ? '' : 's'}: ${c.mirrored} mirrored, ${c.partial} partial, ${c.failed + c.cooldown + c.pending} failed, ${c.invalid} invalid, ${c.skipped} skipped${what}\n`);
    }
    return syncExitCode(status, set.errors.length);
  } finally {
    bars.stop();
    await controller?.stop();
    await clients.close();
    if ('close' in target && typeof target.close === 'function') (target.close as () => void)();
  }
}
