import { Limiter } from '../internal/limiter.ts';
import { OnceByKey } from '../internal/once-by-key.ts';
import { formatPlatform, isAttestation, type Platform } from '../oci/index.ts';
import type { Reference } from '../reference/index.ts';
import { RegistryError, type RegistryClient, type Repo, type UploadMode } from '../registry/index.ts';
import { BlobMover } from './blobs.ts';
import { CopyError } from './errors.ts';
import type { BlobOutcome, CopyEvent, CopyObserver } from './events.ts';
import { planGraph, postOrder, type ManifestNode } from './plan.ts';

/**
 * What to do when the target refuses an index whose unselected platforms are absent
 * (distribution 2.8 answers `MANIFEST_BLOB_UNKNOWN`). See docs/adr/0002-sparse-index.md.
 * - `platforms`: keep the selected platform manifests, reachable by digest; write no tag; report it.
 * - `full`: copy the remaining platforms too, so the original index (and its digest) can be pushed.
 * - `fail`: stop with `SPARSE_INDEX_REJECTED`.
 * Rewriting the index into a new one with another digest is never done: a mirror must serve the digest pods run.
 */
export type SparseFallback = 'platforms' | 'full' | 'fail';

/** Options of one copy. */
export interface CopyOptions {
  /** Copy only these platforms of an index (plus their attestations); the index itself stays byte-exact. */
  platforms?: readonly Platform[];
  sparseFallback?: SparseFallback;
  observer?: CopyObserver;
  signal?: AbortSignal;
}

/** A manifest the copy handled. */
export interface CopiedManifest {
  digest: string;
  mediaType: string;
  platform?: string | undefined;
  outcome: 'exists' | 'pushed';
}

/** What a copy did. */
export interface CopyResult {
  source: string;
  target: string;
  /** Digest of the top manifest, identical at source and target. */
  digest: string;
  mediaType: string;
  /** The tag written (or found up to date), if the destination has one. */
  tag?: string | undefined;
  /** False when no tag was written: a digest-only destination, or a sparse index the target refused. */
  tagged: boolean;
  /** True when the target already had the image under that name: nothing was transferred. */
  upToDate: boolean;
  manifests: CopiedManifest[];
  blobs: { uploaded: number; mounted: number; existed: number; bytesUploaded: number };
  /** Set for platform-filtered copies of an index. */
  sparse?: { indexPushed: boolean; fallback: SparseFallback; omittedPlatforms: string[] };
  warnings: string[];
}

/** Shared machinery for many copies: clients, concurrency bounds, blob and manifest dedupe. */
export interface CopierOptions {
  source: RegistryClient;
  /** The client for destinations; the source client when omitted (same credentials). */
  target?: RegistryClient;
  /** Blob transfers in flight across all copies. */
  concurrency?: number;
  /** Manifest requests in flight while graphs are planned. */
  manifestConcurrency?: number;
  blobAttempts?: number;
  uploadMode?: UploadMode;
}

// What distribution and others answer when an index references manifests they do not have.
const SPARSE_REJECTION_CODES = new Set(['MANIFEST_BLOB_UNKNOWN', 'MANIFEST_UNKNOWN', 'BLOB_UNKNOWN', 'MANIFEST_INVALID']);

/**
 * Copies images between registries digest-exactly (ARCHITECTURE §2): manifests byte for byte,
 * verified while streaming; blobs, then child manifests by digest, then the index, then the tag.
 * One Copier serves many copies so blobs shared between them move once per target repository
 * and are mounted between repositories of the same target registry.
 */
export class Copier {
  readonly #source: RegistryClient;
  readonly #target: RegistryClient;
  readonly #blobs: BlobMover;
  readonly #manifestLimiter: Limiter;
  readonly #pushed = new OnceByKey<void>();

  constructor(opts: CopierOptions) {
    this.#source = opts.source;
    this.#target = opts.target ?? opts.source;
    this.#blobs = new BlobMover({ concurrency: opts.concurrency ?? 6, attempts: opts.blobAttempts ?? 3, uploadMode: opts.uploadMode ?? 'auto' });
    this.#manifestLimiter = new Limiter(opts.manifestConcurrency ?? 8);
  }

