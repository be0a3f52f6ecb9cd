import type { ServerResponse } from 'node:http';

/** Writes a complete response with a fixed length; Node drops the body itself for HEAD requests. */
export function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

/** Plain text, as Go's `http.Error` and `fmt.Fprint` answer. */
export function sendText(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
  send(res, status, 'text/plain; charset=utf-8', body, headers);
}

/**
 * JSON with a trailing newline, as Go's `json.Encoder` writes it (k8s-copycat's admin endpoints), and
 * exactly `application/json` as upstream's tests expect. Never cached: every answer is a fresh reading.
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', `${JSON.stringify(value) ?? 'null'}\n`, { 'cache-control': 'no-store' });
}
