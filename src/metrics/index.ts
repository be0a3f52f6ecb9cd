export { CopycatMetrics, OVERFLOW_REGISTRY } from './metrics.ts';
export type { CopycatMetricsOptions, MirrorResult, ThrottleInfo } from './metrics.ts';
export { hostLabel, registryLabel } from './registry-label.ts';
