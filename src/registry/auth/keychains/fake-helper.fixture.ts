/**
 * Test fixture: writes an executable `docker-credential-<name>` shell script into a directory, so tests
 * can put that directory on a provider's `PATH` and exercise the real helper protocol (a child process,
 * the server URL on stdin, JSON on stdout, exit codes). Every invocation appends the server URL it was
 * asked for to a log file, so tests can count runs.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the fake helper does for one server URL. */
export interface FakeAnswer {
  stdout?: string;
  stderr?: string;
  /** Exit code (default 0). */
  exit?: number;
  /** Seconds to sleep before answering. */
  sleepSeconds?: number;
}

/** A written fake helper. */
export interface FakeHelper {
  /** Absolute path of the script. */
  path: string;
  /** The server URLs it was asked for, in order. */
  calls(): Promise<string[]>;
}

/** The answer docker-credential-helpers give for an unknown server (stdout, exit 1). */
export const NOT_FOUND: FakeAnswer = { stdout: 'credentials not found in native keychain\n', exit: 1 };

function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function answerScript(a: FakeAnswer): string {
  const lines: string[] = [];
  if (a.sleepSeconds) lines.push(`sleep ${a.sleepSeconds}`);
  if (a.stdout !== undefined) lines.push(`printf '%s' ${shQuote(a.stdout)}`);
  if (a.stderr !== undefined) lines.push(`printf '%s' ${shQuote(a.stderr)} >&2`);
  lines.push(`exit ${a.exit ?? 0}`);
  return lines.map((l) => `    ${l}`).join('\n');
}

/** Writes `dir/docker-credential-<name>` answering per server URL, `fallback` (default {@link NOT_FOUND}) otherwise. */
export async function writeFakeHelper(dir: string, name: string, answers: Record<string, FakeAnswer>, fallback: FakeAnswer = NOT_FOUND): Promise<FakeHelper> {
  const path = join(dir, `docker-credential-${name}`);
  const log = join(dir, `docker-credential-${name}.log`);
  const cases = Object.entries(answers)
    .map(([server, a]) => `  ${shQuote(server)})\n${answerScript(a)}\n    ;;`)
    .join('\n');
  const script = `#!/bin/sh
[ "$1" = get ] || { echo "unsupported action $1" >&2; exit 2; }
server=$(cat)
printf '%s\\n' "$server" >> ${shQuote(log)}
case "$server" in
${cases}
  *)
${answerScript(fallback)}
    ;;
esac
`;
  await writeFile(path, script);
  await chmod(path, 0o755);
  return {
    path,
    calls: async () => {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text.split('\n').filter((l) => l !== '');
    },
  };
}

/** A helper answer with a credential, as docker-credential-helpers print it. */
export function helperJson(serverUrl: string, username: string, secret: string): FakeAnswer {
  return { stdout: JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret }) };
}
