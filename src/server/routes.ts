import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../internal/errors.ts';
import { cooldownResetBody, forceReconcileBody, type CooldownResetOutcome, type ForceReconcileOutcome } from './admin.ts';
import { aggregatedProbe, runCheck, singleProbe } from './probe.ts';
import { send, sendJson, sendText } from './respond.ts';

/** Where `/metrics` gets its text: `CopycatMetrics` fits, but any exposition source does. */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

/**
 * A page served at `GET /` (it reads `/status` itself), with the Content-Security-Policy it was built for
 * (`buildStatusPage()` computes one that allows exactly its inline script and style).
 */
export interface StatusPage {
  html: string;
  contentSecurityPolicy?: string | undefined;
}

/** Receives the server's log lines (upstream's messages verbatim); the composition root wires it to the logger. */
export type ServerLog = (level: 'info' | 'error', msg: string, fields: Record<string, unknown>) => void;

/** The callbacks behind the endpoints; each is small so the server never imports the controller. */
export interface EndpointHandlers {
  /** Text for `/metrics`; without it `/metrics` is 404. */
  metrics?: MetricsSource | undefined;
  /** Liveness for `/healthz`: true while the watches are alive. A throw counts as false. */
  health: () => boolean | Promise<boolean>;
  /** Readiness for `/readyz`: true once the initial lists have synced. A throw counts as false. */
  ready: () => boolean | Promise<boolean>;
  /** The document `GET /status` serialises as JSON (per image: source, target, digests, state, last error, next retry, users). */
  status: () => unknown;
  /** Clears failure cooldowns; absent or returning `null` answers "not ready" as upstream does before wiring. */
  onResetCooldown?: (() => CooldownResetOutcome | Promise<CooldownResetOutcome>) | undefined;
  /**
   * Runs a full reconcile; the response waits for it, as upstream's synchronous scan. `signal` aborts
   * when the client goes away or the server stops. Absent or returning `null` answers "not ready".
   */
  onForceReconcile?: ((signal: AbortSignal) => ForceReconcileOutcome | Promise<ForceReconcileOutcome>) | undefined;
  /** A page served at `GET /` (`statusPage()` from `status-page/`); without it `/` is 404. */
  statusPage?: StatusPage | undefined;
  /** Where log lines go (default: nowhere). */
  log?: ServerLog | undefined;
}

/** What a route handler gets for one request. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  /** Aborts when the client disconnects or the server's shutdown grace runs out. */
  signal: AbortSignal;
}

/** One path: the methods it accepts (405 with `Allow` otherwise) and its handler. */
export interface Route {
  methods: readonly string[];
  handle(ctx: RouteContext): void | Promise<void>;
}

const READ = ['GET', 'HEAD'] as const;
const WRITE = ['POST'] as const;

/**
 * The metrics port (`METRICS_ADDR`): `/metrics`, the two admin endpoints (POST only, unlike upstream,
 * which accepted any method: a side effect behind GET can be set off by a crawler or a prefetch),
 * `/status` and the optional status page. Upstream serves the admin endpoints here, so disabling
 * the metrics server disables them too (inventory §5.2).
 */
export function metricsRoutes(h: EndpointHandlers): Map<string, Route> {
  const log = h.log ?? (() => {});
  const routes = new Map<string, Route>();
  const metrics = h.metrics;
  if (metrics) {
    routes.set('/metrics', {
      methods: READ,
      async handle({ res }) {
        send(res, 200, metrics.contentType, await metrics.render());
      },
    });
  }
  routes.set('/reset-cooldown', {
    methods: WRITE,
    async handle({ req, res }) {
      if (!h.onResetCooldown) return sendJson(res, 200, cooldownResetBody(undefined));
      let outcome: CooldownResetOutcome;
      try {
        outcome = await h.onResetCooldown();
      } catch (error) {
        log('error', 'cooldown reset failed', { method: req.method, error: errorMessage(error) });
        return sendJson(res, 500, { reset: false, clearedTargets: 0, message: `cooldown reset failed: ${errorMessage(error)}` });
      }
      const body = cooldownResetBody(outcome);
      if (outcome !== null) {
        log('info', 'processed cooldown reset request', { method: req.method, clearedTargets: body.clearedTargets, cooldownEnabled: typeof outcome === 'number' || outcome.enabled });
      }
      sendJson(res, 200, body);
    },
  });
  routes.set('/force-reconcile', {
    methods: WRITE,
    async handle({ req, res, signal }) {
      if (!h.onForceReconcile) return sendJson(res, 200, forceReconcileBody(null));
      let body;
      try {
        body = forceReconcileBody(await h.onForceReconcile(signal));
      } catch (error) {
        body = forceReconcileBody(undefined, { error });
      }
      if (body.triggered) {
        const fields = { method: req.method, workloadsProcessed: body.workloadsProcessed, imagesMirrored: body.imagesMirrored };
        if (body.success) log('info', 'processed force reconcile request', fields);
        else log('error', 'processed force reconcile request', { ...fields, error: body.message });
      }
      // Always 200, as upstream: callers read `success` from the body.
      sendJson(res, 200, body);
    },
  });
  routes.set('/status', {
    methods: READ,
    async handle({ res }) {
      let text: string;
      try {
        text = JSON.stringify(await h.status()) ?? 'null';
      } catch (error) {
        log('error', 'status unavailable', { error: errorMessage(error) });
        return sendJson(res, 500, { error: `status unavailable: ${errorMessage(error)}` });
      }
      send(res, 200, 'application/json', `${text}\n`, { 'cache-control': 'no-store' });
    },
  });
  const page = h.statusPage;
  if (page) {
    routes.set('/', {
      methods: READ,
      handle({ res }) {
        send(res, 200, 'text/html; charset=utf-8', page.html, pageHeaders(page));
      },
    });
  }
  return routes;
}

/**
 * Headers of the page: never cached (it is small, and an old script against a newer `/status` helps nobody),
 * its policy, no referrer (image names in the URL hash stay on the page), and no framing for browsers that
 * predate CSP's `frame-ancestors`.
 */
function pageHeaders(page: StatusPage): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    ...(page.contentSecurityPolicy !== undefined ? { 'content-security-policy': page.contentSecurityPolicy } : {}),
  };
}

/**
 * The probe port (`:8081`): `/healthz` and `/readyz` in controller-runtime's wording, each with its
 * check also on a sub-path named like it (`/healthz/healthz`, `/readyz/readyz`), as k8s-copycat
 * registers them. Unlike upstream (always "ok"), they report the callbacks.
 */
export function probeRoutes(h: Pick<EndpointHandlers, 'health' | 'ready'>): Map<string, Route> {
  const routes = new Map<string, Route>();
  const add = (name: string, check: () => boolean | Promise<boolean>): void => {
    const aggregated: Route = {
      methods: READ,
      async handle({ res, query }) {
        const r = aggregatedProbe(name, await runCheck(check), query);
        sendText(res, r.status, r.body);
      },
    };
    routes.set(`/${name}`, aggregated);
    routes.set(`/${name}/`, aggregated);
    routes.set(`/${name}/${name}`, {
      methods: READ,
      async handle({ res }) {
        const r = singleProbe(name, await runCheck(check));
        sendText(res, r.status, r.body);
      },
    });
  };
  add('healthz', h.health);
  add('readyz', h.ready);
  return routes;
}
