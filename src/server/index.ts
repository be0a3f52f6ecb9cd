export { startServer } from './server.ts';
export type { RunningServer, ServerOptions } from './server.ts';
export type { EndpointHandlers, MetricsSource, ServerLog } from './routes.ts';
export type { CooldownResetBody, CooldownResetOutcome, ForceReconcileBody, ForceReconcileOutcome } from './admin.ts';
export { DEFAULT_METRICS_ADDR, DEFAULT_PROBE_ADDR, parseListenAddress, resolveListenAddresses } from './address.ts';
export type { ListenAddress } from './address.ts';
export { ServerError } from './errors.ts';
export type { ServerErrorCode } from './errors.ts';
