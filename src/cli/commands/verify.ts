import type { Config } from '../../config/index.ts';
import { documentLookups, emptyDocumentSet, rulesFromConfig, targetFromConfig, verifyPods, type DocumentSet, type VerifyReport } from '../../controller/index.ts';
import { hasCode } from '../../internal/errors.ts';
import { KubeClient, loadKubeConfig, type PodLike } from '../../kube/index.ts';
import { UsageError } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';
import { shortDigest, table } from '../format.ts';
import { podsFromCluster } from '../wiring/cluster-pods.ts';
import { documentFilters, loadPlannerConfig, plannerClients, PROCESS_IO, readInputs, type CommandIO, type PlannerFlags } from './sync.ts';

/** Flags of `copycat verify`. */
export interface VerifyFlags extends PlannerFlags {
  /** `--kubeconfig`: read the running pods from this cluster (without `-f`, `KUBECONFIG`/in-cluster/`~/.kube/config` are tried too). */
  kubeconfig?: string;
  /** `--context`: the kubeconfig context to read from. */
  context?: string;
}

/** Pods to audit and what helps name and check them, from files and/or the API server. */
export interface PodSource {
  /** Pods; their owners and nodes may be in `documents`. */
  documents: DocumentSet;
  /** More documents read once the configuration is known (the API server, scoped to `includeNamespaces`). */
  more?: (config: Config) => Promise<DocumentSet>;
}

/** The table `copycat verify` prints. */
export function verifyTable(report: VerifyReport): string {
  const rows = report.rows.map((r) => [
    `${r.namespace}/${r.pod}`,
    r.container,
    r.state,
    r.mirror !== undefined ? r.mirror.replace(/@(sha256:[a-f0-9]+)$/, (_, d: string) => `@${shortDigest(d)}`) : r.image,
    r.platform !== undefined ? `${r.platform}${r.platformDigest !== undefined ? ` ${shortDigest(r.platformDigest)}` : ''}` : '-',
    r.detail ?? '',
  ]);
  return table(['POD', 'CONTAINER', 'STATE', 'MIRROR', 'PLATFORM', 'DETAIL'], rows);
}

/**
 * Audits pods from `source` with the configuration `flags` select: prints a table (or `--json`) and returns 1
 * when a running container's digest (or its node's platform manifest) is not served by the mirror, or an input
 * did not parse; 0 otherwise. Reads only.
 */
export async function verifyFrom(source: PodSource, flags: VerifyFlags, io: CommandIO = PROCESS_IO): Promise<number> {
  const set = source.documents;
  const config = loadPlannerConfig(flags, io);
  if (source.more !== undefined) {
    const live = await source.more(config);
    set.objects.push(...live.objects);
    set.owners.push(...live.owners);
    set.nodes.push(...live.nodes);
  }
  const target = targetFromConfig(config);
  const clients = plannerClients(config, target, flags, io);
  try {
    const pods = set.objects.filter((o) => o.kind === 'Pod') as PodLike[];
    const report = await verifyPods(pods, {
      rules: rulesFromConfig(config, target),
      filters: documentFilters(config, set),
      targetClient: clients.target,
      source: clients.source,
      nodePlatform: documentLookups(set).nodePlatform,
      requestTimeoutMs: config.requestTimeoutMs,
    });
    if (flags.json) {
      io.out.write(`${JSON.stringify({ ...report, documentErrors: set.errors.map((e) => e.message) }, null, 2)}\n`);
    } else {
      for (const e of set.errors) io.err.write(`copycat: ${e.code}: ${e.message}\n`);
      if (report.rows.length > 0) io.out.write(`${verifyTable(report)}\n`);
      const ok = report.rows.filter((r) => r.state === 'ok').length;
      io.out.write(`${report.pods} running pod${report.pods === 1 ? '' : 's'}, ${report.rows.length} container${report.rows.length === 1 ? '' : 's'}: ${ok} served by the mirror, ${report.gaps} gap${report.gaps === 1 ? '' : 's'}${report.ignoredPods > 0 ? ` (${report.ignoredPods} pod${report.ignoredPods === 1 ? '' : 's'} not running or out of scope)` : ''}\n`);
    }
    return report.gaps > 0 || set.errors.length > 0 ? ExitCode.failed : ExitCode.ok;
  } finally {
    await clients.close();
    if ('close' in target && typeof target.close === 'function') (target.close as () => void)();
  }
}

/**
 * Reads the pods (with their owners and nodes) of the cluster `flags` name: `--kubeconfig`/`--context`, else
 * `KUBECONFIG`, the in-cluster service account or `~/.kube/config`, as `kubectl` finds them.
 */
export function clusterSource(flags: VerifyFlags, io: CommandIO): (config: Config) => Promise<DocumentSet> {
  const explicit = flags.kubeconfig !== undefined || flags.context !== undefined;
  let client: KubeClient;
  try {
    client = new KubeClient(loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context, env: io.env }).config);
  } catch (err) {
    if (!explicit && hasCode(err, 'KUBE_CONFIG_MISSING')) {
      throw new UsageError('give the pods to audit: -f PODS.yaml (kubectl get pods -A -o yaml), or a cluster with --kubeconfig PATH');
    }
    throw err;
  }
  return (config) => podsFromCluster(client, config, (m) => io.err.write(`copycat: warning: ${m}\n`));
}

/**
 * `copycat verify`: {@link verifyFrom} over pods read from files (`-f`, `-` for stdin) and, with `--kubeconfig`
 * or `--context` or without `-f`, from the cluster's API server (pods of the configured namespaces, their
 * ReplicaSets and Jobs, and the nodes).
 */
export async function runVerify(flags: VerifyFlags, io: CommandIO = PROCESS_IO): Promise<number> {
  const files = flags.file ?? [];
  const fromCluster = files.length === 0 || flags.kubeconfig !== undefined || flags.context !== undefined;
  const more = fromCluster ? clusterSource(flags, io) : undefined;
  const documents = files.length > 0 ? await readInputs(files, io) : emptyDocumentSet();
  return verifyFrom(more ? { documents, more } : { documents }, flags, io);
}
