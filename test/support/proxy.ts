/**
 * A fault-injecting HTTP proxy in front of a test registry (and its token server).
 *
 * Clients talk only to the proxy: absolute `Location` headers pointing at the registry and the
 * token `realm` in `WWW-Authenticate` are rewritten to the proxy's origin, and requests to a
 * rewritten realm path are forwarded to the token server. Faults are matched by method and a
 * regex on the request target (path plus query) and fire a fixed number of times. Bodies are
 * streamed both ways; nothing is buffered except canned `respond` bodies.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeHttpServer, listenEphemeral } from './net.ts';

/** A canned response served instead of forwarding (e.g. a schema1 or an oversize manifest). */
export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** A response with an error status (and an OCI error body) served instead of forwarding. */
export interface StatusFault {
  status: number;
  /** Sent as `Retry-After` (seconds or an HTTP date). */
  retryAfter?: string;
  headers?: Record<string, string>;
}

/**
 * What happens to a matched request:
 * - `reset`: the connection is destroyed before anything is forwarded;
 * - `reset-after-upstream`: forwarded, then the connection is destroyed once the registry has
 *   answered (the change happened, the client never hears of it);
 * - `drop-mid-body`: status and headers, then half the body (or half the first chunk when the
 *   length is unknown), then the connection is destroyed; an empty body degrades to
 *   `reset-after-upstream`;
 * - `stall`: status and headers, then nothing for `stallMs`, then the rest;
 * - `corrupt-body`: one byte in the middle of the body is inverted, length unchanged;
 * - `{status…}`: an error response (OCI error JSON body), not forwarded;
 * - `{respond…}`: a canned response, not forwarded.
 */
export type Fault =
  | 'reset'
  | 'reset-after-upstream'
  | 'drop-mid-body'
  | 'stall'
  | 'corrupt-body'
  | StatusFault
  | { respond: CannedResponse };

/** One programmable fault. */
export interface FaultRule {
  /** `method` is compared case-insensitively; `path` is tested against path + query. */
  match: { method?: string; path: RegExp };
  /** How many matching requests the fault hits (use `Infinity` for all). */
  times: number;
  /** Let this many matching requests through untouched before the fault starts (default 0). */
  skip?: number;
  fault: Fault;
  /** For `stall`: how long to hold the body (default 10 000 ms). */
  stallMs?: number;
}

/** The faults in force; the first matching rule with budget left decides. */
export type FaultPlan = readonly FaultRule[];

/** One request seen by the proxy. */
export interface ProxyRequestRecord {
  method: string;
  /** Path without the query. */
  path: string;
  /** Path with the query, as received. */
  url: string;
  /** Status sent to the client; 0 when the connection was reset before a status line. */
  status: number;
  /** The fault applied, if any (`503`, `reset`, `respond`, …). */
  fault?: string;
}

/** A running fault proxy. */
export interface FaultProxy extends AsyncDisposable {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Every request so far, in arrival order. */
  requests: ProxyRequestRecord[];
  /** Replaces the plan and resets all fault counters. */
  setPlan(plan: FaultPlan): void;
  /** How many times each rule of the current plan has fired, by index. */
  fired(): number[];
  /** Stops the proxy, dropping every open connection and stalled response. */
  stop(): Promise<void>;
}

interface RuleState {
  rule: FaultRule;
  seen: number;
  fired: number;
}

const OCI_ERROR_CODES: Record<number, string> = {
  401: 'UNAUTHORIZED',
  403: 'DENIED',
  404: 'NAME_UNKNOWN',
  429: 'TOOMANYREQUESTS',
  500: 'UNKNOWN',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
};

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

function faultLabel(fault: Fault): string {
  if (typeof fault === 'string') return fault;
  if ('respond' in fault) return 'respond';
  return String(fault.status);
}

