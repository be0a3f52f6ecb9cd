import { StaticCredentials, type Credential, type CredentialProvider } from '../../registry/index.ts';
import { TargetError } from '../errors.ts';
import { parseRegistryLocation } from '../registry-host.ts';
import type { EnsureOptions, EnsureResult, Target } from '../target.ts';

/** Options of a {@link DockerTarget} (k8s-copycat `TARGET_REGISTRY`, `TARGET_INSECURE`, `TARGET_USERNAME/PASSWORD`). */
export interface DockerTargetOptions {
  /**
   * `host[:port]` without scheme: `harbor.example.com`, `registry.local:5000`, `[::1]:5000`; a `/path` after it
   * becomes {@link DockerTarget.repositoryPrefix}.
   */
  registry: string;
  /** Plain HTTP or unverified TLS for this registry (`TARGET_INSECURE`). */
  insecure?: boolean;
  /** Basic auth user; with an empty or absent password the user is still sent (k8s-copycat §4.3). */
  username?: string;
  password?: string;
  /** A registry bearer token sent as is (`Authorization: Bearer …`), instead of a username and password. */
  token?: string;
}

/**
 * Any OCI / Docker v2 registry as the mirror (reference §4.3). Repositories are created by the first push,
 * so {@link DockerTarget.ensureRepository} has nothing to do. The registry host is validated here, at
 * start-up, where k8s-copycat only failed per image (`parse target: …`).
 */
export class DockerTarget implements Target {
  readonly kind = 'docker' as const;
  readonly registry: string;
  readonly insecure: boolean;
  /** The path part of the configured registry (`team` for `harbor.example.com/team`), `''` for none. */
  readonly repositoryPrefix: string;
  readonly credentials: CredentialProvider;

  constructor(options: DockerTargetOptions) {
    const location = parseRegistryLocation(options.registry);
    this.registry = location.host;
    this.repositoryPrefix = location.path;
    this.insecure = options.insecure ?? false;
    const credential = credentialOf(options);
    this.credentials = new StaticCredentials(credential ? [[this.registry, credential]] : []);
  }

  /** A plain registry creates repositories on push: always `'exists'`, no request made. */
  ensureRepository(_repository: string, opts: EnsureOptions = {}): Promise<EnsureResult> {
    if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
    return Promise.resolve('exists');
  }
}

function credentialOf(options: DockerTargetOptions): Credential | undefined {
  const username = options.username ?? '';
  const password = options.password ?? '';
  const token = options.token ?? '';
  if (token !== '') {
    if (username !== '' || password !== '') {
      throw new TargetError('TARGET_CONFIG_INVALID', `target registry ${options.registry}: give either a token or a username and password, not both`);
    }
    return { kind: 'bearer', token };
  }
  if (username === '' && password === '') return undefined;
  if (username === '') throw new TargetError('TARGET_CONFIG_INVALID', `target registry ${options.registry}: a password was given without a username (TARGET_USERNAME)`);
  return { kind: 'basic', username, password };
}
