/**
 * Log lines for the ECR target's events, with k8s-copycat's messages where it had one (behaviour inventory
 * §4.4, §5.3: `repository created`, `applied lifecycle policy`).
 */
import type { Logger } from '../../controller/index.ts';
import { errorMessage } from '../../internal/errors.ts';
import type { EcrObserver } from '../../targets/index.ts';

/** An {@link EcrObserver} writing to `log`. */
export function ecrLogObserver(log: Logger): EcrObserver {
  return (event) => {
    switch (event.type) {
      case 'repository-created':
        log.info({ repository: event.repository }, 'repository created');
        break;
      case 'lifecycle-policy-applied':
        log.info({ repository: event.repository }, 'applied lifecycle policy');
        break;
      case 'lifecycle-policy-failed':
        log.error({ repository: event.repository, error: errorMessage(event.error) }, 'failed to apply lifecycle policy; trying again on the next push to it');
        break;
      case 'repository-create-race':
        log.debug({ repository: event.repository }, 'repository created concurrently by another writer');
        break;
      case 'retry':
        log.debug({ action: event.action, repository: event.repository, attempt: event.attempt, delayMs: event.delayMs, awsCode: event.awsCode }, 'retrying ECR request');
        break;
      case 'token-refreshed':
        log.debug({ expiresAt: new Date(event.expiresAt).toISOString() }, 'refreshed ECR authorization token');
        break;
    }
  };
}
