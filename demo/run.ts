/**
 * The self-contained demo (README: `bash scripts/demo.sh`): no cluster, no internet.
 *
 * 1. Starts an "upstream" registry with token auth (like Docker Hub) and a "mirror" registry with
 *    basic auth (like a private registry), both the real Debian `docker-registry` on loopback.
 * 2. Seeds upstream with a multi-arch image (4 platforms + BuildKit attestations) under two tags.
 * 3. Runs the real `copycat` CLI: tags, copy, copy again (up to date), a platform-filtered copy, inspect.
 * 4. Checks with skopeo, independently, that every manifest in the mirror has its source digest.
 * 5. Stops everything it started.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pushMultiArchIndex, pushSchema2Image } from '../test/support/fixtures.ts';
import { startRegistry, type RunningRegistry } from '../test/support/registry.ts';
import { sha256, skopeoInspectRaw } from '../test/support/skopeo.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'copycat');
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function step(title: string): void {
  process.stdout.write(`\n${bold(`== ${title}`)}\n`);
}

/**
 * Runs the copycat CLI as a user would, echoing the command (credentials masked) and its output.
 * Asynchronous on purpose: the upstream's token server lives in this process and must keep answering.
 */
async function copycat(args: string[]): Promise<number> {
  const shown = args.map((a, i) => (args[i - 1]?.endsWith('creds') ? '<user>:<password>' : a)).join(' ');
  process.stdout.write(`$ copycat ${shown}\n`);
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => out.push(c));
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  process.stdout.write(Buffer.concat(out));
  process.stdout.write(`(exit code ${status})\n`);
  return status;
}

const creds = (r: RunningRegistry): string => `${r.username}:${r.password}`;

const started: RunningRegistry[] = [];
let failures = 0;
try {
  step('Starting an upstream registry (token auth) and a mirror registry (basic auth) on loopback');
  const upstream = await startRegistry({ auth: 'token' });
  started.push(upstream);
  const mirror = await startRegistry({ auth: 'basic' });
  started.push(mirror);
  process.stdout.write(`upstream: ${upstream.host}\nmirror:   ${mirror.host}\n`);

  step('Seeding upstream with a multi-arch image and a single-arch image');
  const seed = { url: upstream.url, username: upstream.username, password: upstream.password };
  const index = await pushMultiArchIndex(seed, 'library/webapp', { tag: '1.0', layers: [64 * 1024, 16 * 1024] });
  await pushMultiArchIndex(seed, 'library/webapp', { tag: 'latest', layers: [64 * 1024, 16 * 1024] });
  await pushSchema2Image(seed, 'tools/debug', { tag: '2.3', platform: 'linux/amd64' });
  process.stdout.write(`library/webapp:1.0 and :latest -> ${index.digest}\n`);

  step('Which tags are the same image?');
  await copycat(['tags', `${upstream.host}/library/webapp`, '--creds', creds(upstream)]);

  step('Mirroring the whole index, byte for byte');
  const src = `${upstream.host}/library/webapp:1.0`;
  const dst = `${mirror.host}/mirror/webapp:1.0`;
  const auth = ['--src-creds', creds(upstream), '--dest-creds', creds(mirror)];
  if (await copycat(['copy', src, dst, ...auth]) !== 0) failures++;

  step('Mirroring again: the target already has that digest, so nothing moves');
  if (await copycat(['copy', src, dst, ...auth]) !== 0) failures++;

  step('Mirroring only linux/arm64: distribution refuses a sparse index, copycat keeps the digest honest');
  await copycat(['copy', src, `${mirror.host}/mirror/webapp-arm64:1.0`, '--platform', 'linux/arm64', ...auth]);

  step('What the mirror serves');
  if (await copycat(['inspect', dst, '--creds', creds(mirror)]) !== 0) failures++;

  step('Independent check with skopeo: every manifest in the mirror hashes to its source digest');
  const skopeoCreds = { username: mirror.username, password: mirror.password };
  const manifests = [
    { name: 'index', digest: index.digest },
    ...index.manifests.map((m) => ({ name: `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ''}`, digest: m.digest })),
    ...index.attestations.map((a) => ({ name: 'attestation', digest: a.digest })),
  ];
  for (const m of manifests) {
    const raw = await skopeoInspectRaw(`${mirror.host}/mirror/webapp@${m.digest}`, { creds: skopeoCreds });
    const ok = sha256(raw) === m.digest;
    if (!ok) failures++;
    process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${m.name.padEnd(12)} ${m.digest}\n`);
  }
  const tagged = sha256(await skopeoInspectRaw(dst, { creds: skopeoCreds }));
  process.stdout.write(`${tagged === index.digest ? 'ok  ' : 'FAIL'} ${'tag 1.0'.padEnd(12)} ${tagged}\n`);
  if (tagged !== index.digest) failures++;

  step(failures === 0 ? 'Done: every digest in the mirror matches upstream' : `Done with ${failures} problem(s)`);
} finally {
  await Promise.all(started.map((r) => r.stop()));
}
process.exitCode = failures === 0 ? 0 : 1;
