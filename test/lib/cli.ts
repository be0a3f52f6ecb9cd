/**
 * Runs the real `bin/copycat` launcher as a child process, so tests see what a user sees: stdout
 * (as bytes, for `--raw`), stderr and the exit code, with pipes (not a TTY) on both streams.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the `bin/copycat` launcher. */
export const COPYCAT_BIN = fileURLToPath(new URL('../../bin/copycat', import.meta.url));

/**
 * Node's on-disk compile cache for the child processes: loading copycat's TypeScript sources costs
 * ~1 s of type stripping and compiling per process on a small machine, ~0.3 s with the cache. It changes
 * nothing about what runs. An existing `NODE_COMPILE_CACHE` is respected.
 */
const COMPILE_CACHE = process.env['NODE_COMPILE_CACHE'] ?? join(tmpdir(), 'copycat-test-compile-cache');

/**
 * The environment of a `bin/copycat` child: `base` (default: this process's environment) without node:test's
 * NODE_TEST_CONTEXT marker (copycat is not a test child), with the shared compile cache, then `extra`.
 */
export function copycatEnv(extra: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _marker, ...env } = base;
  return { ...env, NODE_COMPILE_CACHE: COMPILE_CACHE, ...extra };
}

/** What one CLI run produced. */
export interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** stdout decoded as UTF-8. */
  out: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Kill the process after this long (default 60 000 ms). */
  timeoutMs?: number;
  /**
   * Run the launcher through its `#!/usr/bin/env node` line (the system Node, which may be older and
   * re-executes the project's Node 24) instead of this test's Node 24.
   */
  viaShebang?: boolean;
}

/** Runs `copycat ...args` and resolves with its output and exit code (never rejects on a non-zero exit). */
export function runCli(args: readonly string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const [command, argv] = opts.viaShebang ? [COPYCAT_BIN, [...args]] : [process.execPath, [COPYCAT_BIN, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: copycatEnv({ NO_COLOR: '1' }) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      resolve({ code, stdout, stderr: Buffer.concat(err).toString('utf8'), out: stdout.toString('utf8') });
    });
  });
}
