/**
 * `coordination.k8s.io/v1` Lease access for leader election: get, create, and replace with the read
 * `resourceVersion` so that of two concurrent writers exactly one wins (the other gets 409).
 */
import type { KubeClient } from './client.ts';
import { KubeError } from './errors.ts';
import { apiVersionOf, collectionPath, objectPath, RESOURCES } from './resources.ts';
import type { LeaseLike, LeaseSpec } from './types.ts';

/** k8s-copycat's lease name (`LeaderElectionID`, behaviour §2.1), kept so both never lead at once during a migration. */
export const DEFAULT_LEASE_NAME = 'k8s-copycat.k8s-copycat';

/**
 * Formats epoch milliseconds as a Kubernetes `MicroTime` (RFC 3339 with exactly six fractional
 * digits, UTC). The API server parses MicroTime with Go's `RFC3339Micro` layout, so the digit count
 * matters.
 */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a `MicroTime`/`Time` string into epoch milliseconds; undefined when absent or unparsable. */
export function parseMicroTime(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Reads and writes one Lease object. */
export class LeaseClient {
  readonly #client: KubeClient;
  /** Namespace of the Lease. */
  readonly namespace: string;
  /** Name of the Lease. */
  readonly name: string;

  constructor(client: KubeClient, namespace: string, name: string) {
    this.#client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /** The Lease, or undefined when it does not exist. */
  async get(signal?: AbortSignal): Promise<LeaseLike | undefined> {
    try {
      return await this.#client.get<LeaseLike>(objectPath(RESOURCES.leases, this.name, this.namespace), signal ? { signal } : {});
    } catch (err) {
      if (err instanceof KubeError && err.code === 'KUBE_NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** Creates the Lease with `spec`; `KUBE_ALREADY_EXISTS` when another candidate was faster. */
  create(spec: LeaseSpec, signal?: AbortSignal): Promise<LeaseLike> {
    const body: LeaseLike = { apiVersion: apiVersionOf(RESOURCES.leases), kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec };
    return this.#client.create(collectionPath(RESOURCES.leases, this.namespace), body, signal ? { signal } : {});
  }

  /** Replaces the spec of the Lease `read` earlier; `KUBE_CONFLICT` when it changed since. */
  replace(read: LeaseLike, spec: LeaseSpec, signal?: AbortSignal): Promise<LeaseLike> {
    const body: LeaseLike = { ...read, apiVersion: apiVersionOf(RESOURCES.leases), kind: 'Lease', spec };
    return this.#client.replace(objectPath(RESOURCES.leases, this.name, this.namespace), body, signal ? { signal } : {});
  }
}
