/**
 * Kubernetes objects from YAML or JSON text, as `copycat sync` and `copycat verify` read them: several
 * documents per file (`---`), `List` objects as `kubectl get … -o yaml` prints them (nested lists too), Helm
 * output with comments and empty documents, and JSON (`-o json`), which is YAML. A document that does not parse
 * is reported with its file and line and the others are still read.
 */
import { parseAllDocuments } from 'yaml';
import { nodePlatform, type KubeObject, type NodeLike, type OwnerLookups } from '../kube/index.ts';
import { ControllerError } from './errors.ts';
import { kindOf, type ObservedKind } from './objects.ts';
import type { NodePlatformInfo } from './platforms.ts';

/** The objects read from one or more texts. */
export interface DocumentSet {
  /** Pods and workloads, in the order read. */
  objects: KubeObject[];
  /** ReplicaSets and Jobs, for owner lookups (ReplicaSet → Deployment, Job → CronJob). */
  owners: KubeObject[];
  /** Nodes, for `checkNodePlatform`. */
  nodes: NodeLike[];
  /** Documents of other kinds (Services, ConfigMaps, …), counted for the summary. */
  ignored: number;
  /** Documents that did not parse or are not objects, each naming its file and position. */
  errors: ControllerError[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An empty {@link DocumentSet}. */
export function emptyDocumentSet(): DocumentSet {
  return { objects: [], owners: [], nodes: [], ignored: 0, errors: [] };
}

/** Sorts one parsed value into `into`: lists are flattened, objects filed by kind. */
function collect(value: unknown, into: DocumentSet, where: string, depth = 0): void {
  if (value === null || value === undefined) return; // an empty document (`---` at the end, Helm comments)
  if (!isObject(value)) {
    into.errors.push(new ControllerError('DOCUMENT_INVALID', `${where}: not a Kubernetes object (got ${Array.isArray(value) ? 'a list' : typeof value})`));
    return;
  }
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  if (Array.isArray(value.items) && (kind === undefined || kind.endsWith('List')) && depth < 8) {
    value.items.forEach((item, i) => collect(item, into, `${where} item ${i}`, depth + 1));
    return;
  }
  const obj = value as KubeObject;
  if (kind === 'ReplicaSet' || kind === 'Job') into.owners.push(obj);
  if (kind === 'Node') {
    into.nodes.push(obj as NodeLike);
    return;
  }
  const observed: ObservedKind | undefined = kindOf(obj);
  if (observed !== undefined) into.objects.push(obj);
  else if (kind !== 'ReplicaSet') into.ignored++;
}

/**
 * Parses one text (a file's content) into `into` (a new set when omitted). `name` is used in error messages
 * (`pods.yaml`, `<stdin>`).
 */
export function parseDocuments(text: string, name: string, into: DocumentSet = emptyDocumentSet()): DocumentSet {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, i) => {
    const where = `${name} document ${i + 1}`;
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const line = first.linePos?.[0];
      into.errors.push(new ControllerError('DOCUMENT_INVALID', `${name}${line ? ` line ${line.line}` : ''}: ${first.message.split('\n')[0]}`, { cause: first }));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      into.errors.push(new ControllerError('DOCUMENT_INVALID', `${where}: ${(err as Error).message}`, { cause: err }));
      return;
    }
    collect(value, into, where);
  });
  return into;
}

/**
 * Owner and node lookups served from the documents themselves, so `kubectl get pods,rs,jobs,nodes -A -o yaml`
 * gives `copycat sync` the same owners' skip lists, `$podname` and node platforms as the controller.
 */
export function documentLookups(set: DocumentSet): { owners: OwnerLookups; nodePlatform: (nodeName: string) => Promise<NodePlatformInfo | undefined> } {
  const byKey = new Map<string, KubeObject>();
  for (const o of set.owners) byKey.set(`${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`, o);
  const nodes = new Map<string, NodeLike>();
  for (const n of set.nodes) if (n.metadata?.name) nodes.set(n.metadata.name, n);
  const lookup = (kind: string) => (name: string, namespace?: string) => Promise.resolve(byKey.get(`${kind}/${namespace ?? ''}/${name}`));
  return {
    owners: { replicaSet: lookup('ReplicaSet'), job: lookup('Job') },
    nodePlatform: (name) => {
      const node = nodes.get(name);
      return Promise.resolve(node === undefined ? undefined : nodePlatform(node));
    },
  };
}
