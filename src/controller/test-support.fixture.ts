// Test-only helpers for the controller's unit tests: registry clients and a mirror context against
// in-memory registries, a metrics recorder, and pod/workload builders.
import { Copier } from '../copy/index.ts';
import type { KubeObject, PodLike } from '../kube/index.ts';
import { RegistryClient, Transport } from '../registry/index.ts';
import { DockerTarget } from '../targets/index.ts';
import { memoryLogger, type LogRecord } from './logger.ts';
import type { ControllerMetrics } from './metrics.ts';
import type { MirrorContext } from './mirror.ts';
import { defaultRules, type MirrorRules } from './rules.ts';

/** Every metric call, as `name registry-or-image ok`. */
export function metricsRecorder(): ControllerMetrics & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    recordPull: (image, ok) => calls.push(`pull ${image} ${ok}`),
    recordPush: (image, ok) => calls.push(`push ${image} ${ok}`),
    onMirror: (result) => calls.push(`mirror ${result}`),
    onThrottle: (info) => calls.push(`throttle ${info.host}`),
    onSparseIndexRejected: (registry) => calls.push(`sparse ${registry}`),
  };
}

/** A client with one quick attempt per request, so injected faults surface at once. */
export function quickClient(): RegistryClient {
  return new RegistryClient({ transport: new Transport({ attempts: 1, backoff: { initialMs: 1, maxMs: 2 } }) });
}

/** A mirror context from `sourceHost` to `targetHost`, with recorded logs and metrics. */
export function mirrorContext(targetHost: string, rules: Partial<MirrorRules> = {}, over: Partial<MirrorContext> = {}): MirrorContext & { records: LogRecord[]; calls: string[] } {
  const source = quickClient();
  const targetClient = quickClient();
  const log = memoryLogger();
  const metrics = metricsRecorder();
  return {
    rules: defaultRules(targetHost, rules),
    target: new DockerTarget({ registry: targetHost }),
    source,
    targetClient,
    copier: new Copier({ source, target: targetClient }),
    dryRun: false,
    dryPull: false,
    requestTimeoutMs: 10_000,
    retryAttempts: 3,
    retryBackoffMs: 0,
    log,
    metrics,
    records: log.records,
    calls: metrics.calls,
    ...over,
  };
}

/** A running Pod with `containers` (`name=image[@imageID]`), optionally owned and scheduled. */
export function pod(namespace: string, name: string, containers: Array<{ name: string; image: string; imageID?: string }>, extra: { node?: string; phase?: string; owner?: { kind: string; name: string }; hash?: string } = {}): PodLike {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      ...(extra.hash ? { labels: { 'pod-template-hash': extra.hash } } : {}),
      ...(extra.owner ? { ownerReferences: [{ kind: extra.owner.kind, name: extra.owner.name, controller: true }] } : {}),
    },
    spec: { containers: containers.map((c) => ({ name: c.name, image: c.image })), ...(extra.node ? { nodeName: extra.node } : {}) },
    status: {
      phase: extra.phase ?? 'Running',
      containerStatuses: containers.filter((c) => c.imageID !== undefined).map((c) => ({ name: c.name, image: c.image, imageID: c.imageID })),
    },
  };
}

/** A workload of `kind` whose pod template runs `containers`. */
export function workload(kind: string, namespace: string, name: string, containers: Array<{ name: string; image: string }>): KubeObject {
  const template = { spec: { containers } };
  return { kind, metadata: { name, namespace, generation: 1 }, spec: kind === 'CronJob' ? { jobTemplate: { spec: { template } } } : { template } } as KubeObject;
}
