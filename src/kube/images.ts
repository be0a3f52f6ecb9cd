/**
 * Which images a Pod or workload runs (k8s-copycat behaviour §2.3, §2.4). Pure functions, no I/O.
 */
import { digestProblem } from '../reference/index.ts';
import type { ContainerLike, ContainerStatusLike, PodLike, PodSpecLike, PodTemplateLike, WorkloadLike } from './types.ts';

/** Where in the pod spec a container sits. */
export type ContainerKind = 'init' | 'container' | 'ephemeral';

/** One container's image, with the digest the kubelet reported for it when known. */
export interface ImageUse {
  /** The image as written in the spec, trimmed. */
  image: string;
  /** The container name, trimmed (may be empty for malformed objects). */
  container: string;
  kind: ContainerKind;
  /**
   * The container status `imageID` with the runtime prefix stripped: `repo@sha256:…` or a bare
   * `sha256:…`. Pods only, and only once the kubelet reported it. Note a Docker-runtime
   * `docker://sha256:…` is the image *config* digest, not a manifest digest (§2.4).
   */
  imageID?: string;
}

/** Kinds whose pod template is `spec.template`. */
const TEMPLATE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/**
 * Strips a container runtime's scheme from an `imageID`: everything up to and including the first
 * `://` (`docker-pullable://`, `docker://`, `containerd://`, `cri-o://`, …), trimming before and
 * after, as k8s-copycat's `normalizeImageID` does. Empty stays empty.
 */
export function normalizeImageID(raw: string | undefined): string {
  const trimmed = (raw ?? '').trim();
  const at = trimmed.indexOf('://');
  return at === -1 ? trimmed : trimmed.slice(at + 3).trim();
}

/**
 * Splits a normalised `imageID` into its repository (when present) and digest; undefined when it
 * holds no valid digest (e.g. a short hex), which callers treat as "no digest known" (§2.4).
 */
export function parseImageID(imageID: string): { repository?: string; digest: string } | undefined {
  const id = normalizeImageID(imageID);
  const at = id.lastIndexOf('@');
  const repository = at === -1 ? undefined : id.slice(0, at);
  const digest = at === -1 ? id : id.slice(at + 1);
  // The reference grammar's digest rule: sha256/384/512 with their exact lowercase hex length.
  if (digestProblem(digest) !== undefined || repository === '') return undefined;
  return repository === undefined ? { digest } : { repository, digest };
}

function collect(out: ImageUse[], containers: ContainerLike[] | undefined, kind: ContainerKind): void {
  for (const c of containers ?? []) {
    const image = (c.image ?? '').trim();
    if (image === '') continue;
    out.push({ image, container: (c.name ?? '').trim(), kind });
  }
}

/**
 * Images of a pod spec in k8s-copycat's order: init containers, then containers, then ephemeral
 * containers. Empty images are skipped; the same image in two containers gives two entries.
 */
export function podSpecImages(spec: PodSpecLike | undefined): ImageUse[] {
  const out: ImageUse[] = [];
  collect(out, spec?.initContainers, 'init');
  collect(out, spec?.containers, 'container');
  collect(out, spec?.ephemeralContainers, 'ephemeral');
  return out;
}

function idsByName(statuses: ContainerStatusLike[] | undefined): Map<string, string> {
  const ids = new Map<string, string>();
  for (const s of statuses ?? []) {
    const name = (s.name ?? '').trim();
    const id = normalizeImageID(s.imageID);
    if (name !== '' && id !== '') ids.set(name, id);
  }
  return ids;
}

/**
 * Images of a Pod: its spec images annotated with the `imageID` of the matching container status.
 * Statuses are matched by name within their own list (init, regular, ephemeral); Kubernetes keeps
 * container names unique across all three, so this equals k8s-copycat's single name map.
 */
export function podImages(pod: PodLike): ImageUse[] {
  const ids: Record<ContainerKind, Map<string, string>> = {
    init: idsByName(pod.status?.initContainerStatuses),
    container: idsByName(pod.status?.containerStatuses),
    ephemeral: idsByName(pod.status?.ephemeralContainerStatuses),
  };
  return podSpecImages(pod.spec).map((use) => {
    const imageID = ids[use.kind].get(use.container);
    return imageID === undefined ? use : { ...use, imageID };
  });
}

/**
 * The pod template of a workload: `spec.template` for Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController and Job; `spec.jobTemplate.spec.template` for CronJob.
 * Unknown kinds are recognised by shape. Undefined when there is none.
 */
export function podTemplateOf(kind: string | undefined, obj: WorkloadLike): PodTemplateLike | undefined {
  if (kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  if (kind !== undefined && TEMPLATE_KINDS.has(kind)) return obj.spec?.template;
  return obj.spec?.template ?? obj.spec?.jobTemplate?.spec?.template;
}

function looksLikePod(obj: PodLike | WorkloadLike): obj is PodLike {
  const spec = (obj as PodLike).spec;
  return spec !== undefined && (spec.containers !== undefined || spec.initContainers !== undefined || spec.ephemeralContainers !== undefined);
}

/**
 * Every image an object runs: for a Pod its spec plus status `imageID`s, for a workload the images
 * of its pod template (no `imageID`: templates have no status). `kind` defaults to `obj.kind`; list
 * items without a kind are recognised by shape.
 */
export function extractImages(obj: PodLike | WorkloadLike, kind: string | undefined = obj.kind): ImageUse[] {
  if (kind === 'Pod' || (kind === undefined && looksLikePod(obj))) return podImages(obj as PodLike);
  return podSpecImages(podTemplateOf(kind, obj as WorkloadLike)?.spec);
}
