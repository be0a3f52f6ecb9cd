/**
 * The planner's inputs taken from the configuration and the target, computed once at start-up so every
 * plan reads ready values (parsed platforms, compiled `pathMap`, a set of ignored tags).
 */
import type { Config, SparseIndexFallback } from '../config/index.ts';
import type { Platform } from '../oci/index.ts';
import { validateNamingRules, type PathMapRule, type Target } from '../targets/index.ts';
import { parseMirrorPlatforms } from './platforms.ts';

/** Everything the planner decides by (see `planner.ts`). */
export interface MirrorRules {
  /** Host pushes go to (`Target.registry`). */
  readonly targetRegistry: string;
  /** Fixed path in front of every target repository (`Target.repositoryPrefix`), `''` for none. */
  readonly targetPathPrefix: string;
  /** `repoPrefix` template of the selected target kind. */
  readonly repoPrefix: string;
  /** `pathMap` rules; one array for the whole run (targets compile it once, by identity). */
  readonly pathMap: readonly PathMapRule[];
  readonly digestPull: boolean;
  /** `digestPullIgnoredTags`, lowercase. */
  readonly digestPullIgnoredTags: ReadonlySet<string>;
  /** `mirrorPlatforms`, parsed and normalised. */
  readonly mirrorPlatforms: readonly Platform[];
  readonly checkNodePlatform: boolean;
  readonly allowDifferentDigestRepush: boolean;
  /** `excludeRegistries`, config-normalised. */
  readonly excludeRegistries: readonly string[];
  readonly ignoreMissingPlatforms: readonly RegExp[];
  readonly sparseFallback: SparseIndexFallback;
}

/** The parts of a {@link Target} naming depends on. */
export type TargetNaming = Pick<Target, 'registry'> & { readonly repositoryPrefix?: string | undefined };

/**
 * Derives the rules from a loaded configuration and the target built from it. Throws `PATH_MAP_INVALID` for a
 * `pathMap` rule that cannot compile, so a bad configuration fails at start-up.
 */
export function rulesFromConfig(config: Config, target: TargetNaming, onInvalidPlatform?: (entry: string, error: unknown) => void): MirrorRules {
  const pathMap: PathMapRule[] = config.pathMap.map((m) => (m.regex ? { from: m.from, to: m.to, regex: true, pattern: m.pattern } : { from: m.from, to: m.to }));
  const repoPrefix = config.targetKind === 'ecr' ? config.ecr.repoPrefix : config.docker.repoPrefix;
  validateNamingRules({ repoPrefix, pathMap });
  return Object.freeze({
    targetRegistry: target.registry,
    targetPathPrefix: (target.repositoryPrefix ?? '').replace(/^\/+|\/+$/g, ''),
    repoPrefix,
    pathMap,
    digestPull: config.digestPull,
    digestPullIgnoredTags: new Set(config.digestPullIgnoredTags.map((t) => t.trim().toLowerCase())),
    mirrorPlatforms: parseMirrorPlatforms(config.mirrorPlatforms, onInvalidPlatform),
    checkNodePlatform: config.checkNodePlatform,
    allowDifferentDigestRepush: config.allowDifferentDigestRepush,
    excludeRegistries: config.excludeRegistries,
    ignoreMissingPlatforms: config.ignoreMissingPlatforms,
    sparseFallback: config.sparseIndexFallback,
  });
}

/** Rules with every default of k8s-copycat, for a target registry; tests and library callers override fields. */
export function defaultRules(targetRegistry: string, overrides: Partial<MirrorRules> = {}): MirrorRules {
  return Object.freeze({
    targetRegistry,
    targetPathPrefix: '',
    repoPrefix: '',
    pathMap: [],
    digestPull: false,
    digestPullIgnoredTags: new Set(['latest']),
    mirrorPlatforms: [],
    checkNodePlatform: false,
    allowDifferentDigestRepush: true,
    excludeRegistries: [],
    ignoreMissingPlatforms: [],
    sparseFallback: 'platforms' as const,
    ...overrides,
  });
}
