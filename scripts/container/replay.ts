/**
 * Replays a Dockerfile without a container engine, step by step as written, so a test can check the image the
 * Dockerfile describes: each stage gets a directory standing for its root filesystem; WORKDIR, ENV, COPY (from the
 * context through `.dockerignore`, or `--from` an earlier stage) act on it; RUN runs on this machine in the mapped
 * WORKDIR, with the project's Node 24 standing in for the base image's. Two substitutions, both stated in the log:
 * `npm ci` is a copy of the project's `node_modules` (checked against the lockfile first: no network), and a base
 * image is an emulation of its few files that matter (base-images.ts). Any instruction or form it does not
 * model is an error, so a Dockerfile change cannot slip past the replay.
 */
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import type { DockerfileModel, Stage, Step } from './dockerfile.ts';
import { emulateBase } from './base-images.ts';
import { isIgnored, type IgnoreRule } from './dockerignore.ts';
import { run } from './process.ts';

/** What the final image would be configured with (the OCI image config's fields that matter here). */
export interface ImageConfig {
  env: Record<string, string>;
  /** `USER` as written (`65532:65532`), undefined when none. */
  user: string | undefined;
  workdir: string;
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  exposed: string[];
  labels: Record<string, string>;
}

/** Options of {@link replayBuild}. */
export interface ReplayOptions {
  /** The build context (the repository root). */
  context: string;
  /** The context's `.dockerignore` rules. */
  ignore: readonly IgnoreRule[];
  /** An empty directory: stage `i`'s root filesystem becomes `dir/stage-i`. */
  dir: string;
  /** The Node binary standing in for the base images' Node (the project's Node 24). */
  node: string;
  /** The `node_modules` that `npm ci` would produce: the project's own, installed from the same lockfile. */
  installedNodeModules: string;
}

/** One replayed stage. */
export interface ReplayedStage {
  stage: Stage;
  /** Directory standing for the stage's `/`. */
  root: string;
  config: ImageConfig;
}

/** What {@link replayBuild} produced. */
export interface ReplayResult {
  stages: ReplayedStage[];
  /** The last stage: the image. */
  image: ReplayedStage;
  /** One line per step: what was done and, where something stood in for the real thing, what. */
  log: string[];
}

/** Replays every stage of `model` in order and returns each stage's root filesystem and image config. */
export async function replayBuild(model: DockerfileModel, options: ReplayOptions): Promise<ReplayResult> {
  const log: string[] = [];
  const done: ReplayedStage[] = [];
  for (const stage of model.stages) {
    const root = join(options.dir, `stage-${stage.index}`);
    const base = await emulateBase(stage.image, root, options.node);
    log.push(`FROM ${stage.image}${stage.name ? ` AS ${stage.name}` : ''}: ${base.note}`);
    const config: ImageConfig = { env: { ...base.env }, user: base.user, workdir: base.workdir, entrypoint: base.entrypoint, cmd: undefined, exposed: [], labels: {} };
    const stageArgs: Record<string, string> = {};
    let cmdSet = false;
    for (const step of stage.steps) {
      const where = `Dockerfile line ${step.line}: ${step.keyword}`;
      // Only a RUN's shell expands variables here; elsewhere BuildKit would substitute them, which is not modelled.
      if (step.keyword !== 'RUN' && /\$/.test(step.text)) throw new Error(`${where}: the replay does not model variables outside RUN`);
      switch (step.keyword) {
        case 'WORKDIR':
          config.workdir = posix.resolve(config.workdir, one(step, where));
          await mkdir(join(root, config.workdir), { recursive: true });
          break;
        case 'ENV':
          for (const [k, v] of step.properties) config.env[k] = v ?? '';
          break;
        case 'ARG':
          for (const [k, v] of step.properties) stageArgs[k] = v ?? model.args.get(k) ?? '';
          break;
        case 'LABEL':
          for (const [k, v] of step.properties) config.labels[k] = v ?? '';
          break;
        case 'USER':
          config.user = one(step, where);
          break;
        case 'EXPOSE':
          config.exposed.push(...step.args);
          break;
        case 'ENTRYPOINT':
          config.entrypoint = step.json ?? ['/bin/sh', '-c', step.text];
          // As BuildKit does: ENTRYPOINT drops a CMD inherited from the base image, not one this stage set.
          if (!cmdSet) config.cmd = undefined;
          break;
        case 'CMD':
          config.cmd = step.json ?? ['/bin/sh', '-c', step.text];
          cmdSet = true;
          break;
        case 'COPY':
          log.push(`${where} ${await replayCopy(step, where, root, config.workdir, done, options)}`);
          break;
        case 'RUN':
          if (!base.runsOnHost) throw new Error(`${where}: the base image ${stage.image} has no shell to run it`);
          log.push(`${where} ${await replayRun(step, where, root, config.workdir, { ...config.env, ...stageArgs }, options)}`);
          break;
        default:
          throw new Error(`${where}: the replay does not model this instruction (extend scripts/container/replay.ts)`);
      }
    }
    done.push({ stage, root, config });
  }
  const image = done.at(-1);
  if (!image) throw new Error('replay: the Dockerfile has no stage');
  return { stages: done, image, log };
}

