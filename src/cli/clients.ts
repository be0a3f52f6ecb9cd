import { defaultChain, DockerConfigCredentials, parseUserPass, RegistryClient, StaticCredentials, Transport, type CredentialProvider } from '../registry/index.ts';

/** Connection flags shared by the commands. */
export interface ConnectionFlags {
  srcCreds?: string;
  destCreds?: string;
  creds?: string;
  /** A docker `config.json` to read credentials from instead of `$DOCKER_CONFIG` / `~/.docker` (skopeo's `--authfile`). */
  authfile?: string;
  insecureRegistry?: string[];
}

/** Clients for one CLI run: source and destination share connection pools but not credentials. */
export interface Clients {
  source: RegistryClient;
  target: RegistryClient;
  close(): Promise<void>;
}

/** Where the CLI reads its environment and writes warnings; tests replace both. */
export interface ClientEnvironment {
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
}

/**
 * Builds registry clients from flags. Credentials for each side come from, in order (docs/credentials.md):
 * the flag for that side (`--src-creds`/`--creds`, `--dest-creds`), bound to the registry of the reference
 * it was given for, so it never reaches the other registry; then the docker config (`--authfile`, else
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, with its credential helpers); else anonymous.
 */
export function makeClients(flags: ConnectionFlags, sourceRegistry: string, targetRegistry?: string, environment: ClientEnvironment = {}): Clients {
  const transport = new Transport({ userAgent: 'copycat (+https://github.com/copycat)' });
  const insecureRegistries = flags.insecureRegistry ?? [];
  const warn = environment.warn ?? ((m: string) => process.stderr.write(`copycat: warning: ${m}\n`));
  // One docker config for both sides: the file is read once and helper answers are shared.
  const dockerConfig = new DockerConfigCredentials({ path: flags.authfile, env: environment.env ?? process.env, onWarning: warn });

  const srcFlag = flags.srcCreds ?? flags.creds;
  const sourceExplicit = explicit(srcFlag, flags.srcCreds !== undefined ? '--src-creds' : '--creds', sourceRegistry);
  const source = new RegistryClient({ transport, credentials: defaultChain({ explicit: sourceExplicit, dockerConfig }), insecureRegistries });
  let target = source;
  if (targetRegistry !== undefined) {
    const targetExplicit = explicit(flags.destCreds, '--dest-creds', targetRegistry);
    target = new RegistryClient({ transport, credentials: defaultChain({ explicit: targetExplicit, dockerConfig }), insecureRegistries });
  }
  return { source, target, close: () => transport.close() };
}

function explicit(value: string | undefined, flag: string, registry: string): CredentialProvider | undefined {
  if (value === undefined) return undefined;
  return new StaticCredentials([[registry, parseUserPass(value, flag)]]);
}
