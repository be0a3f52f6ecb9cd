/**
 * Small networking helpers shared by the test-support servers: free loopback ports, listening on
 * an ephemeral port, and polling until something answers.
 */
import { createServer, type Server as NetServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';

/** Asks the kernel for a free TCP port on 127.0.0.1 (for child processes that need a port number up front). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read the free port number');
  return address.port;
}

/** Starts `server` on an ephemeral 127.0.0.1 port and returns the port. */
export async function listenEphemeral(server: HttpServer | NetServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address after listen');
  return address.port;
}

/** Closes an HTTP server and drops every open (keep-alive or in-flight) connection. */
export async function closeHttpServer(server: HttpServer): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/**
 * Polls `probe` every `intervalMs` until it returns true, throwing after `timeoutMs`.
 * `probe` may throw (e.g. connection refused); that counts as "not yet".
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; abortIf?: () => string | undefined } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = options.abortIf?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
