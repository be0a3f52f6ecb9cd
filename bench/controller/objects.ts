/**
 * Kubernetes objects for the fake API server, built from a {@link ClusterPlan}: namespaces, nodes (with
 * `status.nodeInfo` and a `status.images` list, as the kubelet reports), Deployments with their ReplicaSets,
 * DaemonSets, and pods shaped like real ones (probes, env, volumes, tolerations, conditions, `managedFields`,
 * container statuses with `imageID` in containerd or Docker form), so the controller's memory is measured on
 * objects of a realistic size (~5 KB of JSON per pod). Pure and deterministic.
 */
import { createHash } from 'node:crypto';
import type { KObject } from '../../test/support/kube-apiserver.ts';
import type { ClusterPlan, ContainerPlan, NodePlan, WorkloadPlan } from './cluster-plan.ts';

/** How pods name one image: the reference in the spec and the digest the kubelet reports. */
export interface ImageRef {
  /** `host/repo:tag`, as written in the pod spec. */
  ref: string;
  /** `host/repo`. */
  repository: string;
  /** Top manifest digest (the index for multi-arch images): what the runtime reports in `imageID`. */
  digest: string;
}

/** Every object of the cluster, by kind, in creation order. */
export interface ClusterObjects {
  namespaces: KObject[];
  nodes: KObject[];
  /** Deployments and DaemonSets. */
  workloads: KObject[];
  replicaSets: KObject[];
  pods: KObject[];
}

const CREATED = '2026-11-20T10:00:00Z';
const STARTED = '2026-11-20T10:01:07Z';

function hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A UID-shaped string derived from `text` (owner references need one; the server assigns the real ones). */
function fakeUid(text: string): string {
  const h = hex(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The `imageID` a runtime reports: containerd's `repo@digest`, or Docker's `docker-pullable://repo@digest` on
 * every fifth node (clusters mid-migration have both; the controller strips the scheme).
 */
export function imageIdFor(image: ImageRef, nodeIndex: number): string {
  const id = `${image.repository}@${image.digest}`;
  return nodeIndex % 5 === 4 ? `docker-pullable://${id}` : id;
}

function labelsOf(w: WorkloadPlan): Record<string, string> {
  return { 'app.kubernetes.io/name': w.name, 'app.kubernetes.io/part-of': w.namespace, 'app.kubernetes.io/managed-by': 'Helm' };
}

function containerSpec(c: ContainerPlan, images: readonly ImageRef[], init: boolean): Record<string, unknown> {
  const image = images[c.image]!.ref;
  const base: Record<string, unknown> = {
    name: c.name,
    image,
    imagePullPolicy: 'IfNotPresent',
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.monitoring.svc:4317' },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    volumeMounts: [
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  };
  if (init) return { ...base, command: ['/bin/sh', '-c', 'cp /defaults/* /etc/app/'] };
  const probe = (path: string): Record<string, unknown> => ({ httpGet: { path, port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
  return { ...base, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], livenessProbe: probe('/healthz'), readinessProbe: probe('/readyz') };
}

function podSpec(w: WorkloadPlan, images: readonly ImageRef[]): Record<string, unknown> {
  return {
    ...(w.initContainers.length > 0 ? { initContainers: w.initContainers.map((c) => containerSpec(c, images, true)) } : {}),
    containers: w.containers.map((c) => containerSpec(c, images, false)),
    volumes: [
      { name: 'config', configMap: { name: `${w.name}-config`, defaultMode: 420 } },
      {
        name: 'kube-api-access',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
          ],
        },
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    securityContext: { fsGroup: 2000 },
    schedulerName: 'default-scheduler',
    ...(w.amd64Only ? { nodeSelector: { 'kubernetes.io/arch': 'amd64' } } : {}),
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
}

/** The two `managedFields` entries every real pod carries (the cache drops them; they still cross the wire). */
function managedFields(): unknown[] {
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time: CREATED,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app.kubernetes.io/name': {} }, 'f:ownerReferences': { '.': {} } }, 'f:spec': { 'f:containers': {}, 'f:volumes': {} } },
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: STARTED,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:startTime': {} } },
      subresource: 'status',
    },
  ];
}

function ip(prefix: string, n: number): string {
  return `${prefix}.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
}

function containerStatus(podName: string, c: ContainerPlan, images: readonly ImageRef[], nodeIndex: number, init: boolean): Record<string, unknown> {
  const containerID = `containerd://${hex(`${podName}/${c.name}`)}`;
  const state = init ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: STARTED, finishedAt: STARTED, containerID } } : { running: { startedAt: STARTED } };
  return { name: c.name, state, lastState: {}, ready: !init, restartCount: 0, image: images[c.image]!.ref, imageID: imageIdFor(images[c.image]!, nodeIndex), containerID, started: !init };
}

function podObject(plan: ClusterPlan, podIndex: number, images: readonly ImageRef[]): KObject {
  const p = plan.pods[podIndex]!;
  const w = plan.workloads[p.workload]!;
  const node = plan.nodes[p.node]!;
  const owner =
    w.kind === 'Deployment'
      ? { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${w.name}-${w.templateHash}`, uid: fakeUid(`rs/${w.namespace}/${w.name}`), controller: true, blockOwnerDeletion: true }
      : { apiVersion: 'apps/v1', kind: 'DaemonSet', name: w.name, uid: fakeUid(`ds/${w.namespace}/${w.name}`), controller: true, blockOwnerDeletion: true };
  const hashLabel: Record<string, string> = w.kind === 'Deployment' ? { 'pod-template-hash': w.templateHash } : { 'controller-revision-hash': w.templateHash, 'pod-template-generation': '1' };
  const podIP = ip('10.244', podIndex);
  const hostIP = ip('10.0', p.node);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      generateName: p.name.slice(0, p.name.lastIndexOf('-') + 1),
      namespace: w.namespace,
      labels: { ...labelsOf(w), ...hashLabel },
      annotations: { 'kubectl.kubernetes.io/restartedAt': CREATED, 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' },
      ownerReferences: [owner],
      managedFields: managedFields(),
    },
    spec: { ...podSpec(w, images), nodeName: node.name },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: STARTED })),
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: CREATED,
      ...(w.initContainers.length > 0 ? { initContainerStatuses: w.initContainers.map((c) => containerStatus(p.name, c, images, p.node, true)) } : {}),
      containerStatuses: w.containers.map((c) => containerStatus(p.name, c, images, p.node, false)),
      qosClass: 'Burstable',
    },
  };
}

function workloadObject(w: WorkloadPlan, images: readonly ImageRef[]): KObject {
  const selector = { matchLabels: { 'app.kubernetes.io/name': w.name } };
  const template = { metadata: { labels: labelsOf(w) }, spec: podSpec(w, images) };
  if (w.kind === 'DaemonSet') {
    return {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: w.name, namespace: w.namespace, labels: labelsOf(w), annotations: { 'deprecated.daemonset.template.generation': '1' } },
      spec: { selector, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 },
      status: { currentNumberScheduled: w.replicas, desiredNumberScheduled: w.replicas, numberAvailable: w.replicas, numberReady: w.replicas, observedGeneration: 1, updatedNumberScheduled: w.replicas },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, namespace: w.namespace, labels: labelsOf(w), annotations: { 'deployment.kubernetes.io/revision': '1', 'meta.helm.sh/release-name': w.name } },
    spec: { replicas: w.replicas, selector, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 },
    status: { observedGeneration: 1, replicas: w.replicas, updatedReplicas: w.replicas, readyReplicas: w.replicas, availableReplicas: w.replicas },
  };
}

function replicaSetObject(w: WorkloadPlan, images: readonly ImageRef[]): KObject {
  const labels = { ...labelsOf(w), 'pod-template-hash': w.templateHash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${w.name}-${w.templateHash}`,
      namespace: w.namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(w.replicas), 'deployment.kubernetes.io/max-replicas': String(Math.ceil(w.replicas * 1.25)), 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: w.name, uid: fakeUid(`deploy/${w.namespace}/${w.name}`), controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: w.replicas, selector: { matchLabels: { 'app.kubernetes.io/name': w.name, 'pod-template-hash': w.templateHash } }, template: { metadata: { labels }, spec: podSpec(w, images) } },
    status: { replicas: w.replicas, fullyLabeledReplicas: w.replicas, readyReplicas: w.replicas, availableReplicas: w.replicas, observedGeneration: 1 },
  };
}

