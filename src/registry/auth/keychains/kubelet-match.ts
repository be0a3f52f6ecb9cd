/**
 * The kubelet's rules for which pull secret key applies to an image (kubernetes
 * `pkg/credentialprovider/keyring.go`, `BasicDockerKeyring.Add`/`Lookup` and `URLsMatch`), re-stated:
 *
 * - A key may carry a scheme (`https://`, `http://`: dropped) and a path. A path starting `/v1/` or
 *   `/v2/` loses that prefix, so `https://index.docker.io/v1/` keys the host alone.
 * - The key matches an image `host[:port]/repository` when the ports are equal (both absent, or the
 *   same number), the hosts have as many dot-separated parts and each key part matches its image part
 *   as a `filepath.Match` pattern (`*.example.com` matches `a.example.com`, not `a.b.example.com`
 *   nor `example.com`), and the key's path is a string prefix of the image's path.
 * - Keys are tried in reverse code-point order, which puts longer paths before shorter ones under the
 *   same host and literal hosts before wildcards with the same prefix.
 * - Docker Hub images fall back to credentials keyed `index.docker.io` when no key matched.
 *
 * Two deliberate differences: hosts compare case-insensitively (host names are), and `?`/`[…]` work
 * as wildcards in host parts (Go's URL parser would cut the key at `?`).
 */
import { compileGlob, type Glob } from './glob.ts';

/** A pull secret key, parsed once. */
export interface KubeletKey {
  /** The normalised key (`host[:port][/path]`), the kubelet's index and sort key. */
  readonly key: string;
  readonly port: string;
  readonly path: string;
  /** One compiled pattern per dot-separated host part. */
  readonly hostParts: readonly Glob[];
}

/** The key the kubelet falls back to for Docker Hub images (`https://index.docker.io/v1/` normalises to it). */
export const DOCKER_HUB_FALLBACK_KEY = 'index.docker.io';

/** Parses a pull secret key (`https://quay.io/v2/`, `*.gcr.io`, `registry:5000/team`), or undefined when unusable. */
export function parseKubeletKey(raw: string): KubeletKey | undefined {
  let rest = raw.trim();
  const scheme = /^https?:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  // A query or fragment is not part of what the kubelet compares.
  rest = rest.split(/[?#]/, 1)[0] ?? '';
  const slash = rest.indexOf('/');
  const hostPort = (slash >= 0 ? rest.slice(0, slash) : rest).toLowerCase();
  let path = slash >= 0 ? rest.slice(slash) : '';
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3);
  if (path === '/') path = '';
  const at = hostPort.lastIndexOf('@'); // user info is not part of the host
  const { host, port } = splitHostPort(at >= 0 ? hostPort.slice(at + 1) : hostPort);
  if (host === '') return undefined;
  const hostParts: Glob[] = [];
  for (const part of host.split('.')) {
    const glob = compileGlob(part);
    if (!glob) return undefined;
    hostParts.push(glob);
  }
  return { key: `${hostPort.slice(at + 1)}${path}`, port, path, hostParts };
}

/** True when `key` applies to the image at `registry` (`host[:port]`) and `repository` (may be empty: registry-wide). */
export function kubeletKeyMatches(key: KubeletKey, registry: string, repository: string): boolean {
  const { host, port } = splitHostPort(registry.toLowerCase());
  if (port !== key.port) return false;
  const parts = host.split('.');
  if (parts.length !== key.hostParts.length) return false;
  const path = repository === '' ? '' : `/${repository}`;
  if (!path.startsWith(key.path)) return false;
  return key.hostParts.every((glob, i) => glob.matches(parts[i] as string));
}

/** Orders keys as the kubelet's index does: reverse code-point order of the normalised key. */
export function kubeletOrder(a: KubeletKey, b: KubeletKey): number {
  return a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
}

/** `host:port` → parts, as Go's `net.SplitHostPort` (an unparsable value is all host, no port). */
function splitHostPort(value: string): { host: string; port: string } {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return { host: value, port: '' };
    const after = value.slice(close + 1);
    if (after.startsWith(':') && !after.slice(1).includes(':')) return { host: value.slice(1, close), port: after.slice(1) };
    return { host: value, port: '' };
  }
  const colon = value.indexOf(':');
  if (colon < 0 || value.indexOf(':', colon + 1) >= 0) return { host: value, port: '' };
  return { host: value.slice(0, colon), port: value.slice(colon + 1) };
}
