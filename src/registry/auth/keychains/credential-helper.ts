import { spawn } from 'node:child_process';
import type { Credential } from '../credentials.ts';
import { KeychainError } from './errors.ts';

/** How long a credential helper may take before it is killed (Docker itself waits forever). */
export const DEFAULT_HELPER_TIMEOUT_MS = 10_000;

/** The `Username` a helper returns when `Secret` is an identity (refresh) token, not a password. */
export const IDENTITY_TOKEN_USERNAME = '<token>';

/** The largest helper answer we read; a credential is a few kilobytes at most. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** How much of a failing helper's stderr a message quotes. */
const MAX_QUOTED_STDERR = 200;

/** What running a helper needs. */
export interface HelperRequest {
  /** The helper's suffix: `ecr-login` runs `docker-credential-ecr-login`. */
  helper: string;
  /** The server address to ask for (`https://index.docker.io/v1/` for Docker Hub, otherwise the host). */
  serverUrl: string;
  /** The registry the credential is for, named in errors. */
  registry: string;
  /** Environment of the helper (its `PATH` also decides where the executable is looked up). */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** A helper's answer: a credential, or why there is none (`missing`: the executable is not installed). */
export type HelperResult = { status: 'found'; credential: Credential } | { status: 'not-found' } | { status: 'missing' };

/**
 * Runs `docker-credential-<helper> get` with the server address on stdin, as Docker does
 * (https://github.com/docker/docker-credential-helpers, "Usage"), and turns its JSON answer
 * `{ServerURL, Username, Secret}` into a credential. `Username: "<token>"` marks an identity token.
 *
 * "Not found" (the helper says `credentials not found`, or answers nothing) and a helper that is not
 * installed are answers, not failures: the registry is then used anonymously. Anything else (another
 * non-zero exit, a timeout, output that is not credentials JSON) throws `CREDENTIAL_HELPER_FAILED`
 * naming the helper and registry; stdout, where the secret would be, is never quoted.
 */
export async function runCredentialHelper(req: HelperRequest): Promise<HelperResult> {
  const program = `docker-credential-${req.helper}`;
  const fail = (why: string): KeychainError =>
    new KeychainError('CREDENTIAL_HELPER_FAILED', `credential helper ${program} failed for registry ${req.registry}: ${why}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(req.helper)) {
    throw fail(`the helper name ${JSON.stringify(req.helper)} is not a plain name (letters, digits, ".", "_", "-")`);
  }
  const timeoutMs = req.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  const run = await spawnHelper(program, req.serverUrl, req.env, timeoutMs);
  if (run.kind === 'missing') return { status: 'missing' };
  if (run.kind === 'spawn-error') throw fail(`could not start it (${run.code})`);
  if (run.kind === 'timeout') throw fail(`no answer within ${formatSeconds(timeoutMs)}, killed`);
  if (run.kind === 'too-large') throw fail(`it printed more than ${MAX_OUTPUT_BYTES} bytes`);
  const { stdout, stderr, exitCode, signal } = run;
  if (exitCode !== 0) {
    // docker-credential-helpers print ErrCredentialsNotFound ("credentials not found in native keychain") on stdout.
    if (/credentials not found/i.test(stdout) || /credentials not found/i.test(stderr)) return { status: 'not-found' };
    const how = signal ? `it was killed by ${signal}` : `exit code ${String(exitCode)}`;
    const said = firstLine(stderr);
    throw fail(said ? `${how}: ${said}` : how);
  }
  if (stdout.trim() === '') return { status: 'not-found' };
  const credential = parseHelperOutput(stdout);
  if (credential === 'invalid') throw fail('its answer is not the JSON object {ServerURL, Username, Secret}');
  return credential ? { status: 'found', credential } : { status: 'not-found' };
}

/**
 * Turns a helper's stdout into a credential: `undefined` when both `Username` and `Secret` are empty,
 * `'invalid'` when it is not a JSON object with string fields.
 */
export function parseHelperOutput(stdout: string): Credential | undefined | 'invalid' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return 'invalid'; // the parser's message quotes the input, which may hold the secret: drop it
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'invalid';
  const { Username: username = '', Secret: secret = '' } = parsed as Record<string, unknown>;
  if (typeof username !== 'string' || typeof secret !== 'string') return 'invalid';
  if (username === IDENTITY_TOKEN_USERNAME) return secret === '' ? undefined : { kind: 'identity-token', token: secret };
  if (username === '' && secret === '') return undefined;
  return { kind: 'basic', username, password: secret };
}

type SpawnOutcome =
  | { kind: 'done'; stdout: string; stderr: string; exitCode: number | null; signal: NodeJS.Signals | null }
  | { kind: 'missing' }
  | { kind: 'spawn-error'; code: string }
  | { kind: 'timeout' }
  | { kind: 'too-large' };

function spawnHelper(program: string, serverUrl: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<SpawnOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: SpawnOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    // Node looks the command up on env.PATH when env is given (child_process.spawn, "options.env").
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        finish({ kind: 'too-large' });
        return;
      }
      into.push(chunk);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ kind: 'timeout' });
    }, timeoutMs);
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') finish({ kind: 'missing' });
      else finish({ kind: 'spawn-error', code: e.code ?? e.name });
    });
    child.once('close', (exitCode, signal) => {
      finish({ kind: 'done', stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode, signal });
    });
    // A helper may exit without reading stdin (EPIPE); its exit status tells what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(serverUrl);
  });
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0]?.trim() ?? '';
  return line.length > MAX_QUOTED_STDERR ? `${line.slice(0, MAX_QUOTED_STDERR)}…` : line;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
