/**
 * Leader election for `copycat controller` (behaviour inventory §2.1): a `coordination.k8s.io` Lease named
 * `k8s-copycat.k8s-copycat`, in the pod's namespace, on by default. The leader runs the controller; the others
 * keep their watches warm and take over when the Lease is released or expires. With `--leader-elect=false`
 * this replica always leads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../controller/index.ts';
import { errorMessage } from '../../internal/errors.ts';
import { DEFAULT_LEASE_NAME, defaultIdentity, LeaderElector, SERVICE_ACCOUNT_DIR, type KubeClient, type LeaderTimings } from '../../kube/index.ts';
import { UsageError } from '../errors.ts';
import type { ControllerSlot } from './slot.ts';

/**
 * The Lease namespace: `--leader-election-namespace`, else `POD_NAMESPACE`, else the service account's
 * namespace file (a pod), else undefined (controller-runtime: "not running in-cluster, please specify
 * LeaderElectionNamespace"). The kubeconfig context's namespace is deliberately not used, as upstream.
 */
export function leaseNamespace(options: { flag?: string | undefined; env: NodeJS.ProcessEnv; serviceAccountDir?: string | undefined }): string | undefined {
  const flag = options.flag?.trim();
  if (flag) return flag;
  const env = options.env['POD_NAMESPACE']?.trim();
  if (env) return env;
  const file = join(options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, 'namespace');
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Who leads, as `/status` shows it. */
export interface LeadershipInfo {
  /** Whether leader election is on. */
  enabled: boolean;
  /** This replica's identity (the Lease `holderIdentity` it writes). */
  identity: string;
  /** Whether this replica leads now. */
  leader: boolean;
  /** The holder last seen on the Lease (`''` when released; undefined before the first read or without election). */
  holder: string | undefined;
  /** `namespace/name` of the Lease, undefined without election. */
  lease: string | undefined;
}

/** The running election (or its absence). */
export interface Leadership {
  info(): LeadershipInfo;
  /** Stops campaigning and releases the Lease when held (call after the controller stopped). */
  stop(): Promise<void>;
}

/** Options of {@link startLeadership}. */
export interface LeadershipOptions {
  enabled: boolean;
  client: KubeClient;
  /** Required when enabled. */
  namespace: string | undefined;
  name?: string;
  identity?: string;
  timings?: Partial<LeaderTimings>;
  slot: ControllerSlot;
  log: Logger;
}

/** Starts campaigning (or, disabled, activates the controller at once). */
export function startLeadership(options: LeadershipOptions): Leadership {
  const { slot, log } = options;
  const identity = options.identity ?? defaultIdentity();
  if (!options.enabled) {
    void slot.activate();
    return {
      info: () => ({ enabled: false, identity, leader: true, holder: undefined, lease: undefined }),
      stop: async () => {},
    };
  }
  const namespace = options.namespace;
  if (namespace === undefined || namespace.trim() === '') {
    throw new UsageError(
      'leader election needs a Lease namespace when not running in a pod: pass --leader-election-namespace NS, set POD_NAMESPACE, or turn election off with --leader-elect=false',
    );
  }
  const name = options.name ?? DEFAULT_LEASE_NAME;
  const elector = new LeaderElector({
    client: options.client,
    namespace,
    name,
    identity,
    ...options.timings,
    onStartedLeading: () => {
      log.info({ lease: `${namespace}/${name}`, identity }, 'successfully acquired lease');
      void slot.activate();
    },
    onStoppedLeading: () => {
      log.info({ lease: `${namespace}/${name}`, identity }, 'stopped leading; mirroring paused until this replica leads again');
      void slot.deactivate();
    },
    onNewLeader: (holder) => {
      if (holder !== identity) log.info({ lease: `${namespace}/${name}`, leader: holder }, 'new leader elected');
    },
    onError: (err) => log.error({ lease: `${namespace}/${name}`, error: errorMessage(err), code: err.code }, 'leader election request failed'),
  });
  log.info({ lease: `${namespace}/${name}`, identity }, 'attempting to acquire leader lease');
  elector.start();
  return {
    info: () => ({ enabled: true, identity, leader: elector.isLeader(), holder: elector.leader(), lease: `${namespace}/${name}` }),
    stop: () => elector.stop(),
  };
}
