import { errorMessage } from '../internal/errors.ts';

/**
 * What a cooldown reset did: the number of cleared entries (the cooldown is enabled), or
 * `{ cleared, enabled }` to report a disabled cooldown, or `null` while the controller is not running yet.
 */
export type CooldownResetOutcome = number | { cleared: number; enabled: boolean } | null;

/**
 * What a forced reconcile did: nothing to report (`undefined`), counts with an optional `error` for a
 * partial failure, or `null` while the controller is not running yet. A throw is a failure with no counts.
 */
export type ForceReconcileOutcome = undefined | void | { workloadsProcessed: number; imagesMirrored: number; error?: unknown } | null;

/** The body of `/reset-cooldown`, field for field k8s-copycat's (inventory §5.2). */
export interface CooldownResetBody {
  reset: boolean;
  clearedTargets: number;
  message: string;
}

/** The body of `/force-reconcile`, field for field k8s-copycat's (inventory §5.2). */
export interface ForceReconcileBody {
  triggered: boolean;
  success: boolean;
  workloadsProcessed: number;
  imagesMirrored: number;
  message: string;
}

/** Upstream's response for a cooldown reset outcome (`undefined`: the callback is not wired at all). */
export function cooldownResetBody(outcome: CooldownResetOutcome | undefined): CooldownResetBody {
  if (outcome === null || outcome === undefined) return { reset: false, clearedTargets: 0, message: 'cooldown reset service not ready' };
  const { cleared, enabled } = typeof outcome === 'number' ? { cleared: outcome, enabled: true } : outcome;
  const message = !enabled ? 'failure cooldown disabled' : cleared === 0 ? 'no cooldown entries to reset' : 'failure cooldown reset';
  return { reset: enabled && cleared > 0, clearedTargets: cleared, message };
}

/** Upstream's response for a force-reconcile outcome; `thrown` is set when the callback threw. */
export function forceReconcileBody(outcome: ForceReconcileOutcome, thrown?: { error: unknown }): ForceReconcileBody {
  if (thrown) return { triggered: true, success: false, workloadsProcessed: 0, imagesMirrored: 0, message: `force reconcile failed: ${errorMessage(thrown.error)}` };
  if (outcome === null) return { triggered: false, success: false, workloadsProcessed: 0, imagesMirrored: 0, message: 'force reconcile service not ready' };
  const counts = { workloadsProcessed: outcome?.workloadsProcessed ?? 0, imagesMirrored: outcome?.imagesMirrored ?? 0 };
  if (outcome && outcome.error !== undefined) {
    return { triggered: true, success: false, ...counts, message: `force reconcile failed: ${errorMessage(outcome.error)}` };
  }
  return { triggered: true, success: true, ...counts, message: 'force reconcile completed' };
}
