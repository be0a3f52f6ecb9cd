import { isDockerHub } from '../../../reference/index.ts';
import type { Credential, CredentialProvider } from '../credentials.ts';
import { decodeAuthField, decodeBase64Strict } from './auth-field.ts';
import { DOCKER_HUB_FALLBACK_KEY, kubeletKeyMatches, kubeletOrder, parseKubeletKey, type KubeletKey } from './kubelet-match.ts';

/** The secret type of a `.dockerconfigjson` pull secret (`{"auths": {...}}`). */
export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
/** The legacy secret type of a `.dockercfg` pull secret (`{"registry": {...}}`). */
export const DOCKERCFG_TYPE = 'kubernetes.io/dockercfg';

/**
 * A Kubernetes Secret as the API returns it (a `V1Secret` fits): `data` values are base64. Only
 * `type` and `data` are read; `metadata` names the secret in warnings.
 */
export interface PullSecret {
  type?: string | undefined;
  data?: Record<string, string> | undefined;
  metadata?: { name?: string | undefined; namespace?: string | undefined } | undefined;
}

/** The keychain and what was wrong with the secrets it skipped. */
export interface PullSecretsResult {
  credentials: PullSecretCredentials;
  /** One line per skipped secret or entry: which one and why, never its contents. */
  warnings: string[];
}

interface IndexedKey {
  parsed: KubeletKey;
  credentials: Credential[];
}

/**
 * Credentials from Kubernetes image pull secrets (a pod's `imagePullSecrets` plus its service
 * account's), matched as the kubelet matches them (see `kubelet-match.ts`): keys may carry a scheme,
 * a path and `*` wildcards in host parts; the most specific key wins.
 *
 * Pull secrets hold basic credentials only (`auth`, or `username`/`password`; `auth` wins). Fetching
 * the secrets is the caller's job; this only parses them. Malformed secrets are skipped and reported
 * in `warnings`, never thrown: one bad secret must not stop the pods that do not need it.
 */
export class PullSecretCredentials implements CredentialProvider {
  readonly #index: readonly IndexedKey[];

  private constructor(index: IndexedKey[]) {
    this.#index = index;
  }

  /** Parses `kubernetes.io/dockerconfigjson` and `kubernetes.io/dockercfg` secrets, in the order given. */
  static fromSecrets(secrets: readonly PullSecret[]): PullSecretsResult {
    const warnings: string[] = [];
    const byKey = new Map<string, IndexedKey>();
    secrets.forEach((secret, index) => {
      const entries = entriesOf(secret, describe(secret, index), warnings);
      for (const { parsed, credential } of entries) {
        const slot = byKey.get(parsed.key) ?? { parsed, credentials: [] };
        slot.credentials.push(credential);
        byKey.set(parsed.key, slot);
      }
    });
    const index = [...byKey.values()].sort((a, b) => kubeletOrder(a.parsed, b.parsed));
    return { credentials: new PullSecretCredentials(index), warnings };
  }

  /** How many distinct registry keys the secrets provided. */
  get size(): number {
    return this.#index.length;
  }

  /**
   * Every credential that applies to `registry` (and `repository`, when known), most specific first, as
   * the kubelet lists them (it tries each until a pull succeeds). Without a repository, only keys
   * without a path apply.
   */
  lookup(registry: string, repository = ''): Credential[] {
    const found = this.#index.filter((k) => kubeletKeyMatches(k.parsed, registry, repository)).flatMap((k) => k.credentials);
    if (found.length > 0 || !isDockerHub(registry)) return found;
    return this.#index.find((k) => k.parsed.key === DOCKER_HUB_FALLBACK_KEY)?.credentials ?? [];
  }

  /** The most specific credential for the image (see {@link PullSecretCredentials.lookup}). */
  resolve(registry: string, repository?: string): Promise<Credential | undefined> {
    return Promise.resolve(this.lookup(registry, repository)[0]);
  }
}

function describe(secret: PullSecret, index: number): string {
  const name = secret.metadata?.name;
  if (!name) return `pull secret #${index}`;
  return `pull secret ${secret.metadata?.namespace ? `${secret.metadata.namespace}/` : ''}${name}`;
}

/** The usable entries of one secret; on any problem, none (with a warning), as the kubelet refuses the whole secret. */
function entriesOf(secret: PullSecret, who: string, warnings: string[]): Array<{ parsed: KubeletKey; credential: Credential }> {
  const type = secret.type ?? '';
  const field = type === DOCKER_CONFIG_JSON_TYPE ? '.dockerconfigjson' : type === DOCKERCFG_TYPE ? '.dockercfg' : undefined;
  if (!field) {
    warnings.push(`${who}: type ${JSON.stringify(type)} is not ${DOCKER_CONFIG_JSON_TYPE} or ${DOCKERCFG_TYPE}, skipped`);
    return [];
  }
  const encoded = secret.data?.[field];
  if (typeof encoded !== 'string' || encoded === '') {
    warnings.push(`${who}: has no ${field} data, skipped`);
    return [];
  }
  const bytes = decodeBase64Strict(encoded.replace(/\s+/g, ''));
  if (!bytes) {
    warnings.push(`${who}: ${field} is not base64, skipped`);
    return [];
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    // The parser's message quotes the text, which holds the credentials: say nothing more.
    warnings.push(`${who}: ${field} is not JSON, skipped`);
    return [];
  }
  const auths = field === '.dockerconfigjson' ? (isObject(doc) ? doc['auths'] : undefined) : doc;
  if (!isObject(auths)) {
    warnings.push(`${who}: ${field} has no ${field === '.dockerconfigjson' ? '"auths" object' : 'registry map'}, skipped`);
    return [];
  }
  const out: Array<{ parsed: KubeletKey; credential: Credential }> = [];
  for (const [key, entry] of Object.entries(auths)) {
    const problem = (what: string): [] => {
      warnings.push(`${who}: entry ${JSON.stringify(key)} ${what}, secret skipped`);
      return [];
    };
    if (!isObject(entry)) return problem('is not an object');
    const parsed = parseKubeletKey(key);
    if (!parsed) return problem('is not a usable registry key');
    const strings: Record<'auth' | 'username' | 'password', string> = { auth: '', username: '', password: '' };
    for (const name of ['auth', 'username', 'password'] as const) {
      const value = entry[name] ?? '';
      if (typeof value !== 'string') return problem(`has a ${name} that is not a string`);
      strings[name] = value;
    }
    let { username, password } = strings;
    if (strings.auth !== '') {
      const decoded = decodeAuthField(strings.auth);
      if (!decoded) return problem('has an auth that is not base64 of "username:password"');
      ({ username, password } = decoded);
    }
    // An entry without any credential grants nothing; the keys that follow may.
    if (username === '' && password === '') continue;
    out.push({ parsed, credential: { kind: 'basic', username, password } });
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
