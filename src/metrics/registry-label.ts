/**
 * The `registry` label k8s-copycat derives from an image reference as written (its `registryLabel`,
 * behaviour inventory §5.1), reproduced so dashboards built on upstream's counters keep their series.
 *
 * Rules, in order: lower-case and trim (empty → no label); drop an `https://` or `http://` prefix;
 * no `/` → `docker.io`; an empty first segment → no label; a first segment that contains `.` or `:`
 * or is `localhost` is the label; anything else is on Docker Hub → `docker.io`. There is no alias
 * folding: `index.docker.io/…` stays `index.docker.io`, as upstream.
 *
 * Returns `undefined` when upstream would not increment anything.
 */
export function registryLabel(image: string): string | undefined {
  let s = image.trim().toLowerCase();
  if (s === '') return undefined;
  if (s.startsWith('https://')) s = s.slice('https://'.length);
  else if (s.startsWith('http://')) s = s.slice('http://'.length);
  // A bare scheme leaves nothing to label; upstream's later steps would call that Docker Hub, which
  // would count an empty string as a pull from docker.io, so we skip it like the empty input.
  if (s === '') return undefined;
  const slash = s.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = s.slice(0, slash);
  if (first === '') return undefined;
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first;
  return 'docker.io';
}

/**
 * Normalises a registry host given directly (as the transport and the planner know it) into a label:
 * trimmed, lower-cased, without a scheme or anything from the first `/` on. Empty → `undefined`.
 *
 * Unlike {@link registryLabel} a bare name is taken as a host, not as a Docker Hub repository, so
 * `ghcr.io` stays `ghcr.io` and `localhost:5000` stays `localhost:5000`.
 */
export function hostLabel(registry: string): string | undefined {
  let s = registry.trim().toLowerCase();
  if (s.startsWith('https://')) s = s.slice('https://'.length);
  else if (s.startsWith('http://')) s = s.slice('http://'.length);
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(0, slash);
  return s === '' ? undefined : s;
}
