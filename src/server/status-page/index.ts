export { buildStatusPage, clientScript, contentSecurityPolicy, DEFAULT_REFRESH_MS, STATUS_PAGE_STATES, statusPage } from './page.ts';
export type { StatusPageOptions } from './page.ts';
export type { FilterState, ImageView, PageConfig, PlatformView, ReplicaView, StatusView, ThrottleView, UserView } from './types.ts';