/** Starts a proxy on an ephemeral 127.0.0.1 port forwarding to `target` (`http://127.0.0.1:PORT`). */
export async function startFaultProxy(target: string, plan: FaultPlan = []): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const requests: ProxyRequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  /** Token realm paths we rewrote → the origin they really live on. */
  const realmRoutes = new Map<string, string>();
  let states: RuleState[] = [];
  let proxyOrigin = '';

  const setPlan = (next: FaultPlan): void => {
    states = next.map((rule) => ({ rule, seen: 0, fired: 0 }));
  };
  setPlan(plan);

  const pickFault = (method: string, url: string): RuleState | undefined => {
    for (const state of states) {
      const { match, times } = state.rule;
      if (match.method !== undefined && match.method.toUpperCase() !== method) continue;
      match.path.lastIndex = 0;
      if (!match.path.test(url)) continue;
      if (state.fired >= times) continue;
      state.seen++;
      if (state.seen <= (state.rule.skip ?? 0)) return undefined;
      state.fired++;
      return state;
    }
    return undefined;
  };

  const rewriteHeader = (name: string, value: string): string => {
    const lower = name.toLowerCase();
    if (lower === 'location') {
      if (value.startsWith(targetUrl.origin)) return proxyOrigin + value.slice(targetUrl.origin.length);
      return value;
    }
    if (lower === 'www-authenticate') {
      return value.replace(/realm="([^"]*)"/i, (whole, realm: string) => {
        let parsed: URL;
        try {
          parsed = new URL(realm);
        } catch {
          return whole;
        }
        realmRoutes.set(parsed.pathname, parsed.origin);
        return `realm="${proxyOrigin}${parsed.pathname}${parsed.search}"`;
      });
    }
    return value;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? url;
    const record: ProxyRequestRecord = { method, path, url, status: 0 };
    requests.push(record);
    const state = pickFault(method, url);
    const fault = state?.rule.fault;
    if (fault !== undefined) record.fault = faultLabel(fault);

    const destroyClient = (): void => {
      req.socket.destroy();
    };

    if (fault === 'reset') {
      destroyClient();
      return;
    }
    if (typeof fault === 'object' && 'respond' in fault) {
      req.resume();
      const body = fault.respond.body === undefined ? Buffer.alloc(0) : Buffer.from(fault.respond.body);
      const headers: Record<string, string | number> = { 'content-length': body.length, ...fault.respond.headers };
      record.status = fault.respond.status;
      res.writeHead(fault.respond.status, headers);
      res.end(body);
      return;
    }
    if (typeof fault === 'object') {
      req.resume();
      const code = OCI_ERROR_CODES[fault.status] ?? 'UNKNOWN';
      const body = JSON.stringify({ errors: [{ code, message: `injected ${fault.status} by the fault proxy`, detail: null }] });
      const headers: Record<string, string | number> = {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
        ...fault.headers,
      };
      record.status = fault.status;
      res.writeHead(fault.status, headers);
      res.end(body);
      return;
    }

    const upstreamOrigin = realmRoutes.get(path) ?? targetUrl.origin;
    const upstreamUrl = new URL(url, upstreamOrigin);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers[name] = value;
    }
    headers['host'] = upstreamUrl.host;

    const upstream = httpRequest(upstreamUrl, { method, headers, agent });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) {
        record.status = 502;
        const body = JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: `proxy upstream error: ${err.message}` }] });
        res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } else {
        destroyClient();
      }
    });
    upstream.on('response', (upRes) => {
      if (fault === 'reset-after-upstream') {
        upRes.resume();
        destroyClient();
        return;
      }
      const rawHeaders: string[] = [];
      for (let i = 0; i + 1 < upRes.rawHeaders.length; i += 2) {
        const name = upRes.rawHeaders[i]!;
        if (HOP_BY_HOP.has(name.toLowerCase())) continue;
        rawHeaders.push(name, rewriteHeader(name, upRes.rawHeaders[i + 1]!));
      }
      const status = upRes.statusCode ?? 502;
      const lengthHeader = upRes.headers['content-length'];
      const length = lengthHeader === undefined ? undefined : Number(lengthHeader);
      const bodyless = method === 'HEAD' || status === 204 || status === 304 || length === 0;

      if (fault === 'drop-mid-body' && bodyless) {
        upRes.resume();
        destroyClient();
        return;
      }
      record.status = status;
      res.writeHead(status, upRes.statusMessage, rawHeaders);

      if (fault === 'drop-mid-body') {
        let sent = 0;
        upRes.on('data', (chunk: Buffer) => {
          const cut = length !== undefined ? Math.floor(length / 2) : sent + Math.floor(chunk.length / 2);
          if (sent + chunk.length < cut) {
            sent += chunk.length;
            res.write(chunk);
            return;
          }
          upRes.pause();
          upRes.removeAllListeners('data');
          res.write(chunk.subarray(0, cut - sent), () => destroyClient());
          upstream.destroy();
        });
        return;
      }
      if (fault === 'corrupt-body') {
        let offset = 0;
        const target = length !== undefined ? Math.floor(length / 2) : 0;
        upRes.on('data', (chunk: Buffer) => {
          let out = chunk;
          if (target >= offset && target < offset + chunk.length) {
            out = Buffer.from(chunk);
            out[target - offset] = out[target - offset]! ^ 0xff;
          }
          offset += chunk.length;
          if (!res.write(out)) {
            upRes.pause();
            res.once('drain', () => upRes.resume());
          }
        });
        upRes.on('end', () => res.end());
        return;
      }
      if (fault === 'stall') {
        res.flushHeaders();
        upRes.pause();
        const timer = setTimeout(() => {
          timers.delete(timer);
          upRes.pipe(res);
        }, state?.rule.stallMs ?? 10_000);
        timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      upRes.pipe(res);
    });
    req.pipe(upstream);
  };

  const server = createServer(handle);
  const port = await listenEphemeral(server);
  proxyOrigin = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeHttpServer(server);
      agent.destroy();
    })();
    return stopping;
  };

  return {
    host: `127.0.0.1:${port}`,
    url: proxyOrigin,
    requests,
    setPlan,
    fired: () => states.map((s) => s.fired),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
