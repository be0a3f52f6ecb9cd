/**
 * The platform (OS and CPU architecture) of the node a Pod runs on, for `checkNodePlatform`
 * (k8s-copycat behaviour §2.7).
 */
import type { ObjectLookup } from './lookup.ts';
import type { NodeLike, PodLike } from './types.ts';

/** A node's platform; fields are trimmed and may be empty when the node does not say. */
export interface NodePlatform {
  os: string;
  architecture: string;
}

/** Well-known node labels set by the kubelet (and their deprecated `beta.` forms). */
const OS_LABELS = ['kubernetes.io/os', 'beta.kubernetes.io/os'];
const ARCH_LABELS = ['kubernetes.io/arch', 'beta.kubernetes.io/arch'];

function firstLabel(node: NodeLike, keys: string[]): string {
  for (const key of keys) {
    const value = node.metadata?.labels?.[key]?.trim();
    if (value) return value;
  }
  return '';
}

/**
 * A node's platform: `status.nodeInfo.operatingSystem` / `architecture` (what k8s-copycat reads),
 * falling back to the `kubernetes.io/os` / `kubernetes.io/arch` labels for a node whose status is
 * not filled in yet. Undefined when neither source names anything.
 */
export function nodePlatform(node: NodeLike): NodePlatform | undefined {
  const os = node.status?.nodeInfo?.operatingSystem?.trim() || firstLabel(node, OS_LABELS);
  const architecture = node.status?.nodeInfo?.architecture?.trim() || firstLabel(node, ARCH_LABELS);
  return os === '' && architecture === '' ? undefined : { os, architecture };
}

/** Options of {@link NodePlatforms}. */
export interface NodePlatformsOptions {
  /** How nodes are found: a watch cache (`watchLookup`) or API GETs (`apiLookup`, ideally `cachedLookup`). */
  lookup: ObjectLookup<NodeLike>;
  /** `checkNodePlatform`; when false every answer is undefined and no node is read (default true). */
  enabled?: boolean;
}

/** Node platform lookups for Pods, honouring `checkNodePlatform`. */
export class NodePlatforms {
  readonly #lookup: ObjectLookup<NodeLike>;
  /** Whether node platforms are looked up at all. */
  readonly enabled: boolean;

  constructor(options: NodePlatformsOptions) {
    this.#lookup = options.lookup;
    this.enabled = options.enabled ?? true;
  }

  /** The platform of a node by name; undefined when disabled, the name is blank, or the node does not exist. */
  async forNode(name: string | undefined): Promise<NodePlatform | undefined> {
    const trimmed = (name ?? '').trim();
    if (!this.enabled || trimmed === '') return undefined;
    const node = await this.#lookup(trimmed);
    return node === undefined ? undefined : nodePlatform(node);
  }

  /** The platform of the node a Pod is scheduled on (`spec.nodeName`); undefined when unscheduled or unknown. */
  forPod(pod: PodLike): Promise<NodePlatform | undefined> {
    return this.forNode(pod.spec?.nodeName);
  }
}
