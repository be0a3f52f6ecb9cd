/**
 * The fake cluster of the controller benchmark, as a pure plan: namespaces, amd64 and arm64 nodes, DaemonSets
 * on every node, Deployments with heavy-tailed replica counts (a few big ones, many small), sidecar and init
 * containers from a few popular images, and the node every pod runs on. Multi-arch images run anywhere;
 * single-arch (amd64) images only on amd64 nodes, as a `kubernetes.io/arch` node selector would place them.
 */

/** A node of the fake cluster. */
export interface NodePlan {
  name: string;
  arch: 'amd64' | 'arm64';
}

/** One container of a workload's pod template; `image` indexes the image list. */
export interface ContainerPlan {
  name: string;
  image: number;
}

/** A Deployment or DaemonSet. */
export interface WorkloadPlan {
  kind: 'Deployment' | 'DaemonSet';
  namespace: string;
  name: string;
  replicas: number;
  containers: ContainerPlan[];
  initContainers: ContainerPlan[];
  /** Placed on amd64 nodes only (its main image is single-arch). */
  amd64Only: boolean;
  /** `pod-template-hash` of the Deployment's ReplicaSet (DaemonSets: `controller-revision-hash`). */
  templateHash: string;
}

/** One pod: its workload (index into `workloads`), name and node (index into `nodes`). */
export interface PodPlan {
  workload: number;
  name: string;
  node: number;
}

/** The whole cluster. */
export interface ClusterPlan {
  namespaces: string[];
  nodes: NodePlan[];
  workloads: WorkloadPlan[];
  pods: PodPlan[];
  /** For each image (by index), the node architectures its pods run on, sorted. */
  archesByImage: Array<Array<'amd64' | 'arm64'>>;
}

/** Options of {@link planCluster}. */
export interface ClusterOptions {
  /** Pods in all (default 5000). */
  pods: number;
  /** Application namespaces (`team-NN`; DaemonSets live in `kube-system`). */
  namespaces: number;
  nodes: number;
  /** How many of the nodes are arm64 (the rest amd64). */
  armNodes: number;
  /** DaemonSets, one pod per node each, on the first multi-arch images (default 3). */
  daemonSets?: number;
  /** Popular sidecar images (every third Deployment has one), the next multi-arch images (default 2). */
  sidecars?: number;
  /** An init container image used by every fifth Deployment, the next multi-arch image (default 1; 0 for none). */
  initImages?: number;
}

/**
 * Splits `total` pods over `count` Deployments, each at least one, the rest by Zipf-like weights (rank r gets
 * 1/(r+2)) over a fixed permutation so the big Deployments are spread over the list. Sums to `total` exactly.
 */
