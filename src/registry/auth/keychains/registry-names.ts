import { isDockerHub } from '../../../reference/index.ts';

/** The canonical Docker Hub name copycat resolves credentials for (references normalise to it). */
export const HUB = 'docker.io';

/**
 * The server address Docker stores Docker Hub credentials under (`docker login` with no server):
 * the legacy v1 index URL. Credential helpers are asked for Hub credentials with exactly this string.
 */
export const HUB_SERVER_URL = 'https://index.docker.io/v1/';

/** Every name that means Docker Hub, the canonical one first. */
export const HUB_NAMES: readonly string[] = [HUB, 'index.docker.io', 'registry-1.docker.io'];

/**
 * Copycat's registry name for a host: lowercase, and every Docker Hub alias becomes `docker.io`
 * (k8s-copycat §7.2: a credential keyed `docker.io` must match Hub pulls just as `index.docker.io` does).
 */
export function canonicalRegistry(host: string): string {
  const lower = host.trim().toLowerCase();
  return isDockerHub(lower) ? HUB : lower;
}

/**
 * The registry a docker `config.json` key names: the scheme and any path are dropped, as Docker's
 * `ConvertToHostname` does (`https://index.docker.io/v1/` → Docker Hub, `http://host:5000/v2/` → `host:5000`).
 */
export function registryOfServerKey(key: string): string {
  let rest = key.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  if (slash >= 0) rest = rest.slice(0, slash);
  return canonicalRegistry(rest);
}

/** The server address to hand a credential helper for `registry`: Hub's v1 URL, otherwise the host itself. */
export function helperServerUrl(registry: string): string {
  return isDockerHub(registry) ? HUB_SERVER_URL : registry;
}

/** The names a registry is known by, for wildcard matching: all Hub aliases for Hub, otherwise just itself. */
export function namesOf(registry: string): readonly string[] {
  const canonical = canonicalRegistry(registry);
  return canonical === HUB ? HUB_NAMES : [canonical];
}
