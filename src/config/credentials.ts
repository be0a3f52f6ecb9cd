/**
 * `registryCredentials` → usable source credentials, with `*Env` references resolved from the
 * environment at start-up (k8s-copycat `buildKeychainFromConfig`, inventory §4.1). Warnings name
 * entries and env var names, never a secret value.
 */
import type { CredentialEntry } from './file.ts';
import { compileGlob, isGlob } from './glob.ts';
import type { CredentialAuth, RegistryCredential } from './types.ts';

/** The environment as copycat reads it (`process.env` or a test double). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The literal value, replaced by the named env var's value when that var is set and non-empty. */
function withEnv(literal: string, envName: string | undefined, env: Env): string {
  const name = envName?.trim() ?? '';
  if (name === '') return literal;
  const value = env[name];
  return value !== undefined && value !== '' ? value : literal;
}

/** The hosts of one entry: `registry` then aliases, trimmed, lowercased, deduplicated; bad globs dropped. */
function hostsOf(entry: CredentialEntry, registry: string, warnings: string[]): string[] {
  const hosts: string[] = [];
  for (const raw of [registry, ...(entry.registryAliases ?? [])]) {
    const host = raw.trim().toLowerCase();
    if (host === '' || hosts.includes(host)) continue;
    if (host.includes('/')) {
      warnings.push(`${entry.key}: host ${JSON.stringify(host)} has a "/" (a URL or path?) so it matches no registry; write the host[:port] only`);
    }
    if (isGlob(host)) {
      try {
        compileGlob(host);
      } catch (err) {
        warnings.push(`${entry.key}: alias ${JSON.stringify(host)} is not a valid pattern (${(err as Error).message}); alias ignored`);
        continue;
      }
    }
    hosts.push(host);
  }
  return hosts;
}

/**
 * Resolves every entry. Entries with a blank `registry`, or left with no token, username or
 * password once env vars are applied, are ignored with a warning (upstream dropped them silently).
 * Order is kept: for the same host a later entry wins.
 */
export function resolveCredentials(entries: readonly CredentialEntry[], env: Env, warnings: string[]): RegistryCredential[] {
  const out: RegistryCredential[] = [];
  for (const entry of entries) {
    const registry = (entry.registry ?? '').trim().toLowerCase();
    if (registry === '') {
      warnings.push(`${entry.key} has no registry; the entry is ignored`);
      continue;
    }
    const username = withEnv((entry.username ?? '').trim(), entry.usernameEnv, env);
    const password = withEnv(entry.password ?? '', entry.passwordEnv, env);
    const token = withEnv((entry.token ?? '').trim(), entry.tokenEnv, env);
    let auth: CredentialAuth;
    if (token !== '') auth = { kind: 'token', token };
    else if (username !== '' || password !== '') auth = { kind: 'basic', username, password };
    else {
      const named = [entry.usernameEnv, entry.passwordEnv, entry.tokenEnv].map((n) => n?.trim() ?? '').filter((n) => n !== '');
      warnings.push(
        `${entry.key} (${registry}) has no username, password or token${
          named.length > 0 ? ` (env ${named.join(', ')} unset or empty)` : ''
        }; the entry is ignored`,
      );
      continue;
    }
    const hosts = hostsOf(entry, registry, warnings);
    if (hosts.length > 0) out.push({ hosts, auth });
  }
  return out;
}
