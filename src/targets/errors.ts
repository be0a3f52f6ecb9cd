import { CopycatError } from '../internal/errors.ts';

/**
 * A target was configured wrongly or a name cannot be built. Codes:
 * - `TARGET_CONFIG_INVALID`: a docker target option is unusable (registry host, conflicting credentials).
 * - `PATH_MAP_INVALID`: a `pathMap` rule is malformed (e.g. a regex that does not compile). k8s-copycat drops
 *   such rules silently (reference §7.1 item 8); copycat refuses them at start-up, naming the rule.
 *
 * ECR failures are `EcrError` (`ecr/errors.ts`).
 */
export class TargetError extends CopycatError {}
