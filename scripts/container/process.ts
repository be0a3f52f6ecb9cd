/** Child processes for the container scripts: run to completion, fail with the tail of their output. */
import { spawn } from 'node:child_process';

/** Runs `command` and resolves with its stdout; a non-zero exit rejects with its stderr. */
export async function capture(command: string, args: readonly string[]): Promise<string> {
  let out = '';
  await run(command, args, { onStdout: (s) => (out += s) });
  return out;
}

/** Runs `command` to completion (stdin closed, output collected); a non-zero exit rejects with the output's tail. */
export function run(command: string, args: readonly string[], opts: { cwd?: string; env?: Record<string, string>; onStdout?: (s: string) => void } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      if (opts.onStdout) opts.onStdout(c.toString('utf8'));
      else output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))));
  });
}
