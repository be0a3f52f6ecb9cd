import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Credential, CredentialProvider } from '../credentials.ts';
import { decodeAuthField } from './auth-field.ts';
import { runCredentialHelper } from './credential-helper.ts';
import { KeychainError } from './errors.ts';
import { canonicalRegistry, helperServerUrl, HUB, HUB_SERVER_URL, registryOfServerKey } from './registry-names.ts';

/** Options of {@link DockerConfigCredentials}. */
export interface DockerConfigOptions {
  /**
   * An explicit `config.json` (`--authfile`): it must exist. Without it the default location is used
   * ({@link DockerConfigCredentials.defaultPath}) and a missing file simply means no credentials.
   */
  path?: string;
  /** Where `DOCKER_CONFIG`, `HOME` and the helpers' `PATH` come from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Kill a credential helper after this long (default 10 s). */
  helperTimeoutMs?: number;
  /**
   * Forget a helper's answer after this long (default: keep it for the process). A long-running
   * controller should set it: helpers such as ecr-login hand out tokens that expire (ECR: 12 h).
   */
  helperCacheTtlMs?: number;
  /** Told about things worth a warning (a configured helper is not installed); never given a secret. */
  onWarning?: (message: string) => void;
}

/** An `auths` entry reduced to what it grants, keyed by the registry it names. */
interface AuthEntry {
  /** The key as written in the file. */
  key: string;
  credential: Credential | undefined;
}

/** The parts of a docker `config.json` copycat reads, keyed by canonical registry name. */
export interface DockerConfigFile {
  auths: Map<string, AuthEntry[]>;
  credHelpers: Map<string, string>;
  credsStore: string | undefined;
}

interface CachedAnswer {
  answer: Promise<Credential | undefined>;
  expiresAt: number;
}

/**
 * Credentials from a Docker client config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`),
 * the file `docker login`, `skopeo login --authfile` and CI tools write.
 *
 * For a registry it uses, in order:
 * 1. `credHelpers[registry]`: runs `docker-credential-<helper> get`;
 * 2. an `auths` entry with a credential: `auth` (base64 `user:password`) or `username`/`password`,
 *    `identitytoken` (an OAuth2 refresh token) or `registrytoken` (a ready bearer token);
 * 3. `credsStore`: the default helper (`desktop`, `osxkeychain`, `pass`, `ecr-login`, …).
 *
 * Keys may be URLs: the scheme and path are dropped (`https://index.docker.io/v1/` is Docker Hub, as
 * are `docker.io`, `index.docker.io` and `registry-1.docker.io`). Docker itself asks `credsStore` before
 * `auths`; copycat uses an inline `auths` credential first because Docker would silently ignore it.
 * A helper that is not installed or has nothing for the registry means anonymous access.
 *
 * The file is read once, on the first lookup. Helper answers are cached per registry (see
 * {@link DockerConfigOptions.helperCacheTtlMs}); concurrent lookups share one helper run.
 */
export class DockerConfigCredentials implements CredentialProvider {
  readonly #path: string;
  readonly #required: boolean;
  readonly #env: NodeJS.ProcessEnv;
  readonly #timeoutMs: number | undefined;
  readonly #ttlMs: number;
  readonly #onWarning: (message: string) => void;
  #config: Promise<DockerConfigFile> | undefined;
  readonly #helperAnswers = new Map<string, CachedAnswer>();

  constructor(opts: DockerConfigOptions = {}) {
    this.#env = opts.env ?? process.env;
    this.#path = opts.path ?? DockerConfigCredentials.defaultPath(this.#env);
    this.#required = opts.path !== undefined;
    this.#timeoutMs = opts.helperTimeoutMs;
    this.#ttlMs = opts.helperCacheTtlMs ?? Number.POSITIVE_INFINITY;
    this.#onWarning = opts.onWarning ?? (() => {});
  }

  /** The config file Docker reads: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  static defaultPath(env: NodeJS.ProcessEnv = process.env): string {
    const dir = env['DOCKER_CONFIG'];
    if (dir !== undefined && dir !== '') return join(dir, 'config.json');
    const home = env['HOME'] !== undefined && env['HOME'] !== '' ? env['HOME'] : homedir();
    return join(home, '.docker', 'config.json');
  }

  /** The file this provider reads. */
  get path(): string {
    return this.#path;
  }

