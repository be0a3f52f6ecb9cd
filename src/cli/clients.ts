import { parseUserPass, RegistryClient, StaticCredentials, Transport } from '../registry/index.ts';

/** Connection flags shared by the commands. */
export interface ConnectionFlags {
  srcCreds?: string;
  destCreds?: string;
  creds?: string;
  insecureRegistry?: string[];
}

/** Clients for one CLI run: source and destination share connection pools but not credentials. */
export interface Clients {
  source: RegistryClient;
  target: RegistryClient;
  close(): Promise<void>;
}

/**
 * Builds registry clients from flags. Credentials are bound to the registry of the reference they were
 * given for, so `--src-creds` never reaches the destination registry and the reverse.
 */
export function makeClients(flags: ConnectionFlags, sourceRegistry: string, targetRegistry?: string): Clients {
  const transport = new Transport({ userAgent: 'copycat (+https://github.com/copycat)' });
  const insecureRegistries = flags.insecureRegistry ?? [];
  const sourceCreds = new StaticCredentials();
  const srcFlag = flags.srcCreds ?? flags.creds;
  if (srcFlag !== undefined) sourceCreds.set(sourceRegistry, parseUserPass(srcFlag, flags.srcCreds !== undefined ? '--src-creds' : '--creds'));
  const source = new RegistryClient({ transport, credentials: sourceCreds, insecureRegistries });
  let target = source;
  if (targetRegistry !== undefined) {
    const targetCreds = new StaticCredentials();
    if (flags.destCreds !== undefined) targetCreds.set(targetRegistry, parseUserPass(flags.destCreds, '--dest-creds'));
    target = new RegistryClient({ transport, credentials: targetCreds, insecureRegistries });
  }
  return { source, target, close: () => transport.close() };
}
