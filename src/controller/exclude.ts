/**
 * `excludeRegistries` matching (behaviour inventory §3.11, k8s-copycat 0.22.0 #212): a source is excluded when
 * its normalised name starts with a configured prefix on a `/`, `:` or `@` boundary.
 */
import { isDockerHub, parseReference } from '../reference/index.ts';

const SCHEME = /^https?:\/\//;

/**
 * The source as exclusion prefixes see it: trimmed, lowercased, scheme dropped, and every Docker Hub spelling
 * (`nginx`, `library/nginx`, `myuser/app`, `index.docker.io/…`, `registry-1.docker.io/…`) as
 * `docker.io/<namespace>/<name>`. Beyond upstream, `docker.io/nginx` becomes `docker.io/library/nginx` too (its
 * normaliser left it alone, so an exclusion of `docker.io/library/nginx` missed it, §7.2): names that parse as
 * references are normalised by the reference grammar; anything else by upstream's string rules.
 */
export function normalizeSourceForExclusion(source: string): string {
  let s = source.trim().toLowerCase().replace(SCHEME, '');
  try {
    const ref = parseReference(s);
    const registry = isDockerHub(ref.registry) ? 'docker.io' : ref.registry;
    return `${registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
  } catch {
    // Not a valid reference (it will fail to parse later anyway): upstream's plain string rules.
  }
  if (s.startsWith('index.docker.io/')) s = `docker.io/${s.slice('index.docker.io/'.length)}`;
  if (!s.includes('/')) return `docker.io/library/${s}`;
  const first = s.slice(0, s.indexOf('/'));
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${s}`;
  return s;
}

/** A configured prefix with Docker Hub's other host names folded into `docker.io` (config keeps `registry-1.docker.io`). */
function canonicalPrefix(prefix: string): string {
  const slash = prefix.indexOf('/');
  const host = slash < 0 ? prefix : prefix.slice(0, slash);
  return isDockerHub(host) ? `docker.io${slash < 0 ? '' : prefix.slice(slash)}` : prefix;
}

/** True when `value` starts with `prefix` and the next character ends a path component (end, `/`, `:`, `@`). */
function hasBoundaryPrefix(value: string, prefix: string): boolean {
  if (!value.startsWith(prefix)) return false;
  const next = value.charAt(prefix.length);
  return next === '' || next === '/' || next === ':' || next === '@';
}

/**
 * The first exclusion prefix (in the order given; config sorts them, as upstream checks them sorted) that
 * matches `source` as written in the pod spec, or undefined. `prefixes` are config-normalised entries
 * (`normalizeExcludedRegistries`).
 */
export function matchExcludedRegistry(source: string, prefixes: readonly string[]): string | undefined {
  if (prefixes.length === 0) return undefined;
  const normalized = normalizeSourceForExclusion(source);
  return prefixes.find((p) => p !== '' && hasBoundaryPrefix(normalized, canonicalPrefix(p)));
}
