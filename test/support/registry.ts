/**
 * Starts a real CNCF distribution 2.8 registry (Debian's `docker-registry`) for one test, on a
 * free 127.0.0.1 port, with no auth, htpasswd basic auth, or token auth backed by an in-process
 * token server. Everything it creates lives in one temp dir that `stop()` removes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bcryptHash } from './bcrypt.ts';
import { freePort, waitUntil } from './net.ts';
import { createSelfSignedCert } from './openssl.ts';
import { startTokenServer, type TokenPolicy, type TokenRequestRecord, type TokenServer } from './token-server.ts';

/** How the registry authenticates clients. */
export type RegistryAuthMode = 'none' | 'basic' | 'token';

/** Options of {@link startRegistry}. */
export interface StartRegistryOptions {
  /** Default `none`. */
  auth?: RegistryAuthMode;
  /** The one account for `basic`/`token` (default `tester`). */
  username?: string;
  /** Its password (default `s3cret-pass`). */
  password?: string;
  /**
   * Deep-merged over the generated distribution config (objects merge, anything else replaces),
   * e.g. `{ compatibility: { schema1: { enabled: true } } }`.
   */
  extraConfig?: Record<string, unknown>;
  /** Token mode: repositories anonymous callers may pull (default none). */
  anonymousPull?: RegExp | readonly string[];
  /** Token mode: replaces the default grant rules. */
  tokenPolicy?: TokenPolicy;
  /** Token mode: token lifetime in seconds (default 300). */
  tokenTtlSeconds?: number;
  /** Token mode: when false the token server refuses OAuth2 POSTs with 404 (default true). */
  oauth2?: boolean;
  /** distribution log level written to the log file (default `info`). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

/** A running registry; stop it with `stop()` or `await using`. */
export interface RunningRegistry extends AsyncDisposable {
  /** `127.0.0.1:PORT`, the registry part of image references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  auth: RegistryAuthMode;
  /** Set for `basic` and `token`. */
  username?: string;
  /** Set for `basic` and `token`. */
  password?: string;
  /** Token mode: the token server's realm URL. */
  tokenRealm?: string;
  /** Token mode: the `service` the registry announces. */
  service?: string;
  /** Token mode: every token request so far (always empty otherwise). */
  tokenRequests: TokenRequestRecord[];
  /** The filesystem storage root (tests may inspect or damage stored data). */
  dataDir: string;
  /** Path of the generated config file. */
  configPath: string;
  /** Everything the registry process has logged so far (kept after stop). */
  logs(): string;
  /** Stops the process and the token server, then removes the temp dir; safe to call twice. */
  stop(): Promise<void>;
}

/** The registry binary; `COPYCAT_TEST_REGISTRY_BIN` overrides it (e.g. upstream's `registry`). */
const REGISTRY_BIN = process.env['COPYCAT_TEST_REGISTRY_BIN'] ?? 'docker-registry';

/** The service name the token-mode registry announces and checks as `aud`. */
export const TOKEN_SERVICE = 'copycat-test-registry';
const TOKEN_ISSUER = 'copycat-test-token-issuer';

/**
 * The registry runs under a small `sh` supervisor whose stdin is a pipe from this process. When
 * the pipe closes without the word `stop` (this process died, even by SIGKILL, which no exit
 * handler survives), the supervisor kills the registry and removes the temp dir, so a crashed or
 * killed test run leaves nothing behind. Background jobs get /dev/null as stdin in a
 * non-interactive shell (POSIX "Asynchronous Lists"), hence the explicit fd 3.
 */
const SUPERVISOR = `
registry=$1 config=$2 dir=$3
exec 3<&0
"$registry" serve "$config" </dev/null &
pid=$!
{
  IFS= read -r line || line=
  kill -TERM "$pid" 2>/dev/null
  if [ "$line" != stop ]; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -rf "$dir"
  fi
} <&3 &
wait "$pid"
`;

// Last-resort cleanup on a normal exit without stop(): kill each supervisor's process group.
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
process.once('exit', () => {
  for (const child of liveChildren) killGroup(child, 'SIGKILL');
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** The child's environment without `REGISTRY_*` variables, which would override the config file. */
function registryEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('REGISTRY_')) env[key] = value;
  }
  return env;
}