function nodeObject(node: NodePlan, index: number, imagesOnNode: readonly ImageRef[]): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: { 'kubernetes.io/arch': node.arch, 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': node.name, 'node.kubernetes.io/instance-type': node.arch === 'arm64' ? 'm7g.2xlarge' : 'm7i.2xlarge' },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, providerID: `aws:///eu-west-1a/i-${hex(node.name).slice(0, 17)}` },
    status: {
      capacity: { cpu: '8', memory: '32386584Ki', pods: '110' },
      allocatable: { cpu: '7910m', memory: '31371800Ki', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: STARTED, lastTransitionTime: CREATED }],
      addresses: [
        { type: 'InternalIP', address: ip('10.0', index) },
        { type: 'Hostname', address: node.name },
      ],
      nodeInfo: {
        architecture: node.arch,
        operatingSystem: 'linux',
        osImage: 'Bottlerocket OS 1.26.1 (aws-k8s-1.31)',
        kernelVersion: '6.1.112',
        containerRuntimeVersion: 'containerd://1.7.22+bottlerocket',
        kubeletVersion: 'v1.31.2-eks-7f9249a',
        kubeProxyVersion: 'v1.31.2-eks-7f9249a',
      },
      // The kubelet lists up to 50 images a node holds; they make Node objects the size they are in real clusters.
      images: imagesOnNode.slice(0, 50).map((img) => ({ names: [`${img.repository}@${img.digest}`, img.ref], sizeBytes: 20_000_000 })),
    },
  };
}

/** Builds every object of `plan`; `images[i]` is how pods name the plan's image `i`. */
export function clusterObjects(plan: ClusterPlan, images: readonly ImageRef[]): ClusterObjects {
  const onNode = plan.nodes.map(() => new Set<number>());
  for (const p of plan.pods) {
    const w = plan.workloads[p.workload]!;
    for (const c of [...w.initContainers, ...w.containers]) onNode[p.node]!.add(c.image);
  }
  return {
    namespaces: plan.namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })),
    nodes: plan.nodes.map((n, i) => nodeObject(n, i, [...onNode[i]!].map((k) => images[k]!))),
    workloads: plan.workloads.map((w) => workloadObject(w, images)),
    replicaSets: plan.workloads.filter((w) => w.kind === 'Deployment').map((w) => replicaSetObject(w, images)),
    pods: plan.pods.map((_, i) => podObject(plan, i, images)),
  };
}
