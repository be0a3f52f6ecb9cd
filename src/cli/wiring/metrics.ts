/**
 * Metrics wiring: one {@link CopycatMetrics} registry fed by the registry transport (throttling waits) and the
 * controller (upstream's pull/push counters, job durations, queue depth, job states). Lower modules expose
 * observer shapes and never import `metrics/` (ARCHITECTURE §3); this is where the two meet.
 */
import type { ControllerMetrics, Logger } from '../../controller/index.ts';
import { CopycatMetrics, type CopycatMetricsOptions } from '../../metrics/index.ts';
import type { TransportObserver } from '../../registry/index.ts';

/** The metrics registry and the observers that feed it. */
export interface MetricsWiring {
  /** Served on `/metrics` (it is the server's `MetricsSource`). */
  metrics: CopycatMetrics;
  /** For the registry `Transport`: every throttling wait is counted (and logged at debug). */
  transport: TransportObserver;
  /** For the `Controller`: the same object, seen through the controller's observer interface. */
  controller: ControllerMetrics;
}

/** Builds the registry and its observers; `log` receives a debug line per throttling wait. */
export function wireMetrics(log: Logger, options: CopycatMetricsOptions = {}): MetricsWiring {
  const metrics = new CopycatMetrics(options);
  return {
    metrics,
    transport: {
      onThrottle(info) {
        metrics.onThrottle(info);
        log.debug({ registry: info.host, waitMs: info.waitMs, reason: info.reason }, 'registry throttled; waiting');
      },
    },
    controller: metrics,
  };
}
