/**
 * Runs one command as a subprocess and measures it: wall-clock seconds from spawn to exit (so process
 * start-up is included, as a user experiences it) and peak resident set size.
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the kernel's `ru_maxrss` of the command and
 * every descendant it waited for, plus user and system CPU seconds) when installed; otherwise `/proc/<pid>/status` VmRSS of the process
 * tree is polled every 50 ms and the largest sum kept (which can miss a spike shorter than 50 ms).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where GNU time lives on Debian. */
const GNU_TIME = '/usr/bin/time';

/** How one measured run went. */
export interface Measurement {
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** Peak RSS in bytes, undefined when it could not be measured. */
  peakRssBytes: number | undefined;
  /** How RSS was measured. */
  rssMethod: 'gnu-time' | 'proc-poll' | 'none';
  /** User + system CPU seconds of the command and its waited-for children (GNU time only). */
  cpuSeconds: number | undefined;
  stdout: string;
  stderr: string;
}

/** Options of {@link measureCommand}. */
export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command after this long (default 300 000 ms). */
  timeoutMs?: number;
}

/** A measured command exited non-zero, was killed, or timed out. */
export class CommandFailedError extends Error {
  /** The command line, for the report. */
  readonly commandLine: string;
  readonly stderr: string;

  constructor(commandLine: string, why: string, stderr: string) {
    super(`${commandLine} ${why}: ${stderr.trim().slice(-2000)}`);
    this.name = 'CommandFailedError';
    this.commandLine = commandLine;
    this.stderr = stderr;
  }
}

// Every process we started and have not seen exit, and the scratch dirs of running measurements:
// killed and removed by killAllMeasured() on failure or Ctrl-C.
const live = new Set<ChildProcess>();
const liveDirs = new Set<string>();

/**
 * Kills (SIGKILL) every measured command still running, with its whole process group (GNU time and the
 * command under it), and removes their scratch dirs; used by the bench's cleanup path.
 */
export function killAllMeasured(): void {
  for (const child of live) {
    if (child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // the group is gone already; make sure of the child itself
    }
  }
  live.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

// Last resort: measured commands run in their own process groups, so they would outlive a bench that
// dies without running its cleanup.
process.once('exit', killAllMeasured);

/** True when GNU time is installed, so RSS comes from the kernel rather than from polling. */
export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** Runs `command args…`, resolving with its timing and peak RSS; rejects with {@link CommandFailedError} on failure. */
export async function measureCommand(command: string, args: readonly string[], opts: MeasureOptions = {}): Promise<Measurement> {
  const commandLine = [command, ...args].join(' ');
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const gnu = hasGnuTime();
  const dir = gnu ? await mkdtemp(join(tmpdir(), 'copycat-bench-time-')) : undefined;
  const timeFile = dir ? join(dir, 'rss') : undefined;
  if (dir) liveDirs.add(dir);
  try {
    const [file, argv] = timeFile ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, [...args]];
    const started = performance.now();
    // Its own process group, so a kill reaches the command under GNU time too.
    const child = spawn(file, argv, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    const poller = timeFile ? undefined : pollRss(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    const { code, signal, error } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once('error', (err) => resolve({ code: null, signal: null, error: err }));
      child.once('close', (c, s) => resolve({ code: c, signal: s }));
    });
    const seconds = (performance.now() - started) / 1000;
    clearTimeout(timer);
    live.delete(child);
    const polled = poller?.stop();
    const out = Buffer.concat(stdout).toString('utf8');
    const err = Buffer.concat(stderr).toString('utf8');
    if (error) throw new CommandFailedError(commandLine, `could not start (${error.message})`, err);
    if (timedOut) throw new CommandFailedError(commandLine, `timed out after ${timeoutMs} ms`, err);
    if (code !== 0) throw new CommandFailedError(commandLine, `failed (exit ${code ?? signal})`, err);
    if (timeFile) {
      // GNU time writes "Command exited with non-zero status…" lines before the format; ours is last.
      const lines = (await readFile(timeFile, 'utf8')).trim().split('\n');
      const [kib, user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
      const peakRssBytes = kib !== undefined && Number.isFinite(kib) ? kib * 1024 : undefined;
      const cpuSeconds = user !== undefined && system !== undefined && Number.isFinite(user + system) ? user + system : undefined;
      return { seconds, peakRssBytes, rssMethod: 'gnu-time', cpuSeconds, stdout: out, stderr: err };
    }
    return { seconds, peakRssBytes: polled, rssMethod: polled === undefined ? 'none' : 'proc-poll', cpuSeconds: undefined, stdout: out, stderr: err };
  } finally {
    if (dir) {
      liveDirs.delete(dir);
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Polls the RSS of `child` and its descendants every 50 ms; `stop()` returns the largest total seen. */
function pollRss(child: ChildProcess): { stop(): number | undefined } {
  let peak: number | undefined;
  const sample = (): void => {
    if (child.pid === undefined) return;
    let total = 0;
    for (const pid of processTree(child.pid)) total += rssOf(pid) ?? 0;
    if (total > 0 && (peak === undefined || total > peak)) peak = total;
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** `pid` and all its descendants, from `/proc/<pid>/task/<tid>/children`. */
function processTree(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    out.push(next);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${next}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        for (const c of readFileSync(`/proc/${next}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (c) queue.push(Number(c));
      } catch {
        // The task ended between the listing and the read.
      }
    }
  }
  return out;
}

/** VmRSS of one process in bytes, undefined once it is gone. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
