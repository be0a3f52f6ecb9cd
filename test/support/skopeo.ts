/**
 * skopeo as the independent oracle: it reads what copycat wrote and must agree on every digest.
 *
 * Every call talks plain HTTP to loopback registries (`--tls-verify=false`) and is hermetic about
 * credentials: it passes `--creds`/`--src-creds`/`--dest-creds` when given credentials and
 * `--no-creds` (or the src/dest variants) otherwise, so no auth file on the machine is consulted.
 */
import { execFile } from 'node:child_process';

export { sha256 } from './push-client.ts';

/** Credentials; `{ username: undefined }` (e.g. a no-auth registry object) means anonymous. */
export interface SkopeoCreds {
  username?: string | undefined;
  password?: string | undefined;
}

/** Options shared by the skopeo helpers. */
export interface SkopeoCommonOptions {
  /** Default false: the test registries speak plain HTTP. */
  tlsVerify?: boolean;
  /** Kill skopeo after this long (default 120 000 ms). */
  timeoutMs?: number;
}

/** skopeo exited non-zero (or could not run); carries its arguments, exit code and stderr. */
export class SkopeoError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number | string | null;
  readonly stderr: string;

  constructor(args: readonly string[], exitCode: number | string | null, stderr: string, cause?: unknown) {
    const hint = exitCode === 'ENOENT' ? ' (skopeo is not installed: run scripts/ensure-system-deps.sh)' : '';
    super(`skopeo ${redactArgs(args).join(' ')} failed (exit ${String(exitCode)})${hint}: ${stderr.trim()}`, { cause });
    this.name = 'SkopeoError';
    this.args = redactArgs(args);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

const CRED_FLAGS = new Set(['--creds', '--src-creds', '--dest-creds']);

/** Hides passwords in `--creds user:pass` style arguments. */
function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    if (i > 0 && CRED_FLAGS.has(args[i - 1]!)) return arg.replace(/:.*$/, ':***');
    const inline = /^(--(?:src-|dest-)?creds=)([^:]*):.*$/.exec(arg);
    return inline ? `${inline[1]}${inline[2]}:***` : arg;
  });
}

const TRANSPORT = /^(docker:\/\/|oci:|oci-archive:|dir:|docker-archive:|containers-storage:|docker-daemon:)/;

/** Adds `docker://` to a bare `host/repo[:tag|@digest]` reference. */
export function dockerRef(ref: string): string {
  return TRANSPORT.test(ref) ? ref : `docker://${ref}`;
}

function credArgs(flag: '--creds' | '--src-creds' | '--dest-creds', creds: SkopeoCreds | undefined): string[] {
  if (creds?.username !== undefined) return [flag, `${creds.username}:${creds.password ?? ''}`];
  const anonymous = { '--creds': '--no-creds', '--src-creds': '--src-no-creds', '--dest-creds': '--dest-no-creds' }[flag];
  return [anonymous];
}

