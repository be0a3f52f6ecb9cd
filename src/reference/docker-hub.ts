/**
 * Docker Hub's names. `docker.io` is the canonical registry name in references (what Docker
 * prints); `index.docker.io` is the legacy "Docker Index" alias; the registry API itself is served
 * from `registry-1.docker.io` (see distribution/reference normalize.go).
 */
export const DOCKER_HUB = 'docker.io';

/** The legacy Docker Hub name that references normalise to {@link DOCKER_HUB}. */
export const DOCKER_HUB_LEGACY = 'index.docker.io';

/** The host that actually serves Docker Hub's registry API (`/v2/…`). */
export const DOCKER_HUB_API = 'registry-1.docker.io';

/** Namespace of Docker Hub's official images: `nginx` means `library/nginx`. */
export const OFFICIAL_PREFIX = 'library/';

const HUB_NAMES: ReadonlySet<string> = new Set([DOCKER_HUB, DOCKER_HUB_LEGACY, DOCKER_HUB_API]);

/** True when `registry` names Docker Hub (`docker.io`, `index.docker.io` or `registry-1.docker.io`, any case). */
export function isDockerHub(registry: string): boolean {
  return HUB_NAMES.has(registry.toLowerCase());
}

/**
 * The host to send registry API requests to: every Docker Hub alias becomes `registry-1.docker.io`
 * (`docker.io` itself only redirects browsers), other registries are returned unchanged.
 */
export function registryApiHost(registry: string): string {
  return isDockerHub(registry) ? DOCKER_HUB_API : registry;
}
