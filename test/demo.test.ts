/**
 * The README's first command runs `demo/run.ts`; this runs it as that command does and reads its output, so the
 * demo cannot rot: it must exit 0, show the gaps before `sync`, none after, and every skopeo check `ok`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('the demo mirrors the example workload, verify finds no gap, skopeo confirms every digest', async () => {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'demo', 'run.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const out = Buffer.concat(chunks).toString('utf8');
  assert.equal(code, 0, out);
  assert.match(out, /3 running pods, 4 containers: 0 served by the mirror, 4 gaps/);
  assert.match(out, /3 running pods, 4 containers: 4 served by the mirror, 0 gaps/);
  assert.match(out, /4 objects, 3 images: 3 mirrored, 0 partial, 0 failed/);
  assert.equal((out.match(/already in the mirror/g) ?? []).length, 3, 'the second sync copies nothing');
  // The index, its 4 platform manifests and 2 attestations, and the two single-platform images.
  assert.equal((out.match(/^ok {2}/gm) ?? []).length, 9, out);
  assert.doesNotMatch(out, /^FAIL/m);
  assert.match(out, /Done: every digest the cluster runs is in the mirror, byte for byte/);
  assert.doesNotMatch(out, /s3cret-pass/, 'no credential in the demo output');
});
