import { isDockerHub, parseRepository } from '../reference/index.ts';
import { TargetError } from './errors.ts';

/** A configured target registry split into the host pushes go to and an optional fixed path. */
export interface RegistryLocation {
  /** `host[:port]`, lowercased (Docker Hub aliases as `docker.io`). */
  host: string;
  /** The path after the host without slashes at the ends, `''` for none. */
  path: string;
}

/**
 * Checks a target registry `host[:port]` with the reference grammar and returns it lowercased (Docker Hub
 * aliases as `docker.io`); the error quotes the value. k8s-copycat did not validate it at start-up (§1.3).
 */
export function validateRegistryHost(registry: string): string {
  const location = parseRegistryLocation(registry);
  if (location.path !== '') throw invalidRegistry(registry, 'a path is not part of the registry host; put it in the repository prefix');
  return location.host;
}

/**
 * Parses `host[:port][/path]` (`TARGET_REGISTRY`, `docker.registry`): k8s-copycat joined this string and the
 * repository with `/`, so a path worked as a fixed prefix; it is kept, and must be a valid lowercase path.
 */
export function parseRegistryLocation(registry: string): RegistryLocation {
  const trimmed = registry.trim().replace(/\/+$/, '');
  if (trimmed === '') throw invalidRegistry(registry, 'it is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) throw invalidRegistry(registry, 'leave out the scheme; set insecure for plain HTTP');
  const slash = trimmed.indexOf('/');
  const host = (slash < 0 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? '' : trimmed.slice(slash + 1);
  let parsed: { registry: string; repository: string };
  try {
    parsed = parseRepository(`${host}/${path === '' ? '' : `${path}/`}copycat-probe`);
  } catch (err) {
    throw new TargetError('TARGET_CONFIG_INVALID', invalidRegistry(registry, path === '' ? 'invalid host name' : 'invalid host name or path (lowercase path segments)').message, { cause: err });
  }
  // Without a dot, a port or `localhost`, the grammar reads the first part as a Docker Hub namespace.
  if (parsed.registry !== host && !isDockerHub(host)) throw invalidRegistry(registry, 'a host needs a dot, a port or to be localhost');
  return { host: parsed.registry, path };
}

function invalidRegistry(registry: string, why: string): TargetError {
  return new TargetError('TARGET_CONFIG_INVALID', `target registry ${JSON.stringify(registry)} is not usable (${why}); write host[:port][/path], e.g. harbor.example.com or registry.local:5000/mirrors`);
}