/** Runs skopeo and resolves with its stdout bytes; rejects with {@link SkopeoError}. */
export function runSkopeo(args: readonly string[], timeoutMs = 120_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'skopeo',
      args,
      { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err) {
          const raw = (err as { code?: unknown }).code;
          const killed = (err as { killed?: boolean }).killed === true;
          const exit = killed ? `killed after ${timeoutMs} ms` : typeof raw === 'number' || typeof raw === 'string' ? raw : null;
          reject(new SkopeoError(args, exit, stderr.toString('utf8') || err.message, err));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** Options of {@link skopeoInspectRaw} and {@link skopeoInspect}. */
export interface SkopeoInspectOptions extends SkopeoCommonOptions {
  creds?: SkopeoCreds;
}

function tlsArg(options: SkopeoCommonOptions, flag = '--tls-verify'): string {
  return `${flag}=${options.tlsVerify ?? false}`;
}

/** `skopeo inspect --raw`: the manifest exactly as the registry serves it. */
export async function skopeoInspectRaw(ref: string, options: SkopeoInspectOptions = {}): Promise<Buffer> {
  return runSkopeo(['inspect', '--raw', tlsArg(options), ...credArgs('--creds', options.creds), dockerRef(ref)], options.timeoutMs);
}

/** `skopeo inspect --config --raw`: the image config blob's exact bytes (for a platform manifest ref). */
export async function skopeoInspectConfigRaw(ref: string, options: SkopeoInspectOptions = {}): Promise<Buffer> {
  return runSkopeo(['inspect', '--config', '--raw', tlsArg(options), ...credArgs('--creds', options.creds), dockerRef(ref)], options.timeoutMs);
}

/** `skopeo inspect` JSON (Digest, Layers, Architecture… of the image skopeo resolves for this machine). */
export async function skopeoInspect(ref: string, options: SkopeoInspectOptions = {}): Promise<Record<string, unknown>> {
  const out = await runSkopeo(['inspect', tlsArg(options), ...credArgs('--creds', options.creds), dockerRef(ref)], options.timeoutMs);
  return JSON.parse(out.toString('utf8')) as Record<string, unknown>;
}

/** `skopeo list-tags`: the repository's tags. */
export async function skopeoListTags(repoRef: string, options: SkopeoInspectOptions = {}): Promise<string[]> {
  const out = await runSkopeo(['list-tags', tlsArg(options), ...credArgs('--creds', options.creds), dockerRef(repoRef)], options.timeoutMs);
  return (JSON.parse(out.toString('utf8')) as { Tags: string[] }).Tags;
}

/** Options of {@link skopeoCopy}. */
export interface SkopeoCopyOptions extends SkopeoCommonOptions {
  /** Copy every image of an index (`--all`); default true. */
  all?: boolean;
  /** `--preserve-digests`: fail rather than change a digest (default true). */
  preserveDigests?: boolean;
  srcCreds?: SkopeoCreds;
  destCreds?: SkopeoCreds;
}

/** `skopeo copy` between two references (used to seed registries the way another tool would). */
export async function skopeoCopy(src: string, dst: string, options: SkopeoCopyOptions = {}): Promise<void> {
  const args = [
    'copy',
    '--quiet',
    tlsArg(options, '--src-tls-verify'),
    tlsArg(options, '--dest-tls-verify'),
    ...(options.all ?? true ? ['--all'] : []),
    ...(options.preserveDigests ?? true ? ['--preserve-digests'] : []),
    ...credArgs('--src-creds', options.srcCreds),
    ...credArgs('--dest-creds', options.destCreds),
    dockerRef(src),
    dockerRef(dst),
  ];
  await runSkopeo(args, options.timeoutMs);
}

/** Options of {@link skopeoSync}. */
export interface SkopeoSyncOptions extends SkopeoCopyOptions {
  /** `--scoped`: prefix destination names with the full source path. */
  scoped?: boolean;
}

/**
 * `skopeo sync --src docker --dest docker SRC DEST`: copies a repository (all tags) or one image
 * (`SRC` with a tag) under the `DEST` registry/namespace.
 */
export async function skopeoSync(src: string, dest: string, options: SkopeoSyncOptions = {}): Promise<void> {
  const strip = (ref: string): string => ref.replace(/^docker:\/\//, '');
  const args = [
    'sync',
    '--src', 'docker',
    '--dest', 'docker',
    tlsArg(options, '--src-tls-verify'),
    tlsArg(options, '--dest-tls-verify'),
    ...(options.all ?? true ? ['--all'] : []),
    ...(options.preserveDigests ?? true ? ['--preserve-digests'] : []),
    ...(options.scoped ? ['--scoped'] : []),
    ...credArgs('--src-creds', options.srcCreds),
    ...credArgs('--dest-creds', options.destCreds),
    strip(src),
    strip(dest),
  ];
  await runSkopeo(args, options.timeoutMs);
}
