export { Transport, discard, readBounded, readText, errorFromResponse } from './transport.ts';
export type { TransportRequest, TransportResponse, TransportObserver, TransportOptions } from './transport.ts';
export { RegistryError, parseErrorBody, redactUrl } from './errors.ts';
export type { RegistryErrorEntry, RegistryErrorInit } from './errors.ts';
export { HostGate } from './host-gate.ts';
