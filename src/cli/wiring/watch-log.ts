/** Log lines for the watches' status events: routine ones at debug, trouble at info or error. */
import type { Logger } from '../../controller/index.ts';
import { errorMessage } from '../../internal/errors.ts';
import type { WatchStatusEvent } from '../../kube/index.ts';

/** A `WatchTuning.onStatus` observer writing to `log`. */
export function watchStatusLogger(log: Logger): (event: WatchStatusEvent) => void {
  return (event) => {
    const where = { resource: event.resource, ...(event.namespace !== undefined ? { namespace: event.namespace } : {}) };
    switch (event.type) {
      case 'listed':
        log.debug({ ...where, count: event.count, pages: event.pages, resourceVersion: event.resourceVersion }, 'listed resources');
        break;
      case 'watching':
        log.debug({ ...where, resourceVersion: event.resourceVersion }, 'watching resources');
        break;
      case 'closed':
        log.debug({ ...where, events: event.events }, 'watch closed; watching again');
        break;
      case 'gone':
        log.info({ ...where, resourceVersion: event.resourceVersion }, 'watch expired (410 Gone); listing again');
        break;
      case 'stalled':
        log.info({ ...where, silentMs: event.silentMs }, 'watch silent too long; watching again');
        break;
      case 'error':
        log.error({ ...where, error: errorMessage(event.error), code: event.error.code, retryInMs: event.retryInMs }, 'watch failed; retrying');
        break;
      case 'bad-event':
        log.error({ ...where, eventType: event.eventType }, 'ignored a watch event that is not an object');
        break;
      case 'handler-error':
        log.error({ ...where, error: errorMessage(event.error) }, 'watch handler failed');
        break;
    }
  };
}
