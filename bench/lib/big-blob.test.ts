import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBlob } from '../../test/support/blobs.ts';
import { sha256 } from '../../test/support/push-client.ts';
import { startRegistry } from '../../test/support/registry.ts';
import { deterministicDigest, deterministicStream, pushBlobStream } from './big-blob.ts';

async function collect(size: number, seed: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of deterministicStream(size, seed)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

test('the stream yields exactly randomBlob(size, seed), across chunk boundaries', async () => {
  const size = 2 * 1024 * 1024 + 17;
  const streamed = await collect(size, 'seed-a');
  assert.equal(streamed.length, size);
  assert.ok(streamed.equals(randomBlob(size, 'seed-a')));
  assert.equal(await deterministicDigest(size, 'seed-a'), sha256(streamed));
  assert.notEqual(await deterministicDigest(size, 'seed-b'), sha256(streamed));
});

test('pushBlobStream stores the streamed bytes under their digest', async () => {
  await using registry = await startRegistry();
  const size = 3 * 1024 * 1024 + 5;
  const digest = await deterministicDigest(size, 'push');
  await pushBlobStream(registry, 'big/blob', digest, () => deterministicStream(size, 'push'));
  const res = await fetch(`${registry.url}/v2/big/blob/blobs/${digest}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200);
  assert.equal(sha256(bytes), digest);
  assert.equal(bytes.length, size);
});
