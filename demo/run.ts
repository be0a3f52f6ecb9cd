/**
 * The self-contained demo (README: `bash scripts/demo.sh`): no cluster, no internet.
 *
 * 1. Starts an "upstream" registry with token auth (like Docker Hub) and a "mirror" registry with
 *    basic auth (like a private registry), both the real Debian `docker-registry` on loopback.
 * 2. Seeds upstream with a multi-arch image (4 platforms + BuildKit attestations) and two single-platform images.
 * 3. Fills in `demo/workload.yaml` (what `kubectl get pods,nodes -A -o yaml` prints) with upstream's address
 *    and the digests the kubelet would report, then runs the real `copycat` CLI as a user would:
 *    `verify` (the gaps), `sync` (mirror them), `sync` again (nothing to do), `verify` (no gaps).
 * 4. Stops upstream, as if it had deleted or rate-limited everything, and runs `verify` once more.
 * 5. Checks with skopeo, independently, that every manifest in the mirror hashes to its source digest.
 * 6. Stops everything it started and removes its temporary files.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushImage, pushMultiArchIndex, pushSchema2Image } from '../test/support/fixtures.ts';
import { startRegistry, type RunningRegistry } from '../test/support/registry.ts';
import { sha256, skopeoInspectRaw } from '../test/support/skopeo.ts';

const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'copycat');
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function step(title: string): void {
  process.stdout.write(`\n${bold(`== ${title}`)}\n`);
}

/**
 * Runs the copycat CLI as a user would, echoing the command and its output; returns the exit code and stdout.
 * Asynchronous on purpose: the upstream's token server lives in this process and must keep answering.
 */
