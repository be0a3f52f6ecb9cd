import { isDockerHub } from '../reference/index.ts';
import { cleanRepoName } from './clean-name.ts';
import { applyPathMap, compilePathMap, type CompiledPathMapRule, type PathMapRule } from './path-map.ts';

/** How source repositories are named in the target: `repoPrefix` template (§3.9) and `pathMap` rules (§3.10). */
export interface NamingRules {
  repoPrefix?: string;
  pathMap?: PathMapRule[];
}

/** The values `repoPrefix` placeholders expand to for one image. */
export interface NamingContext {
  /** `$namespace`. */
  namespace?: string;
  /** `$podname`: the workload name, or the pod name for bare pods. */
  podName?: string;
  /** `$container_name` (init and ephemeral containers too). */
  containerName?: string;
  /** `$arch`: the node architecture, or {@link architectureLabel} of what was pushed; empty drops the segment. */
  architecture?: string;
  /** `$registry`: the source registry; every Docker Hub alias renders as `docker.io`, ports are kept. */
  registry?: string;
}

const PLACEHOLDER = /\$(namespace|podname|container_name|arch|registry)/g;

/**
 * Expands a `repoPrefix` template (k8s-copycat `expandRepoPrefix`, reference §3.9): `$namespace`, `$podname`,
 * `$container_name`, `$arch`, `$registry` are replaced in one pass (replaced text is not expanded again, and
 * tokens are not delimited: `$namespaces` is `<namespace>s`), then the result is split on `/`, each segment
 * trimmed and empty ones dropped, so an empty placeholder removes its segment. Case is kept.
 */
export function expandRepoPrefix(prefix: string | undefined, ctx: NamingContext): string {
  const trimmed = (prefix ?? '').trim();
  if (trimmed === '') return '';
  const values: Record<string, string> = {
    namespace: ctx.namespace ?? '',
    podname: ctx.podName ?? '',
    container_name: ctx.containerName ?? '',
    arch: ctx.architecture ?? '',
    registry: registryLabel(ctx.registry),
  };
  return trimmed
    .replace(PLACEHOLDER, (_, name: string) => values[name] ?? '')
    .trim()
    .split('/')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join('/');
}

/** `$registry`'s value: trimmed, Docker Hub aliases (`index.docker.io`, `registry-1.docker.io`) as `docker.io`. */
function registryLabel(registry: string | undefined): string {
  const r = (registry ?? '').trim();
  return r !== '' && isDockerHub(r) ? 'docker.io' : r;
}

const compiled = new WeakMap<readonly PathMapRule[], CompiledPathMapRule[]>();

function compiledRules(rules: readonly PathMapRule[] | undefined): CompiledPathMapRule[] {
  if (!rules || rules.length === 0) return [];
  let c = compiled.get(rules);
  if (!c) {
    c = compilePathMap(rules);
    compiled.set(rules, c);
  }
  return c;
}

/**
 * Checks naming rules up front (a `pathMap` regex that does not compile throws `PATH_MAP_INVALID`), so a bad
 * configuration fails at start-up rather than on the first image.
 */
export function validateNamingRules(rules: NamingRules): void {
  compiledRules(rules.pathMap);
}

/**
 * The target repository for a source repository (k8s-copycat `resolveRepoPath`, reference §3.9–3.10):
 * `pathMap` applied to the source path (no registry host), cleaned, then the expanded `repoPrefix` in front.
 *
 * `targetRepository('library/nginx', {}, { repoPrefix: 'mirrors' })` is `mirrors/library/nginx`.
 * Throws `PATH_MAP_INVALID` for a rule whose regex does not compile. The `pathMap` array is compiled once and
 * remembered by identity, so treat it as immutable (build a new array to change the rules).
 */
export function targetRepository(sourceRepository: string, ctx: NamingContext, rules: NamingRules): string {
  const cleaned = cleanRepoName(applyPathMap(sourceRepository, compiledRules(rules.pathMap)));
  const prefix = expandRepoPrefix(rules.repoPrefix, ctx);
  if (prefix === '') return cleaned;
  return cleanRepoName(`${prefix.replace(/\/+$/, '')}/${cleaned}`);
}

/**
 * The `$arch` value of an index: its distinct architectures, sorted and joined with `-`
 * (`386-amd64-arm-arm64-ppc64le-riscv64-s390x` for alpine), variants ignored, empty and `unknown` skipped.
 * When none is known it is empty, which drops the segment, as k8s-copycat's README promises; its code used
 * `multiarch` (reference §7.1 item 7).
 */
export function architectureLabel(architectures: Iterable<string | undefined>): string {
  const set = new Set<string>();
  for (const a of architectures) {
    const v = (a ?? '').trim().toLowerCase();
    if (v !== '' && v !== 'unknown') set.add(v);
  }
  return [...set].sort().join('-');
}
