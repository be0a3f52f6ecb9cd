/**
 * The container image without a container engine (none runs here): the Dockerfile is linted with dockerfile-utils,
 * its policy is checked on the parsed instructions (multi-stage, Node major = the project's, numeric non-root USER,
 * exec-form ENTRYPOINT, npm ci only, nothing of the dev tree in the image), then both stages are replayed step by
 * step (scripts/container/replay.ts: real COPYs through .dockerignore, the real `npm run build` and `npm prune`) and
 * the resulting root filesystem is run the way Kubernetes runs the image (scripts/container/run-rootfs.sh): the
 * ENTRYPOINT exactly as written, as PID 1, as uid 65532, on a read-only root with an emptyDir at /tmp. The controller
 * run there gets SIGTERM from outside its PID namespace, as the kubelet sends it, and must shut down cleanly.
 * Human-readable results (replay log, image config, staged tree, sizes, controller log) go to test-output/container/.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validate } from 'dockerfile-utils';
import { parseDockerfile, type Stage, type Step } from '../scripts/container/dockerfile.ts';
import { isIgnored, parseDockerignore } from '../scripts/container/dockerignore.ts';
import { DISTROLESS_NONROOT } from '../scripts/container/base-images.ts';
import { replayBuild, type ReplayResult } from '../scripts/container/replay.ts';
import { startKubeApiServer, type FakeKubeApiServer } from './support/kube-apiserver.ts';
import { freePort, waitUntil } from './support/net.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'test-output', 'container');
const RUN_ROOTFS = join(ROOT, 'scripts', 'container', 'run-rootfs.sh');
const DOCKERFILE = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
const model = parseDockerfile(DOCKERFILE);
const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
type LockEntry = { version?: string; dev?: boolean; optional?: boolean; devOptional?: boolean };
const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

const finalStage = (): Stage => model.stages.at(-1)!;
const steps = (stage: Stage, keyword: string): Step[] => stage.steps.filter((s) => s.keyword === keyword);
/** The major version in a semver range such as `^24.21.0` or `>=24`. */
const majorOf = (range: string): number => Number(/(\d+)/.exec(range)?.[1]);