  /** The credential for `registry` from `credHelpers`, an `auths` entry or `credsStore`, in that order. */
  async resolve(registry: string): Promise<Credential | undefined> {
    const config = await (this.#config ??= loadConfig(this.#path, this.#required));
    const name = canonicalRegistry(registry);
    const helper = config.credHelpers.get(name);
    if (helper !== undefined) return this.#fromHelper(helper, name);
    const inline = pickAuth(config.auths.get(name) ?? [], name);
    if (inline) return inline;
    if (config.credsStore !== undefined) return this.#fromHelper(config.credsStore, name);
    return undefined;
  }

  #fromHelper(helper: string, registry: string): Promise<Credential | undefined> {
    const key = `${helper}\n${registry}`;
    const cached = this.#helperAnswers.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.answer;
    const answer = runCredentialHelper({ helper, registry, serverUrl: helperServerUrl(registry), env: this.#env, timeoutMs: this.#timeoutMs }).then((result) => {
      if (result.status === 'missing') {
        this.#onWarning(`credential helper docker-credential-${helper} (configured in ${this.#path} for ${registry}) is not installed; using ${registry} anonymously`);
        return undefined;
      }
      return result.status === 'found' ? result.credential : undefined;
    });
    this.#helperAnswers.set(key, { answer, expiresAt: Date.now() + this.#ttlMs });
    // A failure is not remembered: the next lookup runs the helper again.
    answer.catch(() => {
      if (this.#helperAnswers.get(key)?.answer === answer) this.#helperAnswers.delete(key);
    });
    return answer;
  }
}

/** The entry for `registry`: the one keyed exactly as Docker writes it wins, then the first in file order. */
function pickAuth(entries: readonly AuthEntry[], registry: string): Credential | undefined {
  const withCredential = entries.filter((e) => e.credential !== undefined);
  const preferred = registry === HUB ? HUB_SERVER_URL : registry;
  return (withCredential.find((e) => e.key.toLowerCase() === preferred) ?? withCredential[0])?.credential;
}

async function loadConfig(path: string, required: boolean): Promise<DockerConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return { auths: new Map(), credHelpers: new Map(), credsStore: undefined };
    throw new KeychainError('DOCKER_CONFIG_UNREADABLE', `cannot read the docker config ${path} (${code ?? 'error'})`, { cause: err });
  }
  return parseDockerConfig(text, path);
}

/**
 * Parses a docker `config.json`. Throws `DOCKER_CONFIG_INVALID` naming the file and key at fault (Docker
 * refuses such a file too); the message never quotes a value, and the JSON parser's own message, which
 * quotes the text, is dropped.
 */
export function parseDockerConfig(text: string, path: string): DockerConfigFile {
  const invalid = (what: string): KeychainError => new KeychainError('DOCKER_CONFIG_INVALID', `the docker config ${path} is invalid: ${what}`);
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw invalid('it is not JSON');
  }
  if (!isObject(doc)) throw invalid('the top level is not a JSON object');
  const auths = new Map<string, AuthEntry[]>();
  const rawAuths = doc['auths'] ?? {};
  if (!isObject(rawAuths)) throw invalid('"auths" is not an object');
  for (const [key, value] of Object.entries(rawAuths)) {
    if (!isObject(value)) throw invalid(`auths[${JSON.stringify(key)}] is not an object`);
    const credential = authCredential(value, (field) => invalid(`auths[${JSON.stringify(key)}].${field}`));
    const registry = registryOfServerKey(key);
    const list = auths.get(registry) ?? [];
    list.push({ key, credential });
    auths.set(registry, list);
  }
  const credHelpers = new Map<string, string>();
  const rawHelpers = doc['credHelpers'] ?? {};
  if (!isObject(rawHelpers)) throw invalid('"credHelpers" is not an object');
  for (const [key, value] of Object.entries(rawHelpers)) {
    if (typeof value !== 'string') throw invalid(`credHelpers[${JSON.stringify(key)}] is not a string`);
    if (value.trim() !== '') credHelpers.set(registryOfServerKey(key), value.trim());
  }
  const store = doc['credsStore'];
  if (store !== undefined && typeof store !== 'string') throw invalid('"credsStore" is not a string');
  return { auths, credHelpers, credsStore: store?.trim() ? store.trim() : undefined };
}

/** What one `auths` entry grants: `registrytoken` → bearer, `identitytoken` → identity token, else basic. */
function authCredential(entry: Record<string, unknown>, invalid: (field: string) => KeychainError): Credential | undefined {
  const field = (name: string): string => {
    const value = entry[name] ?? '';
    if (typeof value !== 'string') throw invalid(`${name} is not a string`);
    return value;
  };
  let username = field('username');
  let password = field('password');
  const auth = field('auth');
  if (auth !== '') {
    // As Docker does: a non-empty `auth` replaces username and password.
    const decoded = decodeAuthField(auth);
    if (!decoded) throw invalid('auth is not base64 of "username:password"');
    ({ username, password } = decoded);
  }
  const registryToken = field('registrytoken');
  const identityToken = field('identitytoken');
  if (registryToken !== '') return { kind: 'bearer', token: registryToken };
  if (identityToken !== '') return username !== '' ? { kind: 'identity-token', token: identityToken, username } : { kind: 'identity-token', token: identityToken };
  if (username !== '' || password !== '') return { kind: 'basic', username, password };
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
