import { isIP } from 'node:net';
import { ServerError } from './errors.ts';

/** Where one server listens; `host` undefined means every interface (Go's empty host in `:8080`). */
export interface ListenAddress {
  host: string | undefined;
  port: number;
}

/** k8s-copycat's `METRICS_ADDR` default (inventory §1.3). */
export const DEFAULT_METRICS_ADDR = ':8080';
/** controller-runtime's `-health-probe-bind-address` default as k8s-copycat sets it (inventory §5.2). */
export const DEFAULT_PROBE_ADDR = ':8081';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/**
 * Parses a bind address in the forms Go's `net.Listen` takes and k8s-copycat users write:
 * `:8080`, `0.0.0.0:8080`, `127.0.0.1:0`, `localhost:8080`, `[::1]:8080`. An empty port means "any
 * free port" as in Go. `0` (string or number) returns `undefined`: the server is disabled, as
 * controller-runtime's `--metrics-bind-address=0`. A number is a port on every interface.
 *
 * Throws {@link ServerError} `LISTEN_ADDRESS_INVALID` naming `what` and quoting the input.
 */
export function parseListenAddress(input: string | number, what = 'listen address'): ListenAddress | undefined {
  const fail = (why: string): never => {
    throw new ServerError('LISTEN_ADDRESS_INVALID', `invalid ${what} ${JSON.stringify(input)}: ${why}`);
  };
  if (typeof input === 'number') {
    if (input === 0) return undefined;
    if (!Number.isInteger(input) || input < 0 || input > 65535) fail('a port must be an integer from 0 to 65535');
    return { host: undefined, port: input };
  }
  const s = input.trim();
  if (s === '0') return undefined;
  if (s === '') fail('it is empty (use ":8080" for every interface, or "0" to disable)');

  let host: string;
  let portText: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) fail('missing "]" after the IPv6 address');
    host = s.slice(1, end);
    const rest = s.slice(end + 1);
    if (!rest.startsWith(':')) fail('missing ":port" after "]"');
    portText = rest.slice(1);
    // A zone (`fe80::1%eth0`) is allowed; only IPv6 literals belong in brackets.
    if (isIP(host.split('%')[0] ?? '') !== 6) fail(`${JSON.stringify(host)} in brackets is not an IPv6 address`);
  } else {
    const colon = s.lastIndexOf(':');
    if (colon < 0) fail(/^\d+$/.test(s) ? `missing ":" before the port (did you mean ":${s}"?)` : 'missing ":port"');
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
    if (host.includes(':')) fail('an IPv6 address needs brackets, e.g. "[::1]:8080"');
    if (host !== '' && isIP(host) !== 4 && !HOSTNAME.test(host)) fail(`${JSON.stringify(host)} is not a host name or IP address`);
  }
  if (!/^\d{0,5}$/.test(portText)) fail(`port ${JSON.stringify(portText)} is not a number`);
  const port = portText === '' ? 0 : Number(portText);
  if (port > 65535) fail(`port ${port} is above 65535`);
  return { host: host === '' ? undefined : host, port };
}

/**
 * Applies the upstream defaults, then parses both addresses:
 * metrics — unset or blank means `:8080` (controller-runtime defaults an empty BindAddress), `0` disables;
 * probes — unset means `:8081`, blank or `0` disables (controller-runtime's HealthProbeBindAddress).
 */
export function resolveListenAddresses(opts: { metricsAddr?: string | number | undefined; probeAddr?: string | number | undefined }): {
  metrics: ListenAddress | undefined;
  probe: ListenAddress | undefined;
} {
  const metricsAddr = opts.metricsAddr === undefined || (typeof opts.metricsAddr === 'string' && opts.metricsAddr.trim() === '') ? DEFAULT_METRICS_ADDR : opts.metricsAddr;
  const probeAddr = opts.probeAddr ?? DEFAULT_PROBE_ADDR;
  return {
    metrics: parseListenAddress(metricsAddr, 'metrics address'),
    probe: typeof probeAddr === 'string' && probeAddr.trim() === '' ? undefined : parseListenAddress(probeAddr, 'health probe address'),
  };
}

/** A base URL that reaches a bound socket: unspecified addresses become the loopback of their family. */
export function urlFor(address: string, port: number): string {
  if (address === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (address === '::') return `http://[::1]:${port}`;
  return isIP(address) === 6 ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
