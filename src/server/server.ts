import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../internal/errors.ts';
import { resolveListenAddresses, urlFor, type ListenAddress } from './address.ts';
import { ServerError } from './errors.ts';
import { sendText } from './respond.ts';
import { metricsRoutes, probeRoutes, type EndpointHandlers, type Route } from './routes.ts';

/** What {@link startServer} needs: where to listen and the callbacks behind each endpoint. */
export interface ServerOptions extends EndpointHandlers {
  /** `METRICS_ADDR`: `:8080` when unset or blank; `0` disables `/metrics`, the admin endpoints and `/status`. */
  metricsAddr?: string | number | undefined;
  /** Health probe address: `:8081` when unset; blank or `0` disables the probes. */
  probeAddr?: string | number | undefined;
  /** How long {@link RunningServer.stop} lets requests in flight finish before cutting them (default 5000 ms). */
  shutdownGraceMs?: number | undefined;
}

/** The running endpoints. */
export interface RunningServer {
  /** Base URL of the metrics port (`http://127.0.0.1:8080`), undefined when disabled. */
  readonly metricsUrl: string | undefined;
  /** Base URL of the probe port, undefined when disabled. */
  readonly probeUrl: string | undefined;
  /** Stops accepting, lets requests in flight finish within the grace period, then closes every connection. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the metrics port and the probe port (inventory §5.2) and resolves once both listen.
 * Throws {@link ServerError} `LISTEN_ADDRESS_INVALID` for a bad address and `LISTEN_FAILED` when a
 * port cannot be bound; a server already started is closed again before the throw.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const addrs = resolveListenAddresses(opts);
  const log = opts.log ?? (() => {});
  const shutdown: Shutdown = { closing: new AbortController(), cut: new AbortController() };
  const started: Server[] = [];
  const listenOn = async (addr: ListenAddress | undefined, what: string, routes: Map<string, Route>): Promise<string | undefined> => {
    if (!addr) return undefined;
    const server = createServer(dispatch(routes, shutdown, log));
    const url = await listen(server, addr, what);
    started.push(server);
    server.on('error', (error) => log('error', 'http server error', { server: what, error: errorMessage(error) }));
    return url;
  };
  let metricsUrl: string | undefined;
  let probeUrl: string | undefined;
  try {
    metricsUrl = await listenOn(addrs.metrics, 'metrics address', metricsRoutes(opts));
    probeUrl = await listenOn(addrs.probe, 'health probe address', probeRoutes(opts));
  } catch (error) {
    await closeAll(started, shutdown, 0);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    metricsUrl,
    probeUrl,
    stop: () => (stopping ??= closeAll(started, shutdown, opts.shutdownGraceMs ?? 5_000)),
  };
}

/** The two stages of a stop: `closing` (no new connections, finish what runs) and `cut` (grace over). */
interface Shutdown {
  closing: AbortController;
  cut: AbortController;
}

/** Routes one request: 404 for unknown paths, 405 with `Allow` for other methods, 500 when a handler throws. */
function dispatch(routes: Map<string, Route>, shutdown: Shutdown, log: NonNullable<ServerOptions['log']>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    // Split by hand: `new URL('//x', base)` would read `//x` as a host, not a path.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const route = routes.get(path);
    // Once stopping, answers close their connection: a kept-alive socket would otherwise hold stop()
    // open until the client's idle timeout, since Node only closes connections idle at close() time.
    const closeAfter = (): void => {
      if (!res.headersSent) res.setHeader('connection', 'close');
    };
    if (shutdown.closing.signal.aborted) closeAfter();
    else shutdown.closing.signal.addEventListener('abort', closeAfter, { once: true });
    res.on('close', () => shutdown.closing.signal.removeEventListener('abort', closeAfter));
    req.resume(); // no endpoint reads a body; drain it so the connection can be reused
    if (!route) return sendText(res, 404, '404 page not found\n');
    if (!route.methods.includes(req.method ?? '')) return sendText(res, 405, 'Method Not Allowed\n', { allow: route.methods.join(', ') });
    const client = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) client.abort();
    });
    const signal = AbortSignal.any([client.signal, shutdown.cut.signal]);
    Promise.resolve()
      .then(() => route.handle({ req, res, query, signal }))
      .catch((error: unknown) => {
        log('error', 'request failed', { method: req.method, path, error: errorMessage(error) });
        if (!res.headersSent) sendText(res, 500, `internal server error: ${errorMessage(error)}\n`);
        else res.destroy();
      });
  };
}

async function listen(server: Server, addr: ListenAddress, what: string): Promise<string> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: addr.host, port: addr.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const shown = addr.host === undefined ? `:${addr.port}` : addr.host.includes(':') ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
    throw new ServerError('LISTEN_FAILED', `cannot listen on ${what} ${JSON.stringify(shown)}: ${errorMessage(error)}`, { cause: error });
  }
  const bound = server.address() as AddressInfo;
  return urlFor(bound.address, bound.port);
}

/** Graceful close: no new connections, idle ones closed now, busy ones after `graceMs` (their handlers aborted). */
async function closeAll(servers: readonly Server[], shutdown: Shutdown, graceMs: number): Promise<void> {
  shutdown.closing.abort();
  const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
  for (const s of servers) s.closeIdleConnections();
  const cut = (): void => {
    shutdown.cut.abort();
    for (const s of servers) s.closeAllConnections();
  };
  const timer = setTimeout(cut, graceMs);
  timer.unref();
  await Promise.all(closed);
  clearTimeout(timer);
}
