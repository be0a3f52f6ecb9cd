/**
 * Registry clients for the controller: one transport (connection pools, per-host back-off, throttling observer)
 * shared by a source client and a target client that never share credentials. Sources authenticate with the
 * config's `registryCredentials`, then the docker config (`DOCKER_CONFIG`, else `~/.docker/config.json`); the
 * target with its own credentials (`TARGET_USERNAME`/`TARGET_PASSWORD`, the ECR token), then the docker config
 * (docs/credentials.md). Pods' pull secrets (`usePodPullSecrets`) are put between the two source parts by the
 * controller, per job; `sourceCredentials` hands it those parts.
 */
import type { Config } from '../../config/index.ts';
import { sourceCredentialsFromConfig, type Logger } from '../../controller/index.ts';
import { defaultChain, DockerConfigCredentials, RegistryClient, Transport, type CredentialProvider, type RateLimitInfo, type TransportObserver } from '../../registry/index.ts';
import type { Target } from '../../targets/index.ts';

/** The controller's registry clients. */
export interface ControllerClients {
  source: RegistryClient;
  target: RegistryClient;
  /** The parts `source` authenticates with, for the controller's per-job clients (`usePodPullSecrets`). */
  sourceCredentials: { config: CredentialProvider; dockerConfig: CredentialProvider; insecureRegistries: string[] };
  /** Closes the shared connection pools. */
  close(): Promise<void>;
}

/** What {@link controllerClients} needs besides the configuration. */
export interface ControllerClientOptions {
  target: Target;
  env: NodeJS.ProcessEnv;
  log: Logger;
  observer?: TransportObserver;
  /** A source announced its request budget (wire to the current controller's `onRateLimit`). */
  onRateLimit?: (registry: string, info: RateLimitInfo) => void;
}

/** Builds the source and target clients (see the file comment); `requestTimeout` bounds headers and body silences. */
export function controllerClients(config: Config, options: ControllerClientOptions): ControllerClients {
  const timeouts = config.requestTimeoutMs > 0 ? { headersTimeoutMs: config.requestTimeoutMs, bodyIdleTimeoutMs: config.requestTimeoutMs } : {};
  const transport = new Transport({ userAgent: 'copycat (+https://github.com/copycat)', ...timeouts, ...(options.observer ? { observer: options.observer } : {}) });
  const dockerConfig = new DockerConfigCredentials({ env: options.env, onWarning: (message) => options.log.warn({}, message) });
  const insecureRegistries = options.target.insecure ? [options.target.registry] : [];
  const fromConfig = sourceCredentialsFromConfig(config);
  const source = new RegistryClient({
    transport,
    credentials: defaultChain({ config: fromConfig, dockerConfig }),
    insecureRegistries,
    ...(options.onRateLimit ? { onRateLimit: options.onRateLimit } : {}),
  });
  const target = new RegistryClient({ transport, credentials: defaultChain({ explicit: options.target.credentials, dockerConfig }), insecureRegistries });
  return { source, target, sourceCredentials: { config: fromConfig, dockerConfig, insecureRegistries }, close: () => transport.close() };
}
