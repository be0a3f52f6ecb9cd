/**
 * The parent's handle on the controller process: spawns `run-controller.ts` under the project's Node with the
 * launcher's Node flags, in its own process group, logs its stderr to a file, turns its stdout into messages,
 * samples its resident set from `/proc` and stops it (SIGKILL to the group if it does not exit on request).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProcMemory } from './proc.ts';
import { formatLine, LineBuffer, parseChildMessage, type ChildMessage, type ParentCommand } from './protocol.ts';

/** The child's script. */
export const RUN_CONTROLLER = join(dirname(fileURLToPath(import.meta.url)), 'run-controller.ts');

/**
 * Loads the controller's modules once in a throw-away process, so Node's compile cache holds the type-stripped
 * sources before anything is measured (as `bin/copycat --version` does for the copy benchmark). Without it the
 * first measured process would also pay for loading the type stripper (~20 MB RSS, ~1 s).
 */
export function warmUp(nodeFlags: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(process.execPath, [...nodeFlags, RUN_CONTROLLER, '--warm-up'], { env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`warming up the controller process failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').trim().slice(-2000)}`);
}

/** Options of {@link ControllerProcess.spawn}. */
export interface SpawnOptions {
  /** Node flags before the script (the launcher's `--max-semi-space-size=1` by default in the benchmark). */
  nodeFlags: readonly string[];
  /** Arguments of run-controller.ts. */
  args: readonly string[];
  /** Where the child's stderr (pino logs) goes. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** How often VmRSS is sampled (default 200 ms). */
  sampleMs?: number;
}

type MessageOf<T extends ChildMessage['type']> = Extract<ChildMessage, { type: T }>;

interface Waiter {
  type: ChildMessage['type'];
  resolve: (m: ChildMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** A running controller process. */
export class ControllerProcess {
  readonly pid: number;
  /** `performance.now()` in the parent when the process was spawned. */
  readonly spawnedAt: number;
  /** RSS samples: parent ms since spawn, bytes. */
  readonly rssSamples: Array<{ ms: number; rss: number }> = [];
  /** Called for every message (progress logging). */
  onMessage: (m: ChildMessage) => void = () => {};
  readonly #child: ChildProcess;
  readonly #log: WriteStream;
  readonly #logFile: string;
  readonly #queue: ChildMessage[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #sampler: NodeJS.Timeout;
  /** Settles when the process has exited, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(child: ChildProcess, log: WriteStream, logFile: string, sampleMs: number) {
    if (child.pid === undefined) throw new Error('the controller process did not start');
    this.#child = child;
    this.pid = child.pid;
    this.spawnedAt = performance.now();
    this.#log = log;
    this.#logFile = logFile;
    const lines = new LineBuffer();
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      for (const line of lines.push(chunk)) this.#deliver(line);
    });
    child.stderr!.pipe(log);
    this.#sampler = setInterval(() => this.sample(), sampleMs);
    this.#sampler.unref();
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        clearInterval(this.#sampler);
        for (const line of lines.flush()) this.#deliver(line);
        this.#exit = { code, signal };
        const why = new Error(`the controller process exited (${code ?? signal}) — log: ${logFile}\n${this.logTail()}`);
        for (const w of this.#waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(why);
        }
        resolve(this.#exit);
      });
    });
  }

  /** Spawns the controller process. */
  static spawn(options: SpawnOptions): ControllerProcess {
    const log = createWriteStream(options.logFile);
    const child = spawn(process.execPath, [...options.nodeFlags, RUN_CONTROLLER, ...options.args], {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: a kill reaches it even if it spawned helpers
    });
    child.stdin!.on('error', () => {}); // a dead child must not crash the parent through EPIPE
    return new ControllerProcess(child, log, options.logFile, options.sampleMs ?? 200);
  }

  /** Takes one RSS sample now (also done on a timer). */
  sample(): void {
    const { vmRSS } = readProcMemory(this.pid);
    if (vmRSS !== undefined) this.rssSamples.push({ ms: performance.now() - this.spawnedAt, rss: vmRSS });
  }

  /** Peak RSS (VmHWM) as the kernel kept it, read from outside; undefined once the process is gone. */
  peakRss(): number | undefined {
    return readProcMemory(this.pid).vmHWM;
  }

  /** Sends a command. */
  send(command: ParentCommand): void {
    this.#child.stdin!.write(formatLine(command));
  }

  /**
   * The next message of `type` (earlier messages of other types are passed over); rejects on an `error` message,
   * when the process exits, or after `timeoutMs`.
   */
  next<T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    const i = this.#queue.findIndex((m) => m.type === type || m.type === 'error');
    if (i >= 0) {
      const [m] = this.#queue.splice(0, i + 1).slice(-1);
      return m!.type === 'error' ? Promise.reject(new Error(`controller process failed: ${m!.message}`)) : Promise.resolve(m as MessageOf<T>);
    }
    if (this.#exit !== undefined) return Promise.reject(new Error(`the controller process had exited (${this.#exit.code ?? this.#exit.signal}) — log: ${this.#logFile}\n${this.logTail()}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        type,
        resolve: (m) => resolve(m as MessageOf<T>),
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(new Error(`no "${type}" from the controller process within ${Math.round(timeoutMs / 1000)} s — log: ${this.#logFile}\n${this.logTail()}`));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** The last `lines` lines of the child's log. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.#logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Asks for a clean exit (`exit` command, then stdin closed); SIGKILLs the group after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#exit === undefined) {
      try {
        this.send({ cmd: 'exit' });
        this.#child.stdin!.end();
      } catch {
        // stdin already closed
      }
      const timer = setTimeout(() => this.kill(), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }

  /** SIGKILL to the process group (cleanup path). */
  kill(): void {
    if (this.#exit !== undefined) return;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      this.#child.kill('SIGKILL');
    }
  }

  #deliver(line: string): void {
    const m = parseChildMessage(line);
    if (m === undefined) {
      this.#log.write(`[stdout] ${line}\n`);
      return;
    }
    this.onMessage(m);
    const w = this.#waiters.find((x) => x.type === m.type || m.type === 'error');
    if (w !== undefined) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      clearTimeout(w.timer);
      if (m.type === 'error') w.reject(new Error(`controller process failed: ${m.message}`));
      else w.resolve(m);
      return;
    }
    if (m.type !== 'progress') this.#queue.push(m);
  }
}