  /**
   * Copies `src` to `dst`. The destination tag is `dst`'s tag, else the source's tag; a digest-only
   * source with a tagless destination is pushed by digest only and never becomes `latest`.
   */
  async copy(src: Reference, dst: Reference, opts: CopyOptions = {}): Promise<CopyResult> {
    const emit: CopyObserver = opts.observer ?? (() => {});
    const { signal } = opts;
    const from: Repo = { registry: src.registry, repository: src.repository };
    const to: Repo = { registry: dst.registry, repository: dst.repository };
    const platforms = opts.platforms ?? [];
    const fallback = opts.sparseFallback ?? 'platforms';
    const tag = dst.tag ?? (dst.digest === undefined ? src.tag ?? (src.digest === undefined ? 'latest' : undefined) : undefined);
    const warnings: string[] = [];
    const warn = (code: string, message: string): void => {
      warnings.push(message);
      emit({ type: 'warning', code, message });
    };

    // 1. The source digest: free when pinned, else one HEAD (HEADs do not count against Docker Hub's pull limit).
    let digest = src.digest;
    if (digest === undefined) {
      const head = await this.#source.headManifest(from, src.tag ?? 'latest', signal);
      if (!head) throw new RegistryError({ status: 404, method: 'HEAD', url: src.toString(), code: 'MANIFEST_UNKNOWN', message: `${src.toString()}: no such manifest at the source` });
      digest = head.digest;
    }
    if (dst.digest !== undefined && dst.digest !== digest) {
      throw new CopyError('TARGET_DIGEST_CONFLICT', `destination ${dst.toString()} names digest ${dst.digest} but the source is ${digest}`);
    }

    // 2. HEAD the target: the same digest under the destination name means there is nothing to do.
    const current = await this.#target.headManifest(to, tag ?? digest, signal);
    const base = { source: src.toString(), target: dst.toString(), digest, tag, warnings };
    const empty = { uploaded: 0, mounted: 0, existed: 0, bytesUploaded: 0 };
    if (current?.digest === digest && platforms.length === 0) {
      return { ...base, mediaType: current.mediaType, tagged: tag !== undefined, upToDate: true, manifests: [{ digest, mediaType: current.mediaType, outcome: 'exists' }], blobs: empty };
    }

    // 3. Fetch the top manifest by digest (verified) and plan the graph.
    const top = await this.#source.getManifest(from, digest, signal);
    const ctx = { source: this.#source, target: this.#target, from, to, limiter: this.#manifestLimiter, signal };
    let graph = await planGraph(ctx, top, src.toString(), platforms);
    if (platforms.length > 0 && graph.kind === 'image') {
      warn('PLATFORM_IGNORED', `${src.toString()} is a single-platform image: --platform does not apply, the image is copied as it is`);
    }
    if (current?.digest === digest && graph.children.every((c) => c.present)) {
      return { ...base, mediaType: top.mediaType, tagged: tag !== undefined, upToDate: true, manifests: [{ digest, mediaType: top.mediaType, outcome: 'exists' }], blobs: empty };
    }
    this.#emitPlan(graph, src, dst, emit);

    // 4. Blobs and child manifests, children first.
    const tally = { ...empty };
    const manifests: CopiedManifest[] = [];
    const ship = async (node: ManifestNode): Promise<void> => {
      await this.#pushChildren(node, from, to, tally, manifests, emit, signal);
    };
    await ship(graph);

    // 5. The top manifest, under the tag (or by digest), last.
    const reference = tag ?? digest;
    let sparse: CopyResult['sparse'];
    const omitted = graph.omitted.filter((d) => !isAttestation(d)).map((d) => (d.platform ? formatPlatform(d.platform) : d.digest));
    try {
      await this.#target.putManifest(to, reference, top.bytes, top.mediaType, signal);
      if (graph.omitted.length > 0) sparse = { indexPushed: true, fallback, omittedPlatforms: omitted };
    } catch (err) {
      if (graph.omitted.length === 0 || !(err instanceof RegistryError) || !SPARSE_REJECTION_CODES.has(err.code)) throw err;
      const chosen = graph.children.map((c) => `${c.platform ? formatPlatform(c.platform) : '?'} ${c.digest}`).join(', ');
      if (fallback === 'fail') {
        throw new CopyError('SPARSE_INDEX_REJECTED', `${dst.toString()}: the target refused index ${digest} without its other platforms (${err.code}); copied by digest: ${chosen}`, { cause: err });
      }
      if (fallback === 'platforms') {
        warn('SPARSE_INDEX_REJECTED', `the target refused index ${digest} without its other platforms (${err.code}): the selected platforms are in ${to.registry}/${to.repository} by digest (${chosen}), but ${tag ? `tag ${tag} was not written` : 'the index is absent'}; use --sparse-fallback=full to copy every platform and keep the index digest`);
        return { ...base, mediaType: top.mediaType, tagged: false, upToDate: false, manifests, blobs: tally, sparse: { indexPushed: false, fallback, omittedPlatforms: omitted } };
      }
      // full: bring the remaining platforms, then the index goes in unchanged.
      warn('SPARSE_INDEX_REJECTED', `the target refused index ${digest} without its other platforms (${err.code}); copying the remaining platforms (${omitted.join(', ')}) to keep the index digest`);
      graph = await planGraph(ctx, top, src.toString());
      await ship(graph);
      await this.#target.putManifest(to, reference, top.bytes, top.mediaType, signal);
      sparse = { indexPushed: true, fallback, omittedPlatforms: [] };
    }
    manifests.push({ digest, mediaType: top.mediaType, outcome: 'pushed' });
    emit({ type: 'manifest-done', digest, mediaType: top.mediaType, outcome: 'pushed' });
    if (tag !== undefined) emit({ type: 'tag', tag, digest });
    return { ...base, mediaType: top.mediaType, tagged: tag !== undefined, upToDate: false, manifests, blobs: tally, ...(sparse ? { sparse } : {}) };
  }

  /** Everything below `node` into the target: blobs of images, then child manifests by digest. The node itself is not pushed. */
  async #pushChildren(node: ManifestNode, from: Repo, to: Repo, tally: CopyResult['blobs'], manifests: CopiedManifest[], emit: CopyObserver, signal: AbortSignal | undefined): Promise<void> {
    if (node.kind === 'image') {
      const outcomes = await Promise.all(
        node.blobs.map(async (blob) => {
          const outcome = await this.#blobs.ensure({ source: this.#source, target: this.#target, from, to, blob, observer: emit, signal });
          return { outcome, size: blob.size };
        }),
      );
      for (const { outcome, size } of outcomes) count(tally, outcome, size);
      return;
    }
    await Promise.all(
      node.children.map(async (child) => {
        const platform = child.platform ? formatPlatform(child.platform) : undefined;
        if (child.present) {
          manifests.push({ digest: child.digest, mediaType: child.mediaType, platform, outcome: 'exists' });
          emit({ type: 'manifest-done', digest: child.digest, mediaType: child.mediaType, platform: child.platform, outcome: 'exists' });
          return;
        }
        await this.#pushChildren(child, from, to, tally, manifests, emit, signal);
        const bytes = child.bytes;
        if (!bytes) throw new Error(`internal: manifest ${child.digest} was planned without its bytes`);
        await this.#pushed.do(`${to.registry}/${to.repository}@${child.digest}`, async () => {
          await this.#target.putManifest(to, child.digest, bytes, child.mediaType, signal);
        });
        manifests.push({ digest: child.digest, mediaType: child.mediaType, platform, outcome: 'pushed' });
        emit({ type: 'manifest-done', digest: child.digest, mediaType: child.mediaType, platform: child.platform, outcome: 'pushed' });
      }),
    );
  }

  #emitPlan(graph: ManifestNode, src: Reference, dst: Reference, emit: CopyObserver): void {
    const nodes = postOrder(graph);
    const blobs = new Map<string, number>();
    for (const n of nodes) for (const b of n.blobs) blobs.set(b.digest, b.size);
    let bytes = 0;
    for (const size of blobs.values()) bytes += size;
    const event: CopyEvent = { type: 'plan', source: src.toString(), target: dst.toString(), manifests: nodes.filter((n) => !n.present).length, blobs: blobs.size, bytes };
    emit(event);
  }
}

function count(tally: CopyResult['blobs'], outcome: BlobOutcome, size: number): void {
  if (outcome === 'uploaded') {
    tally.uploaded++;
    tally.bytesUploaded += size;
  } else if (outcome === 'mounted') tally.mounted++;
  else tally.existed++;
}
