import { Limiter } from '../internal/limiter.ts';
import { childrenOf, isIndexMediaType, parseManifest, type Descriptor, type Platform } from '../oci/index.ts';
import type { FetchedManifest, RegistryClient, Repo } from '../registry/index.ts';
import { CopyError } from './errors.ts';
import { selectChildren } from './select.ts';

/** One manifest of the graph to copy. */
export interface ManifestNode {
  digest: string;
  mediaType: string;
  size: number;
  platform?: Platform | undefined;
  /** True when the target already has this manifest by digest, and so (children first) everything below it. */
  present: boolean;
  /** The exact source bytes; absent when `present` (never fetched). */
  bytes?: Buffer;
  kind: 'index' | 'image';
  /** Index: the child manifests this copy carries. */
  children: ManifestNode[];
  /** Index: children left out by platform selection. */
  omitted: Descriptor[];
  /** Image: config and layers that must be in the target before the manifest. */
  blobs: Descriptor[];
}

/** What planning needs. */
export interface PlanContext {
  source: RegistryClient;
  target: RegistryClient;
  from: Repo;
  to: Repo;
  /** Bounds manifest requests in flight while the graph is walked. */
  limiter: Limiter;
  signal?: AbortSignal | undefined;
}

// Real images nest one level (index → manifests); a few tools nest twice. Deeper is a loop or an attack.
const MAX_DEPTH = 8;

/**
 * Walks the manifest graph from the top manifest: every child manifest is first looked up in the
 * target by digest (a hit prunes its whole subtree, costing no source request), otherwise fetched from
 * the source by digest and verified. Platform selection applies to the top index only.
 */
export async function planGraph(ctx: PlanContext, top: FetchedManifest, where: string, platforms: readonly Platform[] = []): Promise<ManifestNode> {
  return build(ctx, top, undefined, where, platforms, 0, new Set());
}

async function build(ctx: PlanContext, m: FetchedManifest, platform: Platform | undefined, where: string, platforms: readonly Platform[], depth: number, path: Set<string>): Promise<ManifestNode> {
  if (depth > MAX_DEPTH || path.has(m.digest)) {
    throw new CopyError('NESTING_TOO_DEEP', `${where}: manifests nest deeper than ${MAX_DEPTH} levels or refer to themselves (${m.digest})`);
  }
  const parsed = parseManifest(m.bytes, m.mediaType);
  if (parsed.kind === 'schema1') {
    throw new CopyError(
      'SCHEMA1_UNSUPPORTED',
      `${where} is a Docker schema1 manifest (${m.mediaType}); schema1 cannot be copied digest-exactly because its signature binds it to the source name: rebuild or re-push the image with a current tool`,
    );
  }
  const node: ManifestNode = { digest: m.digest, mediaType: m.mediaType, size: m.size, platform, present: false, bytes: m.bytes, kind: parsed.kind, children: [], omitted: [], blobs: [] };
  if (parsed.kind === 'image') {
    node.blobs = childrenOf(parsed);
    return node;
  }
  let wanted = parsed.index.manifests;
  if (depth === 0 && platforms.length > 0) {
    const selection = selectChildren(wanted, platforms, where);
    node.omitted = wanted.filter((d) => !selection.chosen.includes(d));
    wanted = selection.chosen;
  }
  const inPath = new Set(path).add(m.digest);
  node.children = await Promise.all(wanted.map((d) => child(ctx, d, where, depth + 1, inPath)));
  return node;
}

async function child(ctx: PlanContext, d: Descriptor, where: string, depth: number, path: Set<string>): Promise<ManifestNode> {
  const head = await ctx.limiter.run(() => ctx.target.headManifest(ctx.to, d.digest, ctx.signal));
  if (head) {
    return { digest: d.digest, mediaType: d.mediaType, size: d.size, platform: d.platform, present: true, kind: isIndexMediaType(d.mediaType) ? 'index' : 'image', children: [], omitted: [], blobs: [] };
  }
  const fetched = await ctx.limiter.run(() => ctx.source.getManifest(ctx.from, d.digest, ctx.signal));
  if (fetched.size !== d.size) {
    throw new CopyError('SIZE_MISMATCH', `${where}: child manifest ${d.digest} is ${fetched.size} bytes, its descriptor says ${d.size}`);
  }
  return build(ctx, fetched, d.platform, `${where}@${d.digest}`, [], depth, path);
}

/** Every node of the graph, parents after their children (the order manifests must be pushed in). */
export function postOrder(node: ManifestNode): ManifestNode[] {
  const out: ManifestNode[] = [];
  const visit = (n: ManifestNode): void => {
    for (const c of n.children) visit(c);
    out.push(n);
  };
  visit(node);
  return out;
}