async function copycat(args: string[], opts: { echo?: boolean } = {}): Promise<{ status: number; stdout: string }> {
  process.stdout.write(`$ copycat ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const out: Buffer[] = [];
  const all: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => {
    out.push(c);
    all.push(c);
  });
  child.stderr.on('data', (c: Buffer) => all.push(c));
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  if (opts.echo !== false) process.stdout.write(Buffer.concat(all));
  process.stdout.write(`(exit code ${status})\n`);
  return { status, stdout: Buffer.concat(out).toString('utf8') };
}

/** A docker `config.json` holding both registries' credentials, so no password is on a command line. */
function authfile(...registries: RunningRegistry[]): string {
  const auths = Object.fromEntries(registries.map((r) => [r.host, { auth: Buffer.from(`${r.username}:${r.password}`).toString('base64') }]));
  return `${JSON.stringify({ auths }, null, 2)}\n`;
}

/** The verify rows the demo reads back from `copycat verify --json`. */
interface VerifyJson {
  gaps: number;
  rows: Array<{ namespace: string; pod: string; container: string; image: string; digest?: string; mirror?: string; platform?: string; platformDigest?: string; state: string }>;
}

const started: RunningRegistry[] = [];
const dir = await mkdtemp(join(tmpdir(), 'copycat-demo-'));
const problems: string[] = [];
const expect = (ok: boolean, what: string): void => {
  if (!ok) problems.push(what);
};
try {
  step('Starting an upstream registry (token auth) and a mirror registry (basic auth) on loopback');
  const upstream = await startRegistry({ auth: 'token' });
  started.push(upstream);
  const mirror = await startRegistry({ auth: 'basic' });
  started.push(mirror);
  process.stdout.write(`upstream: ${upstream.host}\nmirror:   ${mirror.host}\n`);

  step('Seeding upstream: a multi-arch web app, an API image and a debug tool');
  const seed = { url: upstream.url, username: upstream.username, password: upstream.password };
  const [webapp, api, debug] = await Promise.all([
    pushMultiArchIndex(seed, 'library/webapp', { tag: '1.0', layers: [64 * 1024, 16 * 1024] }),
    pushImage(seed, 'team/payments-api', { tag: '2.3', platform: 'linux/amd64' }),
    pushSchema2Image(seed, 'tools/debug', { tag: '1.4', platform: 'linux/amd64' }),
  ]);
  process.stdout.write(`library/webapp:1.0        ${webapp.digest} (index: ${webapp.manifests.length} platforms, ${webapp.attestations.length} attestations)\n`);
  process.stdout.write(`team/payments-api:2.3     ${api.digest}\n`);
  process.stdout.write(`tools/debug:1.4           ${debug.digest}\n`);

  step('The cluster: demo/workload.yaml, filled in with upstream and the digests the kubelet reports');
  const values: Record<string, string> = { UPSTREAM: upstream.host, WEBAPP_DIGEST: webapp.digest, API_DIGEST: api.digest, DEBUG_DIGEST: debug.digest };
  const template = await readFile(join(here, 'workload.yaml'), 'utf8');
  const workload = join(dir, 'workload.yaml');
  await writeFile(workload, template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole));
  const auth = join(dir, 'auth.json');
  await writeFile(auth, authfile(upstream, mirror), { mode: 0o600 });
  process.stdout.write(`${workload}: 3 running pods on an amd64 and an arm64 node, 1 finished pod\n`);
  process.stdout.write(`${auth}: credentials for both registries (docker config format)\n`);
  process.stdout.write(`config (demo/config.yaml):\n${(await readFile(join(here, 'config.yaml'), 'utf8')).replace(/^/gm, '  ')}`);
  const common = ['-f', workload, '--config', join(here, 'config.yaml'), '--target', mirror.host, '--authfile', auth];

  step('Audit before mirroring: is every running container\'s digest in the mirror?');
  expect((await copycat(['verify', ...common])).status === 1, 'verify before sync should report gaps (exit 1)');

  step('Mirroring every image the workload runs, digest-exact');
  expect((await copycat(['sync', ...common])).status === 0, 'sync failed');

  step('Mirroring again: the mirror already has every digest, so nothing moves');
  expect((await copycat(['sync', ...common])).status === 0, 'second sync failed');

  step('Audit after mirroring');
  expect((await copycat(['verify', ...common])).status === 0, 'verify after sync found gaps');

  step('Upstream goes away (deleted, rate-limited, offline): the insurance copy still serves every pod');
  await upstream.stop();
  started.splice(started.indexOf(upstream), 1);
  const final = await copycat(['verify', ...common, '--json'], { echo: false });
  expect(final.status === 0, 'verify with upstream stopped found gaps');
  const report = JSON.parse(final.stdout) as VerifyJson;
  process.stdout.write(`${report.rows.length} containers checked, ${report.gaps} gaps\n`);

  step('Independent check with skopeo: every manifest in the mirror hashes to the digest upstream served');
  const skopeoCreds = { username: mirror.username, password: mirror.password };
  const checked = new Set<string>();
  const check = async (label: string, ref: string, digest: string): Promise<void> => {
    if (checked.has(ref)) return;
    checked.add(ref);
    const actual = sha256(await skopeoInspectRaw(ref, { creds: skopeoCreds }));
    expect(actual === digest, `${ref} hashes to ${actual}`);
    process.stdout.write(`${actual === digest ? 'ok  ' : 'FAIL'} ${label.padEnd(44)} ${ref}\n`);
  };
  for (const row of report.rows) {
    if (row.mirror === undefined || row.digest === undefined) {
      expect(false, `${row.namespace}/${row.pod} ${row.container}: no mirror reference (${row.state})`);
      continue;
    }
    await check(`${row.namespace}/${row.pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, '-…')} ${row.container}`, row.mirror, row.digest);
    if (row.image.includes('/library/webapp')) {
      const repo = row.mirror.slice(0, row.mirror.indexOf('@'));
      for (const m of webapp.manifests) await check(`  platform ${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ''}`, `${repo}@${m.digest}`, m.digest);
      for (const a of webapp.attestations) await check('  attestation', `${repo}@${a.digest}`, a.digest);
    }
  }

  step(problems.length === 0 ? 'Done: every digest the cluster runs is in the mirror, byte for byte' : `Done with ${problems.length} problem(s)`);
  for (const p of problems) process.stdout.write(`- ${p}\n`);
} finally {
  await Promise.all(started.map((r) => r.stop()));
  await rm(dir, { recursive: true, force: true });
}
process.exitCode = problems.length === 0 ? 0 : 1;
