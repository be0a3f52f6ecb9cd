// Test-only: a real `node:http` server on 127.0.0.1 that answers from a list of canned exchanges
// (the idea of regclient's `reqresp` package, written from scratch). Tests talk to it through the
// real transport, so nothing of the HTTP client is mocked. Not exported from index.ts.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';

/** A request as the server received it, kept so tests can assert on what the client sent. */
export interface SeenRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names, as Node parses them. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A fixed answer. */
export interface CannedReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
}

/** Answers by hand, for replies a table cannot express (dropped connections, chunked bodies). */
export type CannedHandler = (req: SeenRequest, res: ServerResponse) => unknown;

/** One "request → response" entry; the first entry that matches and has uses left answers. */
export interface Canned {
  method: string;
  /** Exact path (no query) or a pattern tested against it. */
  path: string | RegExp;
  /** Extra condition on the request (headers, query, body). */
  when?: (req: SeenRequest) => boolean;
  reply: CannedReply | CannedHandler;
  /** How many requests this entry answers (default: unlimited); lets a test script "503, 503, then 200". */
  times?: number;
}

/** A running canned server. */
export interface CannedServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `127.0.0.1:PORT`, the registry name a client uses. */
  readonly host: string;
  /** Every request that reached a handler, in arrival order. */
  readonly requests: SeenRequest[];
  /** Requests no entry matched (answered 599 so the client sees something odd). */
  readonly unmatched: SeenRequest[];
  /** Appends entries (for replies that need the server's own URL, e.g. redirects and realms). */
  add(...entries: Canned[]): void;
  /** Requests whose method and path equal the given ones. */
  seen(method: string, path: string | RegExp): SeenRequest[];
  /** Closes the server and every connection still open. */
  close(): Promise<void>;
}

/** Starts a canned server on an ephemeral loopback port. */
export async function startCannedServer(entries: Canned[] = []): Promise<CannedServer> {
  const table: Array<Canned & { used: number }> = entries.map((e) => ({ ...e, used: 0 }));
  const requests: SeenRequest[] = [];
  const unmatched: SeenRequest[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // A handler bug must fail the test loudly, not hang it.
      if (!res.headersSent) res.writeHead(598, { 'content-type': 'text/plain' });
      res.end(`canned handler failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) parts.push(chunk);
    const url = new URL(req.url ?? '/', 'http://canned');
    const seen: SeenRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(parts) };
    requests.push(seen);
    const entry = table.find((e) => e.method === seen.method && pathMatches(e.path, seen.path) && (e.times === undefined || e.used < e.times) && (e.when?.(seen) ?? true));
    if (!entry) {
      unmatched.push(seen);
      res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(`no canned response for ${seen.method} ${seen.path}`);
      return;
    }
    entry.used++;
    if (typeof entry.reply === 'function') {
      await entry.reply(seen, res);
      return;
    }
    const body = entry.reply.body === undefined ? undefined : Buffer.from(entry.reply.body);
    const headers: Record<string, string | string[]> = { ...(entry.reply.headers ?? {}) };
    if (body !== undefined && !hasHeader(headers, 'content-length')) headers['content-length'] = String(body.length);
    res.writeHead(entry.reply.status, headers);
    res.end(seen.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;

  return {
    url: `http://${host}`,
    host,
    requests,
    unmatched,
    add(...more: Canned[]) {
      for (const e of more) table.push({ ...e, used: 0 });
    },
    seen(method: string, path: string | RegExp) {
      return requests.filter((r) => r.method === method && pathMatches(path, r.path));
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A registry JSON error body (`{"errors":[{"code":…}]}`). */
export function errorBody(code: string, message = code.toLowerCase()): string {
  return JSON.stringify({ errors: [{ code, message }] });
}

function pathMatches(want: string | RegExp, path: string): boolean {
  return typeof want === 'string' ? want === path : want.test(path);
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** Runs `fn` and returns its rejection, failing the test when it resolves. */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}
