/**
 * The conversation between the benchmark (parent) and the controller process (child): the child writes one
 * JSON object per line on stdout, the parent one command per line on the child's stdin. Logs go to stderr.
 */

/** Memory of the child as it sees itself: `/proc/self/status` peaks and `process.memoryUsage()`. */
export interface MemorySnapshot {
  /** Peak resident set size so far (VmHWM), bytes. */
  vmHWM?: number | undefined;
  /** Resident set size now (VmRSS), bytes. */
  vmRSS?: number | undefined;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Job counts by state, as `ControllerStatus.counts`. */
export type StateCounts = Record<string, number>;

/** What the child reports; `ms` is milliseconds since the child process started (`performance.now()`). */
export type ChildMessage =
  | { type: 'started'; ms: number; memory: MemorySnapshot }
  | { type: 'synced'; ms: number; memory: MemorySnapshot }
  | { type: 'progress'; ms: number; counts: StateCounts; covered: number; expected: number; memory: MemorySnapshot }
  | { type: 'converged'; ms: number; counts: StateCounts; memory: MemorySnapshot; cpuSeconds: number }
  | { type: 'resynced'; ms: number; seconds: number; checked: number; requeued: number; counts: StateCounts; memory: MemorySnapshot; cpuSeconds: number }
  | { type: 'status'; file: string }
  | { type: 'stopped'; memory: MemorySnapshot; cpuSeconds: number }
  | { type: 'error'; message: string };

/** What the parent asks: a full resync, the status document written to `file`, or a clean exit. */
export type ParentCommand = { cmd: 'resync' } | { cmd: 'status'; file: string } | { cmd: 'exit' };

const MESSAGE_TYPES = new Set(['started', 'synced', 'progress', 'converged', 'resynced', 'status', 'stopped', 'error']);

/** One message as a line. */
export function formatLine(value: ChildMessage | ParentCommand): string {
  return `${JSON.stringify(value)}\n`;
}

/** Parses one line of the child's stdout; undefined for anything that is not a known message (stray output). */
export function parseChildMessage(line: string): ChildMessage | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && MESSAGE_TYPES.has(type) ? (value as ChildMessage) : undefined;
}

/** Parses one command line; throws on anything else, naming it. */
export function parseCommand(line: string): ParentCommand {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`not a command: ${JSON.stringify(line)}`);
  }
  const cmd = typeof value === 'object' && value !== null ? (value as { cmd?: unknown; file?: unknown }) : {};
  if (cmd.cmd === 'resync' || cmd.cmd === 'exit') return { cmd: cmd.cmd };
  if (cmd.cmd === 'status' && typeof cmd.file === 'string' && cmd.file !== '') return { cmd: 'status', file: cmd.file };
  throw new Error(`not a command: ${JSON.stringify(line)}`);
}

/** Splits a byte stream into lines: `push` returns the lines a chunk completed; a partial line waits for the next chunk. */
export class LineBuffer {
  #rest = '';

  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '');
  }

  /** Whatever is left without a final newline. */
  flush(): string[] {
    const rest = this.#rest;
    this.#rest = '';
    return rest.trim() === '' ? [] : [rest];
  }
}
