import { PassThrough, Readable } from 'node:stream';

/** The streams and environment a CLI command runs with (the shape of the CLI's `CommandIO`), plus what it wrote. */
export interface CapturedIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  stdout(): string;
  stderr(): string;
}

/** Streams for running a CLI command in-process, with what it wrote captured as text. */
export function captureIo(stdin = ''): CapturedIo {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (c: Buffer) => o.push(c));
  err.on('data', (c: Buffer) => e.push(c));
  return {
    out,
    err,
    stdin: Readable.from(stdin === '' ? [] : [Buffer.from(stdin)]),
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/nonexistent' },
    stdout: () => Buffer.concat(o).toString('utf8'),
    stderr: () => Buffer.concat(e).toString('utf8'),
  };
}