describe('Dockerfile', () => {
  it('dockerfile-utils reports no problem', () => {
    const problems = validate(DOCKERFILE);
    assert.deepEqual(
      problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`),
      [],
    );
  });

  it('builds on the exact Node of the project and runs on distroless Node of the same major', () => {
    assert.ok(model.stages.length >= 2, 'multi-stage');
    const nodeMajor = majorOf(pkg.devDependencies['node']!);
    assert.equal(majorOf(pkg.engines.node), nodeMajor, 'engines and the node devDependency agree');
    const lockedNode = lock.packages['node_modules/node']?.version;
    const build = model.stages.find((s) => s.name === 'build');
    assert.ok(build, 'a stage named build');
    assert.equal(build.image, `node:${lockedNode}-bookworm-slim`, 'the build stage runs the Node version the lockfile pins');
    const runtime = /^gcr\.io\/distroless\/nodejs(\d+)-debian12:nonroot(@sha256:[0-9a-f]{64})?$/.exec(finalStage().image);
    assert.ok(runtime, `final stage on distroless Node, nonroot: ${finalStage().image}`);
    assert.equal(Number(runtime[1]), nodeMajor);
    for (const stage of model.stages) assert.match(stage.image, new RegExp(`^(node:${nodeMajor}\\.|gcr\\.io/distroless/nodejs${nodeMajor}-)`), `stage ${stage.index}`);
  });

  it('the image runs as a numeric non-root user and starts Node itself, in exec form, with the launcher\'s flags', async () => {
    const image = finalStage();
    const user = steps(image, 'USER').at(-1);
    assert.ok(user, 'the final stage sets USER');
    const m = /^(\d+):(\d+)$/.exec(user.args[0] ?? '');
    assert.ok(m, `numeric uid:gid, so runAsNonRoot can check it: ${user.args[0]}`);
    assert.equal(Number(m[1]), DISTROLESS_NONROOT.uid);
    assert.equal(Number(m[2]), DISTROLESS_NONROOT.gid);

    const entrypoints = steps(image, 'ENTRYPOINT');
    assert.equal(entrypoints.length, 1);
    const entrypoint = entrypoints[0]!.json;
    assert.ok(entrypoint, 'ENTRYPOINT in exec (JSON) form: no shell in between, Node gets the signals');
    // The flags bin/copycat's shebang gives Node (`#!/usr/bin/env -S node FLAGS`), and dist's CLI entry.
    const shebang = (await readFile(join(ROOT, 'bin', 'copycat'), 'utf8')).split('\n')[0]!;
    const launcherFlags = shebang.split(/\s+/).slice(shebang.split(/\s+/).indexOf('node') + 1);
    assert.ok(launcherFlags.includes('--max-semi-space-size=1'), shebang);
    assert.deepEqual(entrypoint, ['/nodejs/bin/node', ...launcherFlags, '/app/dist/cli/main.js']);
    assert.deepEqual(steps(image, 'CMD').at(-1)?.json, ['controller']);
    assert.deepEqual(steps(image, 'EXPOSE').flatMap((s) => s.args), ['8080', '8081']);
    assert.equal(steps(image, 'RUN').length, 0, 'distroless has no shell to RUN anything');
  });

  it('installs with npm ci from the lockfile, prunes devDependencies, and copies only dist, node_modules and package.json', () => {
    const runs = model.stages.flatMap((s) => steps(s, 'RUN')).map((s) => s.text);
    for (const text of runs) assert.doesNotMatch(text, /\bnpm\s+(install|i|add|update)\b/, `only npm ci: ${text}`);
    assert.ok(runs.some((t) => /^npm ci\b/.test(t)), runs.join('\n'));
    const build = model.stages.find((s) => s.name === 'build')!;
    const buildText = steps(build, 'RUN').map((s) => s.text).join('\n');
    assert.ok(buildText.indexOf('npm run build') >= 0 && buildText.indexOf('npm prune --omit=dev') > buildText.indexOf('npm run build'), buildText);
    const copies = steps(finalStage(), 'COPY');
    for (const c of copies) assert.equal(c.flags['from'], 'build', `the image copies only from the build stage: line ${c.line}`);
    assert.deepEqual(copies.flatMap((c) => c.args.slice(0, -1)).sort(), ['/app/dist', '/app/node_modules', '/app/package.json']);
  });

  it('labels the image with the package\'s metadata', () => {
    const labels = Object.fromEntries(steps(finalStage(), 'LABEL').flatMap((s) => s.properties));
    assert.deepEqual(labels, {
      'org.opencontainers.image.title': pkg.name,
      'org.opencontainers.image.description': pkg.description,
      'org.opencontainers.image.source': 'https://github.com/copycat-dev/copycat',
      'org.opencontainers.image.version': pkg.version,
      'org.opencontainers.image.licenses': pkg.license,
    });
  });
});

describe('.dockerignore', () => {
  it('matches as BuildKit does: per-segment globs, ** across folders, parents decide, last match wins', () => {
    const rules = parseDockerignore('# comment\n*.md\n!README.md\n**/*.log\n/build\n!build/keep\n');
    assert.equal(isIgnored(rules, 'a.md'), true);
    assert.equal(isIgnored(rules, 'README.md'), false);
    assert.equal(isIgnored(rules, 'docs/a.md'), false, '* does not cross a /');
    assert.equal(isIgnored(rules, 'x/y/z.log'), true);
    assert.equal(isIgnored(rules, 'z.log'), true, '** matches zero folders');
    assert.equal(isIgnored(rules, 'build/out/a.js'), true, 'a matching parent folder excludes its files');
    assert.equal(isIgnored(rules, 'build/keep'), false);
    assert.equal(isIgnored(rules, 'src/build'), false, 'patterns are anchored at the context root');
  });

  it('lets in what the build stage copies and keeps out everything else', () => {
    const rules = parseDockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/index.ts', 'src/cli/main.ts']) {
      assert.equal(isIgnored(rules, path), false, path);
    }
    for (const path of ['node_modules/typescript/package.json', 'dist/cli/main.js', '.git/HEAD', '.tmp/x', 'test-output/container/x', 'test/cli.test.ts', 'bench/run.ts', 'demo/run.ts', 'docs/configuration.md', 'scripts/test.sh', 'deploy/x.yaml', 'src/cli/format.test.ts', 'src/registry/auth/keychains/fake-helper.fixture.ts']) {
      assert.equal(isIgnored(rules, path), true, path);
    }
    for (const copy of steps(model.stages.find((s) => s.name === 'build')!, 'COPY')) {
      for (const src of copy.args.slice(0, -1)) {
        assert.ok(existsSync(join(ROOT, src)), `COPY source ${src} exists`);
        assert.equal(isIgnored(rules, src), false, `COPY source ${src} is in the context`);
      }
    }
  });
});

