/**
 * Reading the image pull secrets of the pods that use an image, for `usePodPullSecrets`: each user's own
 * `spec.imagePullSecrets`, then those of its service account (`default` when unset), each Secret read
 * once per TTL with a plain GET in the user's own namespace. Parsing the secrets is the registry
 * keychain's job (`PullSecretCredentials`); this only fetches them.
 *
 * Secrets are read by name in the namespace of the pod that names them, never listed: a pod only
 * ever gets the credentials of its own namespace (docs/credentials.md §3).
 */
import type { KubeClient } from './client.ts';
import { KubeError } from './errors.ts';
import { podTemplateOf } from './images.ts';
import { objectPath, RESOURCES } from './resources.ts';
import { TtlCache } from './ttl-cache.ts';
import type { KubeObject, LocalObjectReference, PodLike, PodSpecLike, SecretLike, ServiceAccountLike, WorkloadLike } from './types.ts';

/** One object (a Pod, or a workload's pod template) whose pull secrets may be used for its images. */
export interface PullSecretUser {
  namespace: string;
  /** The pod's (or workload's) name, for logs. */
  name: string;
  /** `spec.imagePullSecrets[].name`, in order. */
  imagePullSecrets: readonly string[];
  /** `spec.serviceAccountName`; `default` when undefined or empty, as the API server defaults it. */
  serviceAccountName?: string | undefined;
}

/**
 * The secrets the given users may pull with, in order (each user's own secrets, then its service
 * account's), each once; missing or forbidden ones are left out. Rejects only when the API server
 * cannot be asked and nothing was read before.
 */
export type PullSecretsFetcher = (users: readonly PullSecretUser[]) => Promise<SecretLike[]>;

/** Options of {@link podPullSecretsFetcher}. */
export interface PodPullSecretsOptions {
  /** How long a Secret or ServiceAccount read is reused (default {@link DEFAULT_PULL_SECRETS_TTL_MS}): a rotated secret is seen after at most this. */
  ttlMs?: number;
  /** Told once per missing or forbidden object; messages name the object, never its contents. */
  onWarning?: (message: string) => void;
  now?: () => number;
}

/** Default TTL of secret and service account reads: a rotated secret is used within a minute, and a busy cluster costs one GET per secret per minute. */
export const DEFAULT_PULL_SECRETS_TTL_MS = 60_000;

/** The names in a list of `LocalObjectReference`s, blanks dropped. */
function namesOf(refs: readonly LocalObjectReference[] | undefined): string[] {
  return (refs ?? []).map((r) => r.name?.trim() ?? '').filter((n) => n !== '');
}

/**
 * The pull-secret user of a Pod or a workload (its pod template): undefined for objects without a pod spec or
 * a namespace.
 */
export function pullSecretUserOf(obj: KubeObject): PullSecretUser | undefined {
  const namespace = obj.metadata?.namespace ?? '';
  if (namespace === '') return undefined;
  const podSpec = (obj as PodLike).spec;
  // List items come without a kind: a spec with containers is a Pod's.
  const isPod = obj.kind === 'Pod' || (obj.kind === undefined && podSpec?.containers !== undefined);
  const spec: PodSpecLike | undefined = isPod ? podSpec : podTemplateOf(obj.kind, obj as WorkloadLike)?.spec;
  if (spec === undefined) return undefined;
  const account = spec.serviceAccountName || spec.serviceAccount || undefined;
  return { namespace, name: obj.metadata?.name ?? '', imagePullSecrets: namesOf(spec.imagePullSecrets), ...(account ? { serviceAccountName: account } : {}) };
}

/**
 * The fetcher the controller calls per job with that job's users (see {@link PullSecretsFetcher}): one GET
 * per Secret and ServiceAccount per TTL, concurrent lookups of one object shared, a failed refresh served from
 * the last answer. 404 and 403 leave the object out with one warning each (403: RBAC lacks `get` on secrets
 * or serviceaccounts). Only `type`, `data` and the name of a Secret are kept.
 */
export function podPullSecretsFetcher(client: KubeClient, options: PodPullSecretsOptions = {}): PullSecretsFetcher {
  const ttlMs = options.ttlMs ?? DEFAULT_PULL_SECRETS_TTL_MS;
  const now = options.now ?? Date.now;
  const warn = options.onWarning ?? (() => {});
  const warned = new Set<string>();
  const secrets = new TtlCache<SecretLike | undefined>({ ttlMs, now });
  const accounts = new TtlCache<string[]>({ ttlMs, now });

  /** GET one object; undefined (with one warning) when it is missing or forbidden. */
  const read = async <T>(what: 'secret' | 'serviceaccount', namespace: string, name: string): Promise<T | undefined> => {
    const id = `${what} ${namespace}/${name}`;
    const resource = what === 'secret' ? RESOURCES.secrets : RESOURCES.serviceaccounts;
    try {
      const found = await client.get<T>(objectPath(resource, name, namespace));
      warned.delete(id); // warn again should it go missing later
      return found;
    } catch (err) {
      if (!(err instanceof KubeError) || (err.code !== 'KUBE_NOT_FOUND' && err.code !== 'KUBE_FORBIDDEN')) throw err;
      if (!warned.has(id)) {
        warned.add(id);
        const plural = resource.plural;
        warn(
          err.code === 'KUBE_NOT_FOUND'
            ? `${what} ${namespace}/${name} not found; images of pods naming it are pulled without its credentials`
            : `not allowed to get ${what} ${namespace}/${name}; usePodPullSecrets needs RBAC "get" on ${plural}`,
        );
      }
      return undefined;
    }
  };

  const secret = (namespace: string, name: string): Promise<SecretLike | undefined> =>
    secrets.get(`${namespace}/${name}`, async () => {
      const found = await read<SecretLike>('secret', namespace, name);
      // Keep only what the keychain reads: `kubectl apply` leaves a copy of the data in an annotation too.
      return found === undefined ? undefined : { type: found.type, data: found.data, metadata: { name, namespace } };
    });

  const accountSecrets = (namespace: string, name: string): Promise<string[]> =>
    accounts.get(`${namespace}/${name}`, async () => namesOf((await read<ServiceAccountLike>('serviceaccount', namespace, name))?.imagePullSecrets));

  return async (users) => {
    const usable = users.filter((u) => u.namespace !== '');
    const fromAccounts = await Promise.all(usable.map((u) => accountSecrets(u.namespace, u.serviceAccountName || 'default')));
    const wanted = new Map<string, { namespace: string; name: string }>();
    usable.forEach((u, i) => {
      for (const name of [...u.imagePullSecrets, ...(fromAccounts[i] ?? [])]) {
        const key = `${u.namespace}/${name}`;
        if (!wanted.has(key)) wanted.set(key, { namespace: u.namespace, name });
      }
    });
    const found = await Promise.all([...wanted.values()].map((w) => secret(w.namespace, w.name)));
    return found.filter((s): s is SecretLike => s !== undefined);
  };
}
