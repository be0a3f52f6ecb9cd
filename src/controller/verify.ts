/**
 * The insurance audit behind `copycat verify`: for every container of every running pod, is the digest the
 * kubelet reported (`imageID`) pullable from the mirror, by that digest, under the name copycat gives the
 * image, and is the platform manifest the pod's node runs there too? Takes pods from any source (a YAML dump,
 * the API server); reads only (HEAD and GET), never writes.
 */
import { errorMessage } from '../internal/errors.ts';
import { Limiter } from '../internal/limiter.ts';
import { parseImageID, type PodLike } from '../kube/index.ts';
import { formatPlatform, isAttestation, isIndexMediaType, parseManifest, platformMatches } from '../oci/index.ts';
import type { RegistryClient, Repo } from '../registry/index.ts';
import { architectureOf } from './arch.ts';
import { evaluateObject, type ObjectFilters } from './evaluate.ts';
import { nodePlatformOf, type NodePlatformInfo } from './platforms.ts';
import { retarget, type MirrorPlan } from './planner.ts';
import type { MirrorRules } from './rules.ts';

/** What was found for one container. Gaps: `missing`, `platform-missing`, `invalid`, `error`. */
export type VerifyState = 'ok' | 'missing' | 'platform-missing' | 'invalid' | 'error' | 'no-image-id' | 'skipped';

/** States that mean the mirror would not serve the pod. */
export const GAP_STATES: ReadonlySet<VerifyState> = new Set(['missing', 'platform-missing', 'invalid', 'error']);

/** One container's verdict. */
export interface VerifyRow {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  /** The digest the kubelet reported. */
  digest?: string | undefined;
  /** Where copycat's mirror of it is: `registry/repository@digest`. */
  mirror?: string | undefined;
  /** The node's platform, when known, and the platform manifest checked for it. */
  platform?: string | undefined;
  platformDigest?: string | undefined;
  state: VerifyState;
  detail?: string | undefined;
}

/** The whole audit. */
export interface VerifyReport {
  rows: VerifyRow[];
  /** Rows in a {@link GAP_STATES} state. */
  gaps: number;
  /** Running pods looked at. */
  pods: number;
  /** Pods left out: not running, outside the namespaces, on a skip list. */
  ignoredPods: number;
}

/** What the audit reads with. */
export interface VerifyOptions {
  rules: MirrorRules;
  filters: ObjectFilters;
  /** Reads the target. */
  targetClient: RegistryClient;
  /** Reads sources; needed only to name images when `repoPrefix` uses `$arch`. */
  source?: RegistryClient | undefined;
  /** Node platform by node name, for the platform manifest check (independent of `checkNodePlatform`). */
  nodePlatform?: ((nodeName: string) => Promise<NodePlatformInfo | undefined>) | undefined;
  /** Deadline per request; 0 for none. */
  requestTimeoutMs?: number;
  /** Containers checked at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
}

/** Audits `pods` (see the file comment); rows are in the pods' order. */
export async function verifyPods(pods: readonly PodLike[], opts: VerifyOptions): Promise<VerifyReport> {
  const limiter = new Limiter(opts.concurrency ?? 8);
  const rows: Array<Promise<VerifyRow>> = [];
  let running = 0;
  let ignoredPods = 0;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running') {
      ignoredPods++;
      continue;
    }
    const evaluation = await evaluateObject({ ...pod, kind: 'Pod' }, opts.rules, opts.filters);
    if (evaluation.kind === 'ignored') {
      ignoredPods++;
      continue;
    }
    running++;
    const nodeName = pod.spec?.nodeName?.trim() ?? '';
    const node = nodeName !== '' && opts.nodePlatform ? opts.nodePlatform(nodeName).catch(() => undefined) : Promise.resolve(undefined);
    for (const { use, user, decision } of evaluation.uses) {
      const base: VerifyRow = { namespace: user.namespace, pod: user.name, container: user.container, image: use.image, state: 'ok' };
      const parsed = use.imageID !== undefined ? parseImageID(use.imageID) : undefined;
      if (decision.kind === 'skip' && decision.reason === 'excluded') {
        rows.push(Promise.resolve({ ...base, state: 'skipped', detail: decision.detail }));
      } else if (decision.kind === 'invalid') {
        rows.push(Promise.resolve({ ...base, state: 'invalid', detail: decision.error.message }));
      } else if (parsed === undefined || decision.kind === 'skip') {
        rows.push(Promise.resolve({ ...base, state: 'no-image-id', detail: use.imageID ? `imageID ${JSON.stringify(use.imageID)} holds no digest` : 'the kubelet reported no imageID' }));
      } else {
        const plan = decision.plan;
        rows.push(limiter.run(() => checkContainer({ ...base, digest: parsed.digest }, plan, node, opts)));
      }
    }
  }
  const done = await Promise.all(rows);
  return { rows: done, gaps: done.filter((r) => GAP_STATES.has(r.state)).length, pods: running, ignoredPods };
}

async function checkContainer(row: VerifyRow, initial: MirrorPlan, nodePromise: Promise<NodePlatformInfo | undefined>, opts: VerifyOptions): Promise<VerifyRow> {
  const digest = row.digest!;
  const signal = (): AbortSignal | undefined => {
    const ms = opts.requestTimeoutMs ?? 0;
    const t = ms > 0 ? AbortSignal.timeout(ms) : undefined;
    return opts.signal && t ? AbortSignal.any([opts.signal, t]) : (opts.signal ?? t);
  };
  try {
    let plan = initial;
    if (plan.archDependent) {
      if (!opts.source) return { ...row, state: 'error', detail: 'repoPrefix uses $arch: the source must be readable to name the mirror' };
      const from: Repo = { registry: plan.pull.registry, repository: plan.pull.repository };
      const top = await opts.source.getManifest(from, digest, signal());
      plan = retarget(opts.rules, plan, await architectureOf(opts.source, from, top, plan.platforms, signal()));
    }
    const to: Repo = { registry: plan.target.registry, repository: plan.targetRepository };
    const mirror = `${to.registry}/${to.repository}@${digest}`;
    const head = await opts.targetClient.headManifest(to, digest, signal());
    if (head === undefined) return { ...row, mirror, state: 'missing', detail: `the mirror does not serve ${digest}` };
    const node = nodePlatformOf(await nodePromise);
    if (node === undefined || !isIndexMediaType(head.mediaType)) return { ...row, mirror, state: 'ok' };
    const platform = formatPlatform(node);
    const index = parseManifest((await opts.targetClient.getManifest(to, digest, signal())).bytes, head.mediaType);
    if (index.kind !== 'index') return { ...row, mirror, platform, state: 'ok' };
    const child = index.index.manifests.find((d) => !isAttestation(d) && d.platform !== undefined && platformMatches(node, d.platform));
    if (child === undefined) return { ...row, mirror, platform, state: 'platform-missing', detail: `the image has no ${platform} manifest` };
    const present = await opts.targetClient.headManifest(to, child.digest, signal());
    if (present === undefined) return { ...row, mirror, platform, platformDigest: child.digest, state: 'platform-missing', detail: `the mirror lacks the ${platform} manifest ${child.digest}` };
    return { ...row, mirror, platform, platformDigest: child.digest, state: 'ok' };
  } catch (err) {
    return { ...row, state: 'error', detail: errorMessage(err) };
  }
}