/** What one run of the image printed and how it ended. */
interface ImageRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('the image, built and run without a container engine', () => {
  let dir: string;
  let replay: ReplayResult;
  let emptyDir: string;
  let configDir: string;
  let lockfileBefore: string;
  const children = new Set<ChildProcess>();

  const hiddenLockfile = join(ROOT, 'node_modules', '.package-lock.json');
  const sha = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copycat-image-'));
    await mkdir(OUT, { recursive: true });
    lockfileBefore = await sha(hiddenLockfile);
    replay = await replayBuild(model, {
      context: ROOT,
      ignore: parseDockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8')),
      dir: join(dir, 'stages'),
      node: process.execPath,
      installedNodeModules: join(ROOT, 'node_modules'),
    });
    await writeFile(join(OUT, 'replay.log'), `${replay.log.join('\n')}\n`);
    await writeFile(join(OUT, 'image-config.json'), `${JSON.stringify(replay.image.config, null, 2)}\n`);
    // Kubernetes volumes: an emptyDir at /tmp (writable by the pod's user) and a ConfigMap-like /config (read-only).
    emptyDir = join(dir, 'volumes', 'tmp');
    configDir = join(dir, 'volumes', 'config');
    await mkdir(emptyDir, { recursive: true });
    await chmod(emptyDir, 0o1777);
    await mkdir(configDir, { recursive: true });
    await chmod(configDir, 0o755);
  });
  after(async () => {
    // Killing unshare alone would leave the command running (see run-rootfs.sh): kill the container's init first.
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      for (const init of containerInits(child)) process.kill(init, 'SIGKILL');
      child.kill('SIGKILL');
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs `argv` in the image's root filesystem as a container runtime would; see scripts/container/run-rootfs.sh. */
  function startInImage(argv: readonly string[], env: Record<string, string> = {}): { proc: ChildProcess; exited: Promise<ImageRun> } {
    const config = replay.image.config;
    assert.ok(config.user, 'the image sets USER');
    // The runtime's environment: the image's Env, HOME from the user's passwd entry, HOSTNAME; nothing of ours.
    const containerEnv = { ...config.env, HOME: DISTROLESS_NONROOT.home, HOSTNAME: 'copycat-0', ...env };
    // Kubernetes volumes: the emptyDir at /tmp, the ConfigMap-like /config read-only.
    const volumes = [`${emptyDir}:/tmp`, `${configDir}:/config:ro`].flatMap((v) => ['-v', v]);
    const proc = spawn('/bin/sh', [RUN_ROOTFS, ...volumes, '-w', config.workdir, '-u', config.user, replay.image.root, ...argv], { env: containerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    proc.stdout!.on('data', (c: Buffer) => out.push(c));
    proc.stderr!.on('data', (c: Buffer) => err.push(c));
    const exited = new Promise<ImageRun>((resolve, reject) => {
      proc.once('error', reject);
      proc.once('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    });
    return { proc, exited };
  }

  /** Starts the image with `args` as `docker run IMAGE ARGS` would: ENTRYPOINT + args, or + CMD when there are none. */
  function startImage(args: readonly string[], env: Record<string, string> = {}): { proc: ChildProcess; exited: Promise<ImageRun> } {
    const { entrypoint, cmd } = replay.image.config;
    assert.ok(entrypoint, 'the image sets ENTRYPOINT');
    return startInImage([...entrypoint, ...(args.length > 0 ? args : (cmd ?? []))], env);
  }

  const runImage = (args: readonly string[], env: Record<string, string> = {}): Promise<ImageRun> => startImage(args, env).exited;

  it('left the project\'s node_modules as it was (the replay copies it, never writes into it)', async () => {
    assert.equal(await sha(hiddenLockfile), lockfileBefore);
  });

  it('holds /app/{package.json,dist,node_modules} only, and node_modules has every production package and no devDependency', async () => {
    const app = join(replay.image.root, 'app');
    assert.deepEqual((await readdir(app)).sort(), ['dist', 'node_modules', 'package.json']);
    const distFiles = await readdir(join(app, 'dist'), { recursive: true });
    assert.ok(distFiles.includes(join('cli', 'main.js')));
    assert.deepEqual(distFiles.filter((f) => /\.test\.|\.fixture\.|(?<!\.d)\.ts$/.test(f)), [], 'no test, fixture or TypeScript source in dist');

    const missing: string[] = [];
    const shipped: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || entry.devOptional) continue;
      const present = existsSync(join(app, path));
      if (entry.dev && present) shipped.push(path);
      if (!entry.dev && !entry.optional && !present) missing.push(path);
    }
    assert.deepEqual(shipped, [], 'no package the lockfile marks dev-only is in the image');
    assert.deepEqual(missing, [], 'every production package is in the image');
    for (const name of ['typescript', 'node', 'playwright-core', 'kubernetes-models', '@kubernetes-models/prometheus-operator', '@aws-cdk/lambda-layer-kubectl-v34', 'dockerfile-utils', '@types/cli-progress']) {
      assert.equal(existsSync(join(app, 'node_modules', name)), false, `devDependency ${name} is not in the image`);
    }
    for (const name of Object.keys(pkg.dependencies)) assert.ok(existsSync(join(app, 'node_modules', name, 'package.json')), name);
    const strays: string[] = [];
    for (const entry of await readdir(join(app, 'node_modules'))) {
      const names = entry.startsWith('@') ? (await readdir(join(app, 'node_modules', entry))).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) if (!['.bin', '.package-lock.json'].includes(name) && !lock.packages[`node_modules/${name}`]) strays.push(name);
    }
    assert.deepEqual(strays, [], 'node_modules holds only lockfile packages (no caches or leftovers)');

    // For people: the tree, its size and what dominates it. devDependencies that ship anyway are production
    // dependencies of a dependency (the lockfile does not mark them dev).
    const alsoProduction = Object.keys(pkg.devDependencies).filter((n) => lock.packages[`node_modules/${n}`]?.dev !== true);
    const du = await captureText('du', ['-sk', '--apparent-size', join(app, 'node_modules'), join(app, 'dist')]);
    const perPackage = await captureText('sh', ['-c', 'cd "$1" && du -sk --apparent-size -- @*/* [!@]* | sort -rn | head -n 20', 'du', join(app, 'node_modules')]);
    await writeFile(
      join(OUT, 'staged-tree.txt'),
      [
        `# ${replay.image.root} (the image's /), from the replay of the Dockerfile`,
        await captureText('find', [replay.image.root, '-maxdepth', '3', '-not', '-path', '*/node_modules/*', '-printf', '%M %u:%g %10s %P\n']),
        '# sizes (KiB, apparent)',
        du,
        '# largest packages in node_modules (KiB)',
        perPackage,
        `# devDependencies present because a production package depends on them: ${alsoProduction.join(', ') || 'none'}`,
        '',
      ].join('\n'),
    );
  });

  it('runs in what Kubernetes gives the pod: PID 1, uid 65532, WORKDIR, read-only root and home, writable /tmp', async () => {
    const probe = `
      import { writeFileSync, rmSync } from 'node:fs';
      const tryWrite = (p) => { try { writeFileSync(p, 'x'); rmSync(p); return 'written'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({ pid: process.pid, uid: process.getuid(), gid: process.getgid(), cwd: process.cwd(), home: process.env.HOME,
        app: tryWrite('/app/probe'), root: tryWrite('/probe'), homeDir: tryWrite(process.env.HOME + '/probe'), tmp: tryWrite('/tmp/probe') }));`;
    const r = await startInImage([replay.image.config.entrypoint![0]!, '--input-type=module', '-e', probe]).exited;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { pid: 1, uid: 65532, gid: 65532, cwd: '/app', home: '/home/nonroot', app: 'EROFS', root: 'EROFS', homeDir: 'EROFS', tmp: 'written' });
  });

  it('runs its ENTRYPOINT there: --version and the help of every command', async () => {
    const version = await runImage(['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);

    const help = await runImage(['--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const command of ['copy', 'inspect', 'tags', 'sync', 'verify', 'controller']) assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'));
    const expected: Record<string, string> = { controller: '--leader-elect', copy: '--sparse-fallback', sync: '--dry-pull', verify: '--kubeconfig' };
    for (const [command, flag] of Object.entries(expected)) {
      const r = await runImage([command, '--help']);
      assert.equal(r.code, 0, `${command} --help: ${r.stderr}`);
      assert.ok(r.stdout.includes(flag), `${command} --help mentions ${flag}:\n${r.stdout}`);
    }
  });

  it('loads every module main.js imports lazily, and the library entry, with the image\'s Node and node_modules', async () => {
    const main = await readFile(join(replay.image.root, 'app', 'dist', 'cli', 'main.js'), 'utf8');
    const lazy = [...main.matchAll(/import\(['"](\.\/commands\/[\w-]+\.js)['"]\)/g)].map((m) => `/app/dist/cli/${m[1]!.slice(2)}`);
    assert.deepEqual(lazy.map((p) => p.split('/').at(-1)).sort(), ['controller.js', 'copy.js', 'inspect.js', 'sync.js', 'tags.js', 'verify.js']);
    const modules = ['/app/dist/index.js', ...lazy];
    const script = `for (const m of ${JSON.stringify(modules)}) await import(m); console.log('loaded', ${modules.length});`;
    const [node, ...flags] = replay.image.config.entrypoint!;
    const r = await startInImage([node!, ...flags.slice(0, -1), '--input-type=module', '-e', script]).exited;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `loaded ${modules.length}`);
  });

  it('builds the status page from the compiled dist: its inline script is the emitted JavaScript and parses', async () => {
    // The page embeds its client functions by their source text (src/server/status-page/page.ts); in the image
    // that text is tsc's output, so check the page built there, not the one built from src/.
    const script = [
      "const { statusPage } = await import('/app/dist/server/index.js');",
      "const { Script } = await import('node:vm');",
      'const { html } = statusPage();',
      "const code = html.match(/<script>([\\s\\S]*?)<\\/script>/)[1];",
      'new Script(code);',
      "console.log(code.includes('startStatusPage(window') ? 'page ok' : 'no start call', html.length);",
    ].join('\n');
    const [node, ...flags] = replay.image.config.entrypoint!;
    const r = await startInImage([node!, ...flags.slice(0, -1), '--input-type=module', '-e', script]).exited;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^page ok \d{4,}$/);
  });

  it('runs a real command: sync --dry-pull plans a mirror from a mounted manifest', async () => {
    await writeFile(
      join(configDir, 'pods.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: apps}\nspec:\n  containers: [{name: web, image: "nginx:1.27"}]\n',
    );
    await chmod(join(configDir, 'pods.yaml'), 0o644);
    const r = await runImage(['sync', '--dry-pull', '--target', 'mirror.example.com', '-f', '/config/pods.yaml', '--json']);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    await writeFile(join(OUT, 'sync-dry-pull.json'), r.stdout);
    assert.match(r.stdout, /mirror\.example\.com\/[^"]*nginx:1\.27/);
  });

  it('as PID 1 the controller (its CMD) shuts down cleanly on SIGTERM from outside, releasing its Lease', async (t) => {
    const api: FakeKubeApiServer = await startKubeApiServer();
    t.after(() => api.stop());
    const kubeconfig = await readFile(api.writeKubeconfig(), 'utf8');
    await writeFile(join(configDir, 'kubeconfig'), kubeconfig);
    await writeFile(join(configDir, 'config.yaml'), 'targetKind: docker\ndocker:\n  registry: mirror.example.com\n');
    for (const f of ['kubeconfig', 'config.yaml']) await chmod(join(configDir, f), 0o644);
    const [metricsPort, probePort] = await Promise.all([freePort(), freePort()]);
    assert.deepEqual(replay.image.config.cmd, ['controller']);
    // The CMD plus the flags a Deployment would add; CONFIG_PATH is left at its default /config/config.yaml.
    const { proc, exited } = startImage(['controller', `--metrics-bind-address=127.0.0.1:${metricsPort}`, `--health-probe-bind-address=127.0.0.1:${probePort}`], {
      KUBECONFIG: '/config/kubeconfig',
      POD_NAMESPACE: 'copycat',
    });
    let ended: ImageRun | undefined;
    void exited.then((r) => (ended = r));
    const gone = (): string | undefined => (ended ? `exited ${ended.code}: ${ended.stderr}${ended.stdout}` : undefined);
    const lease = (): Record<string, unknown> | undefined => api.get('coordination.k8s.io/v1', 'Lease', 'k8s-copycat.k8s-copycat', 'copycat')?.['spec'] as Record<string, unknown> | undefined;
    await waitUntil('/readyz', async () => (await fetch(`http://127.0.0.1:${probePort}/readyz`)).status === 200, { timeoutMs: 30_000, abortIf: gone });
    await waitUntil('the Lease is held', async () => typeof lease()?.['holderIdentity'] === 'string' && lease()!['holderIdentity'] !== '', { timeoutMs: 30_000, abortIf: gone });

    // The container's init, seen from the host: the only child of unshare; NSpid shows it is PID 1 inside.
    const inits = containerInits(proc);
    assert.equal(inits.length, 1, `one child of unshare: ${inits.join(' ')}`);
    const init = inits[0]!;
    const status = await readFile(`/proc/${init}/status`, 'utf8');
    assert.match(status, /^NSpid:\s+\d+\s+1$/m, 'PID 1 in its namespace');
    assert.match(status, new RegExp(`^Uid:\\s+${DISTROLESS_NONROOT.uid}\\s+${DISTROLESS_NONROOT.uid}\\s`, 'm'), 'runs as 65532');
    assert.match(await readFile(`/proc/${init}/cmdline`, 'utf8'), /^\/nodejs\/bin\/node\0--max-semi-space-size=1\0\/app\/dist\/cli\/main\.js\0controller\0/);

    // PID 1 gets only the signals it handles; without copycat's handler this SIGTERM would be dropped.
    process.kill(init, 'SIGTERM');
    const hang = setTimeout(() => process.kill(init, 'SIGKILL'), 30_000);
    const r = await exited;
    clearTimeout(hang);
    await writeFile(join(OUT, 'controller.log'), `${r.stdout}${r.stderr ? `\n# stderr\n${r.stderr}` : ''}`);
    assert.equal(r.signal, null, `ended by ${r.signal} (the 30 s guard fired: SIGTERM was not handled)`);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    const messages = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.ok(messages.includes('shutdown complete'), messages.join('\n'));
    assert.equal(lease()?.['holderIdentity'], '', 'the Lease was released for the next replica');
  });

  it('wrote nothing anywhere: the emptyDir at /tmp is still empty after every run', async () => {
    assert.deepEqual(await readdir(emptyDir), []);
  });
});

/** Host PIDs of the children of a run-rootfs.sh process (which became unshare): the container's init. */
function containerInits(proc: ChildProcess): number[] {
  try {
    const text = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return []; // already gone
  }
}

async function captureText(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`))));
  });
}
