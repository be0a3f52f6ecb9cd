/**
 * `watchResources`: which workload kinds the controller watches (k8s-copycat `ParseWatchResources`,
 * inventory §1.3, §6.5).
 */

/** The resource types copycat can watch, as their lowercase plural names. */
export type WatchResource = 'deployments' | 'statefulsets' | 'daemonsets' | 'jobs' | 'cronjobs' | 'pods';

/** All watchable resources, in upstream's order; the default when nothing is configured. */
export const ALL_WATCH_RESOURCES: readonly WatchResource[] = Object.freeze([
  'deployments',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'pods',
]);

const SUPPORTED: ReadonlySet<string> = new Set(ALL_WATCH_RESOURCES);

function isWatchResource(name: string): name is WatchResource {
  return SUPPORTED.has(name);
}

/**
 * Parses entries case-insensitively (`Pods` → `pods`), dropping blanks and duplicates while keeping
 * the first-seen order. Entries that are not a supported plural name come back raw in `invalid`.
 */
export function parseWatchResources(values: readonly string[]): { parsed: WatchResource[]; invalid: string[] } {
  const parsed: WatchResource[] = [];
  const invalid: string[] = [];
  for (const raw of values) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (!isWatchResource(name)) invalid.push(raw);
    else if (!parsed.includes(name)) parsed.push(name);
  }
  return { parsed, invalid };
}
