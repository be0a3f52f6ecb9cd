import { CopycatError } from '../../internal/errors.ts';

/**
 * `copycat controller` could not start. `message` is k8s-copycat's start-up log message for the failing stage
 * (behaviour inventory §1.4: `resolve configuration failed`, `create kubernetes client failed 🙀`, …) so the
 * operator greps the same words; `cause` is the underlying error. It has been logged (as JSON) when thrown.
 */
export class StartupError extends CopycatError {
  constructor(message: string, cause: unknown) {
    super('CONTROLLER_START_FAILED', message, { cause });
  }
}

/**
 * `/force-reconcile` reached a replica that does not lead: it mirrors nothing (two replicas must never do the
 * same work) and says which replica does. Upstream's followers ran the scan anyway (behaviour inventory §5.2).
 */
export class NotLeaderError extends CopycatError {
  constructor(message: string) {
    super('NOT_LEADER', message);
  }
}
