import type { Credential, CredentialProvider } from '../credentials.ts';
import { compileGlob, hasGlobChars, type Glob } from './glob.ts';
import { canonicalRegistry, namesOf } from './registry-names.ts';

/**
 * One item of the config file's `registryCredentials` list (k8s-copycat behaviour §4.1), as
 * written in YAML. Values may be literal or read from environment variables (`*Env`, recommended
 * so secrets stay out of ConfigMaps).
 */
export interface RegistryCredentialEntry {
  /** The registry host (`ghcr.io`, `registry.example.com:5000`); a blank value disables the whole entry. */
  registry: string;
  /** More names for the same credential: other hosts, or wildcards such as `*.ghcr.io`. */
  registryAliases?: string[];
  username?: string;
  /** Environment variable whose non-empty value replaces `username`. */
  usernameEnv?: string;
  password?: string;
  /** Environment variable whose non-empty value replaces `password`. */
  passwordEnv?: string;
  /** A ready registry bearer token, sent as `Authorization: Bearer …` without a token exchange. */
  token?: string;
  /** Environment variable whose non-empty value replaces `token`. */
  tokenEnv?: string;
}

interface WildcardRule {
  glob: Glob;
  credential: Credential;
}

/**
 * The `registryCredentials` keychain, with k8s-copycat's semantics (§4.1) and its two bugs fixed (§7.2):
 *
 * - each entry applies to `lower(trim(registry))` and each `lower(trim(alias))`; a blank `registry`
 *   disables the entry, aliases included;
 * - `username` and `token` are trimmed, `password` is not; a `*Env` variable with a non-empty value
 *   replaces the literal (used as is, untrimmed);
 * - a non-empty token gives a bearer credential, else a username or password gives basic, else the
 *   entry is skipped;
 * - later entries replace earlier ones for the same name (last wins);
 * - lookup: an exact name first, then names with `*`, `?` or `[` as Go `filepath.Match` patterns
 *   over the whole host (`*.ghcr.io` matches `packages.ghcr.io`, not `ghcr.io`).
 *
 * Fixed: Docker Hub is one registry under all its names (`docker.io`, `index.docker.io`,
 * `registry-1.docker.io`), so a credential keyed on any of them matches Hub images; and when several
 * wildcards match, the most specific wins, deterministically: most literal characters, then fewest
 * `*`, then the pattern in code-point order (upstream iterated a Go map).
 */
export class ConfigCredentials implements CredentialProvider {
  readonly #exact: Map<string, Credential>;
  readonly #wildcards: readonly WildcardRule[];
  /** Problems found while reading the entries (skipped entries, bad patterns); never contains a secret. */
  readonly warnings: readonly string[];

  private constructor(exact: Map<string, Credential>, wildcards: WildcardRule[], warnings: string[]) {
    this.#exact = exact;
    this.#wildcards = wildcards;
    this.warnings = warnings;
  }

  /** Builds the keychain from the config entries, reading `*Env` variables from `env` once, now. */
  static fromEntries(entries: readonly RegistryCredentialEntry[], env: NodeJS.ProcessEnv = process.env): ConfigCredentials {
    const exact = new Map<string, Credential>();
    const byPattern = new Map<string, WildcardRule>();
    const warnings: string[] = [];
    entries.forEach((entry, index) => {
      const where = `registryCredentials[${index}]`;
      const names = namesOfEntry(entry);
      if (names.length === 0) return; // upstream: a blank registry silently disables the entry
      const credential = credentialOf(entry, env);
      if (!credential) {
        warnings.push(`${where} (${names[0]}): no token, username or password (literal or from its *Env variable), entry skipped`);
        return;
      }
      for (const name of names) {
        if (!hasGlobChars(name)) {
          exact.set(canonicalRegistry(name), credential);
          continue;
        }
        const glob = compileGlob(name);
        if (!glob) {
          warnings.push(`${where}: alias ${JSON.stringify(name)} is not a valid wildcard pattern, ignored`);
          continue;
        }
        byPattern.delete(name); // last wins, and re-inserting keeps the map in the order of the last definition
        byPattern.set(name, { glob, credential });
      }
    });
    const wildcards = [...byPattern.values()].sort(moreSpecificFirst);
    return new ConfigCredentials(exact, wildcards, warnings);
  }

  /** The credential for `registry`: an exact name first, then the most specific matching wildcard. */
  resolve(registry: string): Promise<Credential | undefined> {
    const found = this.#exact.get(canonicalRegistry(registry));
    if (found) return Promise.resolve(found);
    const names = namesOf(registry);
    const rule = this.#wildcards.find((w) => names.some((n) => w.glob.matches(n)));
    return Promise.resolve(rule?.credential);
  }
}

/** The entry's registry and aliases, lowercased, trimmed, without blanks or duplicates; empty when `registry` is blank. */
function namesOfEntry(entry: RegistryCredentialEntry): string[] {
  const registry = normalise(entry.registry);
  if (registry === '') return [];
  const names = new Set([registry]);
  for (const alias of entry.registryAliases ?? []) {
    const name = normalise(alias);
    if (name !== '') names.add(name);
  }
  return [...names];
}

function normalise(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** A `*Env` variable's value when it is set and non-empty (the variable name itself is trimmed). */
function fromEnv(name: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const key = typeof name === 'string' ? name.trim() : '';
  if (key === '') return undefined;
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function credentialOf(entry: RegistryCredentialEntry, env: NodeJS.ProcessEnv): Credential | undefined {
  const username = fromEnv(entry.usernameEnv, env) ?? text(entry.username).trim();
  const password = fromEnv(entry.passwordEnv, env) ?? text(entry.password);
  const token = fromEnv(entry.tokenEnv, env) ?? text(entry.token).trim();
  if (token !== '') return { kind: 'bearer', token };
  if (username !== '' || password !== '') return { kind: 'basic', username, password };
  return undefined;
}

function moreSpecificFirst(a: WildcardRule, b: WildcardRule): number {
  return (
    b.glob.literalCount - a.glob.literalCount ||
    a.glob.starCount - b.glob.starCount ||
    (a.glob.source < b.glob.source ? -1 : a.glob.source > b.glob.source ? 1 : 0)
  );
}
