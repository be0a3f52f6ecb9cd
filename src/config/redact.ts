/** A loggable copy of a configuration: secrets replaced, regexes shown as their source. */
import type { Config } from './types.ts';

/** What replaces a secret in {@link redactConfig}'s output. */
export const REDACTED = '[redacted]';

function secret(value: string): string {
  return value === '' ? '' : REDACTED;
}

/**
 * A plain, JSON-friendly copy of `config` that is safe to log or show on a status page: the docker
 * password and every registry credential's password and token are replaced by `[redacted]` (empty
 * ones stay empty, so "not set" is still visible), and RegExps become their source text.
 */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    docker: { ...config.docker, password: secret(config.docker.password) },
    ignoreMissingPlatforms: config.ignoreMissingPlatforms.map((re) => re.source),
    registryCredentials: config.registryCredentials.map((c) => ({
      hosts: c.hosts,
      auth: c.auth.kind === 'token' ? { kind: 'token', token: secret(c.auth.token) } : { kind: 'basic', username: c.auth.username, password: secret(c.auth.password) },
    })),
    pathMap: config.pathMap.map((m) => ({ regex: m.regex, from: m.from, to: m.to })),
  };
}
