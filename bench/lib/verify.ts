/**
 * Post-run checks: a timed run only counts when the destination really serves the source digest, so a
 * tool that silently did nothing can never look fast.
 */
import { fetchManifest, type PushTarget } from '../../test/support/push-client.ts';

/** Throws unless `repo:tag` on `registry` resolves to `digest` (GET with every manifest media type accepted). */
export async function expectTag(registry: PushTarget, repo: string, tag: string, digest: string): Promise<void> {
  const got = await fetchManifest(registry, repo, tag);
  if (got.digest !== digest) throw new Error(`${registry.url}/${repo}:${tag} is ${String(got.digest)}, expected ${digest}`);
}

/** Throws unless the blob is served with exactly `size` bytes (HEAD). */
export async function expectBlob(registry: PushTarget, repo: string, digest: string, size: number): Promise<void> {
  const res = await fetch(`${registry.url}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  const length = Number(res.headers.get('content-length'));
  if (res.status !== 200 || length !== size) throw new Error(`${registry.url}/${repo}@${digest}: HEAD answered ${res.status}, length ${length}, expected 200 and ${size}`);
}