export function spreadReplicas(total: number, count: number): number[] {
  if (count < 1) throw new Error(`need at least one Deployment, got ${count}`);
  if (total < count) throw new Error(`${total} pods cannot give each of ${count} Deployments one pod`);
  const rankOf = (i: number): number => (i * 7919) % count; // 7919 is prime: a permutation unless count is a multiple
  const ranks = Array.from({ length: count }, (_, i) => rankOf(i));
  const distinct = new Set(ranks).size === count;
  const weights = Array.from({ length: count }, (_, i) => 1 / ((distinct ? ranks[i]! : i) + 2));
  const sum = weights.reduce((a, b) => a + b, 0);
  const extra = total - count;
  const exact = weights.map((w) => (extra * w) / sum);
  const out = exact.map((x) => 1 + Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  // Largest remainders first; ties by position, so the result is deterministic.
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

/** A short deterministic lowercase base-36 string of `length` characters derived from `n` (pod name suffixes, hashes). */
export function shortHash(n: number, length: number): string {
  let x = (Math.imul(n + 1, 2654435761) >>> 0) ^ 0x5bd1e995;
  let out = '';
  while (out.length < length) {
    x = Math.imul(x ^ (x >>> 15), 2246822519) >>> 0;
    out += (x % 36).toString(36);
  }
  return out;
}

/** 36^5: pod name suffixes are five base-36 characters, as the ReplicaSet controller's are. */
const SUFFIX_SPACE = 36 ** 5;

/**
 * A pod name suffix for the `n`-th pod: five base-36 characters, distinct for every `n` below 36^5 (multiplying
 * by a number coprime to 36 permutes the residues), so generated names never collide.
 */
export function podSuffix(n: number): string {
  return ((n * 16_777_619) % SUFFIX_SPACE).toString(36).padStart(5, '0');
}

/**
 * Plans the cluster over `images` (only whether each is multi-arch matters). Every image is used by at least
 * one pod. Throws when the numbers cannot fit (too few pods or multi-arch images for the roles).
 */
export function planCluster(images: readonly { multiArch: boolean }[], options: ClusterOptions): ClusterPlan {
  const daemonCount = options.daemonSets ?? 3;
  const sidecarCount = options.sidecars ?? 2;
  const initCount = Math.min(options.initImages ?? 1, 1);
  const { nodes: nodeCount, armNodes } = options;
  if (nodeCount < 1 || armNodes < 0 || armNodes >= nodeCount) throw new Error(`need at least one amd64 node: ${nodeCount} nodes, ${armNodes} arm64`);
  if (options.namespaces < 1) throw new Error(`need at least one namespace, got ${options.namespaces}`);

  const nodes: NodePlan[] = [];
  const amdCount = nodeCount - armNodes;
  for (let i = 0; i < amdCount; i++) nodes.push({ name: `node-amd64-${String(i).padStart(3, '0')}`, arch: 'amd64' });
  for (let i = 0; i < armNodes; i++) nodes.push({ name: `node-arm64-${String(i).padStart(3, '0')}`, arch: 'arm64' });

  // Roles: the first multi-arch images run everywhere (DaemonSets, sidecars, init); the rest are applications.
  const multi = images.map((img, i) => ({ img, i })).filter((x) => x.img.multiArch).map((x) => x.i);
  const special = daemonCount + sidecarCount + initCount;
  if (multi.length < special) throw new Error(`${special} multi-arch images needed for DaemonSets, sidecars and init containers, only ${multi.length} planned`);
  const daemonImages = multi.slice(0, daemonCount);
  const sidecarImages = multi.slice(daemonCount, daemonCount + sidecarCount);
  const initImage = initCount > 0 ? multi[daemonCount + sidecarCount] : undefined;
  const taken = new Set(multi.slice(0, special));
  const appImages = images.map((_, i) => i).filter((i) => !taken.has(i));

  const namespaces = Array.from({ length: options.namespaces }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  const daemonPods = daemonCount * nodeCount;
  const appPods = options.pods - daemonPods;
  if (appImages.length === 0) throw new Error('no images left for Deployments');
  if (sidecarCount > 0 && appImages.length < 3 * sidecarCount - 2) throw new Error(`too few Deployments (${appImages.length}) to use ${sidecarCount} sidecar images`);
  if (appPods < appImages.length) throw new Error(`${options.pods} pods are too few: DaemonSets take ${daemonPods} and ${appImages.length} Deployments need one each`);
  const replicas = spreadReplicas(appPods, appImages.length);

  const workloads: WorkloadPlan[] = [];
  daemonImages.forEach((image, d) => {
    workloads.push({ kind: 'DaemonSet', namespace: 'kube-system', name: `node-agent-${d}`, replicas: nodeCount, containers: [{ name: 'agent', image }], initContainers: [], amd64Only: false, templateHash: shortHash(10_000 + d, 10) });
  });
  appImages.forEach((image, d) => {
    const containers: ContainerPlan[] = [{ name: 'app', image }];
    if (sidecarCount > 0 && d % 3 === 0) containers.push({ name: 'proxy', image: sidecarImages[Math.floor(d / 3) % sidecarCount]! });
    const initContainers: ContainerPlan[] = initImage !== undefined && d % 5 === 0 ? [{ name: 'init-config', image: initImage }] : [];
    workloads.push({
      kind: 'Deployment',
      namespace: namespaces[d % namespaces.length]!,
      name: `svc-${String(d).padStart(3, '0')}`,
      replicas: replicas[d]!,
      containers,
      initContainers,
      amd64Only: !images[image]!.multiArch,
      templateHash: shortHash(d, 10),
    });
  });

  const pods: PodPlan[] = [];
  const arches = images.map(() => new Set<'amd64' | 'arm64'>());
  workloads.forEach((w, wi) => {
    for (let j = 0; j < w.replicas; j++) {
      const node = w.kind === 'DaemonSet' ? j : w.amd64Only ? (wi * 7 + j) % amdCount : (wi * 7 + j) % nodeCount;
      const name = w.kind === 'DaemonSet' ? `${w.name}-${podSuffix(pods.length)}` : `${w.name}-${w.templateHash}-${podSuffix(pods.length)}`;
      pods.push({ workload: wi, name, node });
      for (const c of [...w.initContainers, ...w.containers]) arches[c.image]!.add(nodes[node]!.arch);
    }
  });
  return { namespaces: ['kube-system', ...namespaces], nodes, workloads, pods, archesByImage: arches.map((s) => [...s].sort()) };
}
