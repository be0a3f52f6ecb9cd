/**
 * Assertions about what a target registry holds, made with tools that share no code with copycat:
 * skopeo (the independent oracle of ARCHITECTURE §5) and the test-support fetch client.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageFixture, IndexFixture } from '../support/fixtures.ts';
import { ACCEPT_ALL_MANIFESTS, blobExists, fetchManifest, registryFetch, type PushTarget } from '../support/push-client.ts';
import { sha256, skopeoCopy, skopeoInspectRaw } from '../support/skopeo.ts';
import type { RegistryAccess } from './engine.ts';

/** Any pushed fixture: a single image or an index (possibly nested). */
export type GraphFixture = ImageFixture | IndexFixture;

function isIndex(fx: GraphFixture): fx is IndexFixture {
  return 'manifests' in fx;
}

/** Every manifest below `fx` (not `fx` itself), with the exact bytes pushed; children of nested indexes included. */
export function childManifests(fx: GraphFixture): Array<{ digest: string; raw: Buffer }> {
  if (!isIndex(fx)) return [];
  const out: Array<{ digest: string; raw: Buffer }> = [];
  for (const inner of fx.indexes) out.push({ digest: inner.digest, raw: inner.raw }, ...childManifests(inner));
  for (const m of [...fx.manifests, ...fx.attestations]) out.push({ digest: m.digest, raw: m.raw });
  return out;
}

/** Every blob (configs and layers) the graph of `fx` references. */
export function blobsOf(fx: GraphFixture): Array<{ digest: string; size: number }> {
  if (!isIndex(fx)) return [fx.config, ...fx.layers].map((b) => ({ digest: b.digest, size: b.size }));
  return [...fx.indexes, ...fx.manifests, ...fx.attestations].flatMap(blobsOf);
}

/** The fetch-client view of a registry access. */
export function pushTarget(access: RegistryAccess): PushTarget {
  return { url: `http://${access.host}`, ...(access.username !== undefined ? { username: access.username, password: access.password ?? '' } : {}) };
}

/** Runs `fn` over `items`, `limit` at a time. */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Options of {@link assertMirrored}. */
export interface MirroredOptions {
  /** Also read the whole image back with `skopeo copy --all` into a `dir:` (default true). */
  readBack?: boolean;
}

/**
 * The target serves the fixture digest-exactly: `skopeo inspect --raw` of the top manifest (by `tag`,
 * else by digest) and of every child manifest by digest returns the very bytes pushed at the source,
 * and `skopeo copy --all docker://… dir:…` reads the whole graph back under the same top digest.
 */
export async function assertMirrored(target: RegistryAccess, repo: string, tag: string | undefined, fx: GraphFixture, opts: MirroredOptions = {}): Promise<void> {
  const creds = { username: target.username, password: target.password };
  const top = `${target.host}/${repo}${tag !== undefined ? `:${tag}` : `@${fx.digest}`}`;
  const checks = [{ ref: top, digest: fx.digest, raw: fx.raw }, ...childManifests(fx).map((c) => ({ ref: `${target.host}/${repo}@${c.digest}`, ...c }))];
  await eachLimit(checks, 4, async (c) => {
    const served = await skopeoInspectRaw(c.ref, { creds });
    assert.equal(sha256(served), c.digest, `skopeo inspect --raw ${c.ref}`);
    assert.ok(served.equals(c.raw), `${c.ref} is served byte for byte as pushed at the source`);
  });
  if (opts.readBack ?? true) await readBack(creds, top, `${target.host}/${repo}`, fx);
}

/**
 * `skopeo copy --all --preserve-digests docker://… dir:…` of `fx`: the top manifest written is the
 * source's, and every blob of the graph arrived. skopeo 1.9 cannot copy an index whose child is an
 * index ("Unexpectedly received a manifest list instead of a manifest for a single image"), so a
 * nested index is read back one child at a time, by digest.
 */
async function readBack(creds: { username?: string | undefined; password?: string | undefined }, ref: string, name: string, fx: GraphFixture): Promise<void> {
  if (isIndex(fx) && fx.indexes.length > 0) {
    for (const child of [...fx.indexes, ...fx.manifests, ...fx.attestations]) await readBack(creds, `${name}@${child.digest}`, name, child);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'copycat-readback-'));
  try {
    await skopeoCopy(ref, `dir:${dir}`, { srcCreds: creds });
    assert.equal(sha256(await readFile(join(dir, 'manifest.json'))), fx.digest, `skopeo copy --all ${ref} kept the digest`);
    const files = new Set(await readdir(dir));
    for (const blob of blobsOf(fx)) assert.ok(files.has(blob.digest.slice('sha256:'.length)), `skopeo read blob ${blob.digest} of ${ref}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function manifestStatus(target: RegistryAccess, repo: string, reference: string): Promise<number> {
  const res = await registryFetch(pushTarget(target), `/v2/${repo}/manifests/${reference}`, {
    method: 'HEAD',
    scope: `repository:${repo}:pull`,
    headers: { accept: ACCEPT_ALL_MANIFESTS },
  });
  await res.arrayBuffer();
  return res.status;
}

/** `HEAD /v2/<repo>/manifests/<tag or digest>` answers 404 (nothing partial is visible under that name). */
export async function assertManifestAbsent(target: RegistryAccess, repo: string, reference: string): Promise<void> {
  assert.equal(await manifestStatus(target, repo, reference), 404, `${target.host}/${repo} must not have ${reference}`);
}

/** `HEAD /v2/<repo>/manifests/<digest>` answers 200. */
export async function assertManifestPresent(target: RegistryAccess, repo: string, reference: string): Promise<void> {
  assert.equal(await manifestStatus(target, repo, reference), 200, `${target.host}/${repo} must have ${reference}`);
}

/** `HEAD /v2/<repo>/blobs/<digest>` answers 404. */
export async function assertBlobAbsent(target: RegistryAccess, repo: string, digest: string): Promise<void> {
  assert.equal(await blobExists(pushTarget(target), repo, digest), false, `${target.host}/${repo} must not have blob ${digest}`);
}

/** The target serves `raw` byte for byte under `reference` (read with the test-support fetch client, not skopeo). */
export async function assertManifestServed(target: RegistryAccess, repo: string, reference: string, fx: { raw: Buffer; digest: string }): Promise<void> {
  const served = await fetchManifest(pushTarget(target), repo, reference);
  assert.ok(served.raw.equals(fx.raw), `${target.host}/${repo}:${reference} is served byte for byte`);
  assert.equal(served.digest, fx.digest);
}

/** Every blob of `fx` downloads from the target with the right digest (read with the test-support fetch client). */
export async function assertBlobsServed(target: RegistryAccess, repo: string, fx: GraphFixture): Promise<void> {
  for (const blob of blobsOf(fx)) {
    const res = await registryFetch(pushTarget(target), `/v2/${repo}/blobs/${blob.digest}`, { scope: `repository:${repo}:pull` });
    assert.equal(res.status, 200, `GET ${repo} blob ${blob.digest}`);
    assert.equal(sha256(Buffer.from(await res.arrayBuffer())), blob.digest);
  }
}

/** The repositories of a registry without auth (`GET /v2/_catalog`): what was ever written to it. */
export async function catalog(target: RegistryAccess): Promise<string[]> {
  const res = await registryFetch(pushTarget(target), '/v2/_catalog?n=1000');
  assert.equal(res.status, 200);
  return ((await res.json()) as { repositories: string[] }).repositories;
}
