/**
 * Pods to audit, read from the API server instead of a YAML dump (`copycat verify --kubeconfig`): the pods of
 * the configured namespaces, plus the ReplicaSets and Jobs that name their owners and the Nodes that give
 * their platforms. What `kubectl get pods,replicasets,jobs,nodes -A -o yaml` would print, without the file.
 */
import type { Config } from '../../config/index.ts';
import { emptyDocumentSet, type DocumentSet } from '../../controller/index.ts';
import { errorMessage } from '../../internal/errors.ts';
import {
  collectionPath,
  defaultTransform,
  expandNamespaces,
  listNamespaceNames,
  RESOURCES,
  selectsAllNamespaces,
  type KubeClient,
  type KubeObject,
  type NodeLike,
  type ResourceType,
} from '../../kube/index.ts';

/** Every object of `resource` in `namespace` (undefined: all), page by page, with `kind`/`apiVersion` filled. */
export async function listAll(client: KubeClient, resource: ResourceType, namespace?: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let cont: string | undefined;
  do {
    const page = await client.list<KubeObject>(collectionPath(resource, namespace), { query: { limit: 500, continue: cont }, ...(signal ? { signal } : {}) });
    for (const item of page.items ?? []) out.push(defaultTransform(item, resource));
    cont = page.metadata?.continue || undefined;
  } while (cont !== undefined);
  return out;
}

/**
 * Reads the pods in `config`'s namespaces (all when `includeNamespaces` selects all), their owners and the
 * nodes. Pods must be readable; owners and nodes only help name images and check platforms, so a refusal
 * there (RBAC) is a `warn`ing and the audit goes on without them.
 */
export async function podsFromCluster(client: KubeClient, config: Config, warn: (message: string) => void, signal?: AbortSignal): Promise<DocumentSet> {
  let scopes: Array<string | undefined> = [undefined];
  if (!selectsAllNamespaces(config.includeNamespaces)) {
    const expansion = expandNamespaces(config.includeNamespaces, await listNamespaceNames(client, signal));
    for (const ns of expansion.missing) warn(`namespace ${JSON.stringify(ns)} in includeNamespaces does not exist`);
    scopes = expansion.scope === '*' ? [undefined] : [...expansion.scope];
  }
  const set = emptyDocumentSet();
  for (const ns of scopes) set.objects.push(...(await listAll(client, RESOURCES.pods, ns, signal)));
  const optional = async (what: string, read: () => Promise<KubeObject[]>): Promise<KubeObject[]> => {
    try {
      return await read();
    } catch (err) {
      warn(`cannot list ${what} (${errorMessage(err)}); continuing without them`);
      return [];
    }
  };
  for (const resource of [RESOURCES.replicasets, RESOURCES.jobs]) {
    for (const ns of scopes) set.owners.push(...(await optional(resource.plural, () => listAll(client, resource, ns, signal))));
  }
  set.nodes.push(...((await optional('nodes', () => listAll(client, RESOURCES.nodes, undefined, signal))) as NodeLike[]));
  return set;
}