function one(step: Step, where: string): string {
  if (step.args.length !== 1) throw new Error(`${where}: expected one argument, got ${JSON.stringify(step.args)}`);
  return step.args[0]!;
}

/** COPY: from the context through .dockerignore, or `--from` an earlier stage's filesystem. */
async function replayCopy(step: Step, where: string, root: string, workdir: string, done: readonly ReplayedStage[], options: ReplayOptions): Promise<string> {
  const { from, ...other } = step.flags;
  if (Object.keys(other).length > 0) throw new Error(`${where}: the replay does not model the flags ${Object.keys(other).join(', ')}`);
  if (step.json !== undefined) throw new Error(`${where}: the replay does not model the JSON form of COPY`);
  if (step.args.length < 2) throw new Error(`${where}: needs a source and a destination`);
  const sources = step.args.slice(0, -1);
  const destArg = step.args.at(-1)!;
  const dest = posix.resolve(workdir, destArg);
  const intoDir = destArg.endsWith('/') || sources.length > 1;
  let fromRoot: string | undefined;
  if (from !== undefined && from !== null) {
    const source = done.find((d) => d.stage.name === from || String(d.stage.index) === from);
    if (!source) throw new Error(`${where}: --from=${from} is not an earlier stage`);
    fromRoot = source.root;
  }
  let files = 0;
  for (const src of sources) {
    if (/[*?[]/.test(src)) throw new Error(`${where}: the replay does not model wildcards ("${src}")`);
    const rel = posix.normalize(src.replace(/^\/+/, '')) || '.';
    if (rel === '..' || rel.startsWith('../')) throw new Error(`${where}: "${src}" is outside the ${fromRoot ? 'stage' : 'context'}`);
    const abs = join(fromRoot ?? options.context, rel);
    if (!existsSync(abs)) throw new Error(`${where}: "${src}" does not exist in the ${fromRoot ? `stage ${from}` : 'context'}`);
    const isDir = statSync(abs).isDirectory();
    const target = join(root, isDir || !(intoDir || isExistingDir(join(root, dest))) ? dest : posix.join(dest, basename(rel)));
    if (fromRoot) {
      // A stage's files go over whole, owner root (no --chown), modes kept: cp -a as root does that.
      await mkdir(isDir ? target : dirname(target), { recursive: true });
      await run('cp', ['-a', '--reflink=auto', isDir ? `${abs}/.` : abs, target]);
      files += isDir ? await countFiles(target) : 1;
    } else {
      files += await copyFromContext(options, rel, abs, isDir, target, where);
    }
  }
  return `${sources.join(' ')} -> ${dest}${from ? ` (from ${from})` : ''}: ${files} files`;
}

function isExistingDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Copies the context's `rel` to `target`, leaving out what .dockerignore excludes; an excluded source is an error. */
async function copyFromContext(options: ReplayOptions, rel: string, abs: string, isDir: boolean, target: string, where: string): Promise<number> {
  if (!isDir) {
    if (isIgnored(options.ignore, rel)) throw new Error(`${where}: "${rel}" is excluded by .dockerignore, so the build cannot see it`);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(abs, target);
    return 1;
  }
  let n = 0;
  for (const entry of await readdir(abs, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) {
      if (entry.isSymbolicLink()) throw new Error(`${where}: the replay does not model symlinks in the context (${join(entry.parentPath, entry.name)})`);
      continue;
    }
    const full = join(entry.parentPath, entry.name);
    const inContext = relative(options.context, full).split('\\').join('/');
    if (isIgnored(options.ignore, inContext)) continue;
    const out = join(target, relative(abs, full));
    await mkdir(dirname(out), { recursive: true });
    await copyFile(full, out); // keeps the mode, as COPY does
    n++;
  }
  if (n === 0) throw new Error(`${where}: every file of "${rel}" is excluded by .dockerignore`);
  return n;
}

/** Flags of `npm ci` that change nothing about which packages land in node_modules. */
const NEUTRAL_NPM_CI_FLAGS = new Set(['--ignore-scripts', '--no-audit', '--no-fund']);

/** RUN: `npm ci` becomes a checked copy of the installed tree; anything else runs with `/bin/sh -c` here. */
async function replayRun(step: Step, where: string, root: string, workdir: string, env: Record<string, string>, options: ReplayOptions): Promise<string> {
  if (step.json !== undefined) throw new Error(`${where}: the replay does not model the exec form of RUN`);
  if (Object.keys(step.flags).length > 0) throw new Error(`${where}: the replay does not model RUN flags (${Object.keys(step.flags).join(', ')})`);
  const cwd = join(root, workdir);
  const words = step.text.trim().split(/\s+/);
  if (words[0] === 'npm' && words[1] === 'ci') {
    const odd = words.slice(2).filter((w) => !NEUTRAL_NPM_CI_FLAGS.has(w));
    if (odd.length > 0) throw new Error(`${where}: the replay stands in for "npm ci" with the installed tree and cannot model ${odd.join(' ')}`);
    const packages = await checkInstalledMatchesLockfile(options.installedNodeModules, join(cwd, 'package-lock.json'));
    // Only what npm ci creates: the packages, their .bin links and npm's record; not tools' caches (.cache) or strays.
    const top = new Set(['.bin', '.package-lock.json']);
    for (const path of packages) top.add(/^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path);
    const left: string[] = [];
    await mkdir(join(cwd, 'node_modules'), { recursive: true });
    for (const entry of await readdir(options.installedNodeModules, { withFileTypes: true })) {
      const names = entry.name.startsWith('@') && entry.isDirectory() ? (await readdir(join(options.installedNodeModules, entry.name))).map((n) => `${entry.name}/${n}`) : [entry.name];
      for (const name of names) {
        if (!top.has(name)) {
          left.push(name);
          continue;
        }
        await mkdir(dirname(join(cwd, 'node_modules', name)), { recursive: true });
        await run('cp', ['-a', '--reflink=auto', join(options.installedNodeModules, name), join(cwd, 'node_modules', name)]);
      }
    }
    const skipped = left.length > 0 ? `; left out what npm ci does not make: ${left.join(', ')}` : '';
    return `${step.text}: stood in for by a copy of ${options.installedNodeModules} (installed from the same lockfile)${skipped}`;
  }
  const started = Date.now();
  const home = join(options.dir, 'run-home');
  await mkdir(home, { recursive: true });
  // npm must not reach the registry: the replay proves the step needs nothing that is not already installed.
  const runEnv = { ...env, HOME: home, npm_config_cache: join(home, '.npm'), npm_config_offline: 'true', npm_config_update_notifier: 'false' };
  await run('/bin/sh', ['-c', step.text], { cwd, env: runEnv });
  return `${step.text}: ran in ${cwd} (${((Date.now() - started) / 1000).toFixed(1)} s, offline)`;
}

/**
 * The copy is what `npm ci` makes from the lockfile when npm's record of the tree (`node_modules/.package-lock.json`)
 * lists exactly the lockfile's packages with the same versions and integrity; a lockfile package may be missing
 * only when optional (another platform's binary). Returns the installed package paths (`node_modules/a/node_modules/b`).
 */
async function checkInstalledMatchesLockfile(nodeModules: string, lockfile: string): Promise<string[]> {
  type Packages = Record<string, Record<string, unknown>>;
  const lock = (JSON.parse(await readFile(lockfile, 'utf8')) as { packages: Packages }).packages;
  const hidden = (JSON.parse(await readFile(join(nodeModules, '.package-lock.json'), 'utf8')) as { packages: Packages }).packages;
  const stale: string[] = [];
  for (const [path, entry] of Object.entries(hidden)) if (JSON.stringify(entry) !== JSON.stringify(lock[path])) stale.push(path);
  for (const [path, entry] of Object.entries(lock)) if (path !== '' && !(path in hidden) && entry['optional'] !== true && entry['devOptional'] !== true) stale.push(path);
  if (stale.length > 0) throw new Error(`replay: ${nodeModules} was not installed from ${lockfile} (differs at ${stale.slice(0, 5).join(', ')}); run npm ci`);
  return Object.keys(hidden);
}

async function countFiles(dir: string): Promise<number> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
}
