/**
 * Finding and loading the Kubernetes client configuration, in controller-runtime's order:
 * explicit `--kubeconfig` path, then `KUBECONFIG`, then the in-cluster service account, then
 * `~/.kube/config`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isIPv6 } from 'node:net';
import { delimiter, join } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { errorMessage } from '../internal/errors.ts';
import { KubeError } from './errors.ts';

/** Where the service account's token, CA and namespace are mounted in a pod. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Options of {@link loadKubeConfig}; everything is injectable so tests need no real cluster. */
export interface LoadKubeConfigOptions {
  /** Explicit kubeconfig path (the `--kubeconfig` flag); wins over everything else. */
  kubeconfig?: string;
  /** Context to use instead of the file's `current-context`. */
  context?: string;
  /** Environment to read `KUBECONFIG`, `KUBERNETES_SERVICE_HOST/PORT` and `HOME` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Service account mount (default {@link SERVICE_ACCOUNT_DIR}). */
  serviceAccountDir?: string;
}

/** A loaded configuration and where it came from (for the start-up log). */
export interface LoadedKubeConfig {
  config: KubeConfig;
  source: 'flag' | 'env' | 'in-cluster' | 'home';
  /** The default namespace: the service account's in-cluster, else the context's (may be undefined). */
  namespace: string | undefined;
}

function fromFiles(paths: string[], context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  const [first, ...rest] = paths;
  if (first === undefined) throw new KubeError('KUBE_CONFIG_MISSING', 'no kubeconfig file given');
  for (const path of [first, ...rest]) {
    if (!existsSync(path)) throw new KubeError('KUBE_CONFIG_MISSING', `kubeconfig ${JSON.stringify(path)} does not exist`);
  }
  try {
    kc.loadFromFile(first);
    for (const path of rest) {
      const more = new KubeConfig();
      more.loadFromFile(path);
      mergeFirstWins(kc, more);
    }
  } catch (err) {
    throw new KubeError('KUBE_CONFIG_INVALID', `kubeconfig ${JSON.stringify(paths.join(delimiter))} could not be loaded: ${errorMessage(err)}`, { cause: err });
  }
  if (context !== undefined) {
    if (kc.getContextObject(context) === null) throw new KubeError('KUBE_CONFIG_INVALID', `kubeconfig has no context ${JSON.stringify(context)}`);
    kc.setCurrentContext(context);
  }
  if (kc.getCurrentCluster() === null) throw new KubeError('KUBE_CONFIG_INVALID', `kubeconfig ${JSON.stringify(first)} has no cluster for context ${JSON.stringify(kc.getCurrentContext())}`);
  return kc;
}

/**
 * Merges `more` into `kc` the way kubectl merges `KUBECONFIG` files: the first file that names a
 * cluster, user, context or current context wins (client-node's `mergeConfig` throws on duplicates).
 */
function mergeFirstWins(kc: KubeConfig, more: KubeConfig): void {
  for (const c of more.getClusters()) if (kc.getCluster(c.name) === null) kc.addCluster(c);
  for (const u of more.getUsers()) if (kc.getUser(u.name) === null) kc.addUser(u);
  for (const x of more.getContexts()) if (kc.getContextObject(x.name) === null) kc.addContext(x);
  if (!kc.getCurrentContext() && more.getCurrentContext()) kc.setCurrentContext(more.getCurrentContext());
}

/** Auth provider name of {@link ServiceAccountTokenAuth}. */
const TOKEN_PROVIDER = 'copycat-service-account-token';

/**
 * Bearer token from the mounted service account token, re-read every minute because bound tokens
 * rotate, and trimmed as client-go does: client-node's own `tokenFile` provider sends the file
 * verbatim, so a trailing newline would end up inside the `Authorization` header.
 */
class ServiceAccountTokenAuth {
  #token = '';
  #readAt = 0;

  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === TOKEN_PROVIDER;
  }

  async applyAuthentication(user: User, opts: { headers?: Record<string, unknown> }): Promise<void> {
    const path = String(user.authProvider?.config?.path ?? '');
    if (this.#token === '' || Date.now() - this.#readAt > 60_000) {
      this.#token = readFileSync(path, 'utf8').trim();
      this.#readAt = Date.now();
    }
    opts.headers ??= {};
    opts.headers.Authorization = `Bearer ${this.#token}`;
  }
}

/**
 * The in-cluster configuration: API server from `KUBERNETES_SERVICE_HOST/PORT`, the mounted CA,
 * and the mounted token (see {@link ServiceAccountTokenAuth}).
 */
function inCluster(env: Record<string, string | undefined>, dir: string): { config: KubeConfig; namespace: string | undefined } {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '';
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) throw new KubeError('KUBE_CONFIG_MISSING', `in-cluster service account token ${JSON.stringify(tokenFile)} does not exist`);
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() || undefined : undefined;
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const config = new KubeConfig();
  config.addAuthenticator(new ServiceAccountTokenAuth());
  config.loadFromOptions({
    clusters: [{ name: 'in-cluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'in-cluster', authProvider: { name: TOKEN_PROVIDER, config: { path: tokenFile } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace }],
    currentContext: 'in-cluster',
  });
  return { config, namespace };
}

function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || undefined;
}

/**
 * Loads the client configuration: explicit path, else `KUBECONFIG` (several paths joined by the
 * platform delimiter are merged, first wins), else in-cluster when `KUBERNETES_SERVICE_HOST` is set,
 * else `~/.kube/config`. Throws `KUBE_CONFIG_MISSING` when none exists and `KUBE_CONFIG_INVALID`
 * for a file that does not parse or lacks the context.
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  if (options.kubeconfig !== undefined && options.kubeconfig.trim() !== '') {
    const config = fromFiles([options.kubeconfig.trim()], options.context);
    return { config, source: 'flag', namespace: contextNamespace(config) };
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).map((p) => p.trim()).filter((p) => p !== '');
  if (fromEnv.length > 0) {
    const config = fromFiles(fromEnv, options.context);
    return { config, source: 'env', namespace: contextNamespace(config) };
  }
  if ((env.KUBERNETES_SERVICE_HOST ?? '') !== '' && (env.KUBERNETES_SERVICE_PORT ?? '') !== '') {
    const { config, namespace } = inCluster(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
    return { config, source: 'in-cluster', namespace };
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) {
    const config = fromFiles([home], options.context);
    return { config, source: 'home', namespace: contextNamespace(config) };
  }
  throw new KubeError(
    'KUBE_CONFIG_MISSING',
    'no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, run in a pod (KUBERNETES_SERVICE_HOST) or create ~/.kube/config',
  );
}
