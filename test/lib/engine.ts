/**
 * Builds copycat's own engine (registry clients + one Copier) for integration tests, with the
 * credentials bound to the registry host they belong to, exactly as the CLI does.
 */
import { Copier, type CopierOptions, parseReference, RegistryClient, StaticCredentials, Transport, type Reference, type TransportOptions } from '../../src/index.ts';

/** A registry (or a fault proxy in front of one) and the account to use there, if any. */
export interface RegistryAccess {
  /** `127.0.0.1:PORT`: the registry part of references. */
  host: string;
  username?: string | undefined;
  password?: string | undefined;
}

/** Options of {@link makeEngine}. */
export interface EngineOptions {
  /** Transport tuning; tests shorten back-off so retries do not slow the suite down. */
  transport?: TransportOptions;
  copier?: Omit<CopierOptions, 'source' | 'target'>;
}

/** Source and target clients over one transport, the Copier using them, and a way to close it all. */
export interface Engine {
  copier: Copier;
  source: RegistryClient;
  target: RegistryClient;
  transport: Transport;
  close(): Promise<void>;
}

/** Back-off short enough for tests, long enough to be a real back-off. */
export const FAST_BACKOFF = { initialMs: 20, maxMs: 200 } as const;

function credentialsOf(access: RegistryAccess): StaticCredentials {
  const creds = new StaticCredentials();
  if (access.username !== undefined) creds.set(access.host, { kind: 'basic', username: access.username, password: access.password ?? '' });
  return creds;
}

/** Clients for `source` and `target` (each with only its own credentials) and a Copier from one to the other. */
export function makeEngine(source: RegistryAccess, target: RegistryAccess, opts: EngineOptions = {}): Engine {
  const transport = new Transport({ backoff: FAST_BACKOFF, ...opts.transport });
  const src = new RegistryClient({ transport, credentials: credentialsOf(source) });
  const dst = new RegistryClient({ transport, credentials: credentialsOf(target) });
  const copier = new Copier({ source: src, target: dst, ...opts.copier });
  return { copier, source: src, target: dst, transport, close: () => transport.close() };
}

/** A client for one registry (for HEADs and reads by the tests themselves). */
export function makeClient(access: RegistryAccess, transport?: TransportOptions): RegistryClient {
  return new RegistryClient({ transportOptions: { backoff: FAST_BACKOFF, ...transport }, credentials: credentialsOf(access) });
}

/** Parses `host/repo[:tag|@digest]` on a test registry. */
export function ref(access: { host: string }, path: string): Reference {
  return parseReference(`${access.host}/${path}`);
}
