import { errorMessage } from '../internal/errors.ts';

/** An HTTP answer computed without touching a socket, so the wording can be tested on its own. */
export interface PlainResponse {
  status: number;
  body: string;
}

/**
 * The answer of an aggregated probe (`/healthz`, `/readyz`) holding one check named `name`, worded as
 * controller-runtime's `healthz.Handler` does so probes and scripts written for k8s-copycat read the
 * same text: `ok` on success; with `?verbose` a `[+]name ok` list; on failure always the list with
 * the reason withheld (the endpoint is public) and status 500; `?exclude=name` skips the check.
 */
export function aggregatedProbe(name: string, outcome: { ok: boolean }, query: URLSearchParams): PlainResponse {
  const excluded = query.getAll('exclude');
  const skip = excluded.includes(name);
  const failed = !skip && !outcome.ok;
  if (!failed && !query.has('verbose')) return { status: 200, body: 'ok' };
  let body = skip ? `[+]${name} excluded: ok\n` : failed ? `[-]${name} failed: reason withheld\n` : `[+]${name} ok\n`;
  const unknown = [...new Set(excluded.filter((e) => e !== name))].sort();
  if (unknown.length > 0) body += `warn: some health checks cannot be excluded: no matches for ${unknown.map((u) => JSON.stringify(u)).join(',')}\n`;
  body += failed ? 'healthz check failed\n' : 'healthz check passed\n';
  return { status: failed ? 500 : 200, body };
}

/** The answer of the single-check sub-path (`/healthz/healthz`): `ok`, or 500 with the reason. */
export function singleProbe(name: string, outcome: { ok: boolean; error?: unknown }): PlainResponse {
  if (outcome.ok) return { status: 200, body: 'ok' };
  const reason = outcome.error === undefined ? `check ${JSON.stringify(name)} failed` : errorMessage(outcome.error);
  return { status: 500, body: `internal server error: ${reason}\n` };
}

/** Runs a probe callback; a throw or rejection counts as a failure carrying the error. */
export async function runCheck(check: () => boolean | Promise<boolean>): Promise<{ ok: boolean; error?: unknown }> {
  try {
    return { ok: (await check()) === true };
  } catch (error) {
    return { ok: false, error };
  }
}
