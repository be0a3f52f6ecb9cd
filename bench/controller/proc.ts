/**
 * Memory of a process from `/proc/<pid>/status` (Linux): the peak (VmHWM, the high-water mark the kernel keeps
 * for the process's whole life, so no sampling can miss a spike) and the current resident set (VmRSS).
 */
import { readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/status` the benchmark reads, in bytes. */
export interface ProcMemory {
  vmHWM?: number | undefined;
  vmRSS?: number | undefined;
}

/** Parses the text of `/proc/<pid>/status` (`VmHWM:   123456 kB`); missing fields stay undefined. */
export function parseProcStatus(text: string): ProcMemory {
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  return { vmHWM: field('VmHWM'), vmRSS: field('VmRSS') };
}

/** Reads the memory of `pid` (or of this process for `'self'`); empty when the process is gone or not Linux. */
export function readProcMemory(pid: number | 'self'): ProcMemory {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return {};
  }
}

/** Seconds of CPU (user + system) a process used so far, from `/proc/<pid>/stat`; undefined when unreadable. */
export function readProcCpuSeconds(pid: number, ticksPerSecond = 100): number | undefined {
  try {
    return parseProcStatCpu(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticksPerSecond);
  } catch {
    return undefined;
  }
}

/**
 * utime + stime of a `/proc/<pid>/stat` line in seconds. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last `)`: utime and stime are fields 14 and 15 (proc(5)).
 */
export function parseProcStatCpu(text: string, ticksPerSecond = 100): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / ticksPerSecond : undefined;
}