/** Asks the supervisor to stop the registry (SIGTERM), escalating to SIGKILL for the whole group after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  const running = child.exitCode === null && child.signalCode === null;
  const exited = running ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : Promise.resolve();
  // Always release the supervisor's watchdog, even when the registry has already exited.
  child.stdin?.on('error', () => {});
  child.stdin?.end('stop\n');
  if (!running) return;
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a registry and waits until `GET /v2/` answers 200 (no auth) or 401 (auth).
 * Throws with the registry's log when it exits early or never answers.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const auth = options.auth ?? 'none';
  const username = options.username ?? 'tester';
  const password = options.password ?? 's3cret-pass';
  const dir = await mkdtemp(join(tmpdir(), 'copycat-registry-'));
  liveDirs.add(dir);
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'config.yml');
  const logPath = join(dir, 'registry.log');
  let tokenServer: TokenServer | undefined;
  let child: ChildProcess | undefined;
  let finalLogs: string | undefined;

  const readLogs = (): string => {
    if (finalLogs !== undefined) return finalLogs;
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child) {
        await stopChild(child);
        liveChildren.delete(child);
      }
      await tokenServer?.stop();
      finalLogs = readLogs();
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      liveDirs.delete(dir);
    })();
    return stopping;
  };

  try {
    let authConfig: Record<string, unknown> | undefined;
    if (auth === 'basic') {
      const htpasswdPath = join(dir, 'htpasswd');
      await writeFile(htpasswdPath, `${username}:${bcryptHash(password)}\n`);
      authConfig = { htpasswd: { realm: 'copycat-test', path: htpasswdPath } };
    } else if (auth === 'token') {
      const cert = await createSelfSignedCert(dir, TOKEN_ISSUER);
      tokenServer = await startTokenServer({
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        cert,
        users: { [username]: password },
        ...(options.anonymousPull !== undefined ? { anonymousPull: options.anonymousPull } : {}),
        ...(options.tokenPolicy !== undefined ? { policy: options.tokenPolicy } : {}),
        ...(options.tokenTtlSeconds !== undefined ? { ttlSeconds: options.tokenTtlSeconds } : {}),
        ...(options.oauth2 !== undefined ? { oauth2: options.oauth2 } : {}),
      });
      authConfig = {
        token: { realm: tokenServer.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, rootcertbundle: cert.certPath },
      };
    }

    // A port picked by freePort() can be taken before the registry binds it; retry a few times.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const base: Record<string, unknown> = {
        version: '0.1',
        log: { level: options.logLevel ?? 'info', formatter: 'text' },
        storage: {
          filesystem: { rootdirectory: dataDir },
          delete: { enabled: true },
          maintenance: { uploadpurging: { enabled: false } },
        },
        http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
        health: { storagedriver: { enabled: false } },
        ...(authConfig ? { auth: authConfig } : {}),
      };
      const config = options.extraConfig ? deepMerge(base, options.extraConfig) : base;
      // JSON is valid YAML, and distribution's go-yaml reads flow-style mappings fine.
      await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);

      const logFd = openSync(logPath, 'a');
      let spawnError: Error | undefined;
      try {
        child = spawn('/bin/sh', ['-c', SUPERVISOR, 'copycat-registry-supervisor', REGISTRY_BIN, configPath, dir], {
          stdio: ['pipe', logFd, logFd],
          env: registryEnv(),
          detached: true,
        });
      } finally {
        closeSync(logFd);
      }
      const started = child;
      liveChildren.add(started);
      started.once('error', (err) => {
        spawnError = err;
      });

      const url = `http://127.0.0.1:${port}`;
      try {
        await waitUntil(
          `the registry on ${url}`,
          async () => {
            const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) });
            await response.arrayBuffer();
            return response.status === 200 || response.status === 401;
          },
          {
            abortIf: () => {
              if (spawnError) {
                const hint = (spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? ' (run scripts/ensure-system-deps.sh)' : '';
                return `cannot run ${REGISTRY_BIN}${hint}: ${spawnError.message}`;
              }
              if (started.exitCode === 127) return `cannot run ${REGISTRY_BIN} (not installed? run scripts/ensure-system-deps.sh)`;
              if (started.exitCode !== null || started.signalCode !== null) return `registry exited (${started.exitCode ?? started.signalCode})`;
              return undefined;
            },
          },
        );
      } catch (err) {
        const portTaken = /address already in use/.test(readLogs());
        await stopChild(started);
        liveChildren.delete(started);
        child = undefined;
        if (portTaken && attempt < 3) continue;
        throw new Error(`${(err as Error).message}\n--- registry log ---\n${readLogs()}`, { cause: err });
      }

      const running: RunningRegistry = {
        host: `127.0.0.1:${port}`,
        url,
        auth,
        ...(auth !== 'none' ? { username, password } : {}),
        ...(tokenServer ? { tokenRealm: tokenServer.realm, service: TOKEN_SERVICE } : {}),
        tokenRequests: tokenServer?.tokenRequests ?? [],
        dataDir,
        configPath,
        logs: readLogs,
        stop,
        [Symbol.asyncDispose]: stop,
      };
      return running;
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
