// Test-only loader for shared/testdata/real-manifests.json (see its README.md). Not exported from index.ts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One recorded document: its exact bytes (as a UTF-8 string) plus what is known about them. */
export interface RealManifest {
  source: string;
  kind: string;
  mediaType: string | null;
  guessedMediaType?: string;
  size: number;
  sha256: string;
  statedManifestDigest?: string;
  schema1PayloadSha256?: string;
  artifactType?: string;
  subject?: { mediaType: string; digest: string; size: number };
  raw: string;
}

/** Absolute path of the shared test data; the repo clone has `shared/` beside it (`/work/main` ↔ `/work/shared`). */
export const REAL_MANIFESTS_PATH = resolve(import.meta.dirname, '../../../shared/testdata/real-manifests.json');

/** Every recorded document, in file order. */
export function loadRealManifests(): RealManifest[] {
  const parsed = JSON.parse(readFileSync(REAL_MANIFESTS_PATH, 'utf8')) as { count: number; documents: RealManifest[] };
  if (parsed.documents.length !== parsed.count) {
    throw new Error(`${REAL_MANIFESTS_PATH}: count says ${parsed.count} but there are ${parsed.documents.length} documents`);
  }
  return parsed.documents;
}

/** The exact bytes of a recorded document. */
export function bytesOf(doc: RealManifest): Uint8Array {
  return new Uint8Array(Buffer.from(doc.raw, 'utf8'));
}

/** The recorded document whose sha256 starts with `prefix` (after `sha256:`); throws when not exactly one matches. */
export function byDigestPrefix(docs: RealManifest[], prefix: string): RealManifest {
  const found = docs.filter((d) => d.sha256.startsWith(`sha256:${prefix}`));
  if (found.length !== 1) throw new Error(`expected one document with digest prefix ${prefix}, found ${found.length}`);
  return found[0] as RealManifest;
}
