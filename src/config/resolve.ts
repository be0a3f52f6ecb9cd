/**
 * Turns the file's values, the environment and CLI flags into a validated {@link Config}, applying
 * k8s-copycat's precedence (env over file, a blank env var counts as unset) and its start-up checks
 * in its order (inventory §1.3, §1.4), so the first error reported is the one upstream reports.
 *
 * Policy for bad values: where k8s-copycat refuses to start, copycat refuses too, with a message
 * naming the key and the value; where k8s-copycat silently ignores or drops a value (an invalid
 * regex, platform or `TARGET_INSECURE`), copycat does the same but returns a warning, so a
 * configuration that started k8s-copycat also starts copycat.
 */
import { parseRepository } from '../reference/index.ts';
import { resolveCredentials, type Env } from './credentials.ts';
import { checkTags, parseEcrRegistry, parseEncryption, parseTagMutability } from './ecr-repository.ts';
import { ConfigError, quote } from './errors.ts';
import type { FileSettings } from './file.ts';
import { resolveList } from './lists.ts';
import { namespaceListWarnings, normalizeIncludeNamespaces } from './namespaces.ts';
import { compilePathMap } from './path-map.ts';
import { normalizePlatform } from './platforms.ts';
import { compileGoRegex } from './regex.ts';
import { normalizeExcludedRegistries } from './registries.ts';
import { parseDurationSetting, parseFileBool, parseGoBool, parseGoInt } from './scalars.ts';
import { DEFAULTS, setting } from './settings.ts';
import type { Config, EcrConfig, LogLevel, SkipNames, SparseIndexFallback, TargetKind } from './types.ts';
import { parseWatchResources, type WatchResource } from './watch.ts';

/** Values from command-line flags, which rank as upstream's flags do (see each field). */
export interface ConfigFlags {
  /** `-dry-run`: used only when `DRY_RUN` is blank, OR-ed with the file's `dryRun`. */
  readonly dryRun?: boolean;
  /** `-dry-pull`: used only when `DRY_PULL` is blank, OR-ed with the file's `dryPull`. */
  readonly dryPull?: boolean;
  /** `-metrics-bind-address`: wins over `METRICS_ADDR`. */
  readonly metricsBindAddress?: string;
  /** `-zap-log-level` equivalent: wins over the file's `logLevel`. */
  readonly logLevel?: string;
}

/** Where a setting's value came from. */
export type Origin = 'default' | 'file' | 'env' | 'flag';

/** The outcome of resolving: the config, warnings to log at start-up, and each property's origin. */
export interface Resolved {
  /** The validated configuration. */
  readonly config: Config;
  /** Problems that did not stop start-up (unknown keys, dropped entries, …); never contain secrets. */
  readonly warnings: readonly string[];
  /** Origin of each `Config` property (dot paths such as `ecr.region`). */
  readonly origins: Readonly<Record<string, Origin>>;
}

/** Longest delay a Node timer can wait (2^31-1 ms, about 24.8 days); longer ones would fire at once. */
export const MAX_DURATION_MS = 2_147_483_647;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'dpanic', 'panic', 'fatal'];
const TARGET_KINDS: readonly string[] = ['ecr', 'docker'] satisfies TargetKind[];

function isTargetKind(kind: string): kind is TargetKind {
  return TARGET_KINDS.includes(kind);
}
// What upstream's DRY_RUN / DRY_PULL test turns on; every other non-blank value means off.
const DRY_TRUE: ReadonlySet<string> = new Set(['1', 'true', 'yes']);
const DRY_FALSE: ReadonlySet<string> = new Set(['0', 'false', 'no']);

interface Sourced<T> {
  readonly key: string;
  readonly value: T;
  readonly origin: Origin;
}

class Resolver {
  readonly warnings: string[] = [];
  readonly origins: Record<string, Origin> = {};
  readonly #file: FileSettings;
  readonly #env: Env;

  constructor(file: FileSettings, env: Env) {
    this.#file = file;
    this.#env = env;
  }

  /** The env var's value, trimmed; undefined when unset or blank (blank counts as unset throughout). */
  env(name: string | undefined): Sourced<string> | undefined {
    if (name === undefined) return undefined;
    const raw = this.#env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    return { key: name, value: raw.trim(), origin: 'env' };
  }

  /** Raw env value, untrimmed (credentials are used exactly as given); `''` when unset or blank. */
  rawEnv(name: string): string {
    const raw = this.#env[name] ?? '';
    return raw.trim() === '' ? '' : raw;
  }

  get file(): FileSettings {
    return this.#file;
  }

  get envObject(): Env {
    return this.#env;
  }

  fileText(id: string): Sourced<string> | undefined {
    const e = this.#file.text(id);
    if (!e || e.value.trim() === '') return undefined;
    return { key: e.key, value: e.value.trim(), origin: 'file' };
  }

  /** A text setting: env over file, both trimmed. */
  text(id: string): Sourced<string> | undefined {
    return this.env(setting(id).env) ?? (setting(id).file ? this.fileText(id) : undefined);
  }

  record(property: string, origin: Origin): void {
    this.origins[property] = origin;
  }

  /** A bool whose env var must be a Go boolean (`strict`) or is ignored with a warning when it is not. */
  bool(id: string, property: string, fallback: boolean, strict: boolean): boolean {
    const s = setting(id);
    let value = fallback;
    let origin: Origin = 'default';
    const f = s.file ? this.#file.bool(id) : undefined;
    if (f) {
      value = f.value;
      origin = 'file';
    }
    const e = this.env(s.env);
    if (e) {
      const parsed = parseGoBool(e.value);
      if (parsed !== undefined) {
        value = parsed;
        origin = 'env';
      } else if (strict) {
        throw new ConfigError('CONFIG_INVALID', e.key, e.value, 'expected a boolean (true, false, 1, 0, t, f)');
      } else {
        this.warnings.push(`${e.key} ${quote(e.value)} is not a boolean (true, false, 1, 0, t, f) and is ignored`);
      }
    }
    this.record(property, origin);
    return value;
  }

  /** A whole number setting (env over file); `check` returns the reason a value is refused. */
  int(id: string, property: string, fallback: number, check: (n: number) => string | undefined): number {
    const src = this.text(id);
    this.record(property, src?.origin ?? 'default');
    if (!src) return fallback;
    const n = parseGoInt(src.value);
    if (n === undefined) throw new ConfigError('CONFIG_INVALID', src.key, src.value, 'expected a whole number');
    const problem = check(n);
    if (problem) throw new ConfigError('CONFIG_INVALID', src.key, src.value, problem);
    return n;
  }

  /** A duration setting in `unitMs` units (or a Go duration), in ms, clamped to what a timer can wait. */
  duration(id: string, property: string, unitMs: number, fallbackUnits: number, unitName: string, check: (ms: number) => string | undefined): number {
    const src = this.text(id);
    this.record(property, src?.origin ?? 'default');
    if (!src) return fallbackUnits * unitMs;
    const ms = parseDurationSetting(src.value, unitMs);
    if (ms === undefined) throw new ConfigError('CONFIG_INVALID', src.key, src.value, `expected whole ${unitName} or a Go duration such as 90s or 5m`);
    const problem = check(ms);
    if (problem) throw new ConfigError('CONFIG_INVALID', src.key, src.value, problem);
    if (ms > MAX_DURATION_MS) {
      this.warnings.push(`${src.key} ${quote(src.value)} is longer than a timer can wait; using ${MAX_DURATION_MS} ms (about 24.8 days)`);
      return MAX_DURATION_MS;
    }
    return ms;
  }

  /** A list setting: a non-blank env var replaces the file list. Warns about file entries with commas. */
  list(id: string, property: string, commasAllowed = false): { values: string[]; key: string; origin: Origin } {
    const s = setting(id);
    const f = s.file ? this.#file.list(id) : undefined;
    const { values, origin } = resolveList(s.env ? this.#env[s.env] : undefined, f?.value);
    if (origin === 'file' && !commasAllowed) {
      for (const v of values) {
        if (v.includes(',')) {
          this.warnings.push(
            `${f?.key ?? id} entry ${quote(v)} contains a comma; file list entries are not split on commas (k8s-copycat split them), so write one entry per item`,
          );
        }
      }
    }
    this.record(property, origin);
    return { values, key: origin === 'env' ? (s.env ?? id) : origin === 'file' ? (f?.key ?? id) : id, origin };
  }
}

function checkPositive(n: number): string | undefined {
  return n <= 0 ? 'must be greater than zero' : undefined;
}

/** Resolves the target settings (both targets are filled; only the selected one is required). */
function resolveTarget(r: Resolver): Pick<Config, 'targetKind' | 'ecr' | 'docker'> {
  const kindSrc = r.text('targetKind');
  const kind = kindSrc ? kindSrc.value.toLowerCase() : DEFAULTS.targetKind;
  r.record('targetKind', kindSrc?.origin ?? 'default');
  if (!isTargetKind(kind)) {
    throw new ConfigError('CONFIG_INVALID', kindSrc?.key ?? 'targetKind', kindSrc?.value ?? kind, 'unknown target kind; expected ecr or docker');
  }
  const targetKind = kind;

  const shared = r.fileText('repoPrefix');
  const prefix = (id: string, property: string): string => {
    const own = r.text(id);
    if (own) {
      r.record(property, own.origin);
      return own.value;
    }
    r.record(property, shared ? 'file' : 'default');
    return shared?.value ?? '';
  };
  const str = (id: string, property: string): string => {
    const v = r.text(id);
    r.record(property, v?.origin ?? 'default');
    return v?.value ?? '';
  };

  const ecrPrefixSet = r.text('ecr.repoPrefix') !== undefined;
  const dockerPrefixSet = r.text('docker.repoPrefix') !== undefined;
  const ecr = {
    accountID: str('ecr.accountID', 'ecr.accountID'),
    region: str('ecr.region', 'ecr.region'),
    repoPrefix: prefix('ecr.repoPrefix', 'ecr.repoPrefix'),
    createRepo: r.bool('ecr.createRepo', 'ecr.createRepo', DEFAULTS.createRepo, targetKind === 'ecr'),
    assumeRoleArn: str('ecr.assumeRoleArn', 'ecr.assumeRoleArn'),
    lifecyclePolicy: str('ecr.lifecyclePolicy', 'ecr.lifecyclePolicy'),
  };
  const docker = {
    registry: str('docker.registry', 'docker.registry').replace(/\/+$/, ''),
    repoPrefix: prefix('docker.repoPrefix', 'docker.repoPrefix'),
    insecure: r.bool('docker.insecure', 'docker.insecure', false, false),
    username: r.rawEnv('TARGET_USERNAME'),
    password: r.rawEnv('TARGET_PASSWORD'),
  };
  r.record('docker.username', docker.username === '' ? 'default' : 'env');
  r.record('docker.password', docker.password === '' ? 'default' : 'env');

  if (targetKind === 'ecr') {
    const missing = [
      ecr.accountID === '' ? 'ECR_ACCOUNT_ID / ecr.accountID' : '',
      ecr.region === '' ? 'AWS_REGION / ecr.region' : '',
    ].filter((m) => m !== '');
    if (missing.length > 0) {
      throw new ConfigError(
        'CONFIG_INVALID',
        ecr.accountID === '' ? 'ecr.accountID' : 'ecr.region',
        '',
        `required when the target kind is ecr; set ${missing.join(' and ')} (via ConfigMap or env)`,
      );
    }
    if (!/^[0-9]{12}$/.test(ecr.accountID)) r.warnings.push(`ecr.accountID ${quote(ecr.accountID)} is not a 12-digit AWS account ID`);
    if (shared && !ecrPrefixSet) r.warnings.push(`top-level repoPrefix ${quote(shared.value)} is used as ecr.repoPrefix (k8s-copycat ignored this key)`);
  } else {
    const src = r.text('docker.registry');
    if (docker.registry === '') {
      throw new ConfigError('CONFIG_INVALID', 'docker.registry', '', 'required when the target kind is docker; set TARGET_REGISTRY or docker.registry (via ConfigMap or env)');
    }
    checkRegistry(src?.key ?? 'docker.registry', docker.registry, r.warnings);
    if (shared && !dockerPrefixSet) r.warnings.push(`top-level repoPrefix ${quote(shared.value)} is used as docker.repoPrefix (k8s-copycat ignored this key)`);
  }
  if (ecr.lifecyclePolicy !== '') {
    try {
      JSON.parse(ecr.lifecyclePolicy);
    } catch (err) {
      r.warnings.push(`ecr.lifecyclePolicy is not valid JSON (${(err as Error).message}); ECR will refuse it`);
    }
  }
  return { targetKind, ecr: { ...ecr, ...resolveEcrRepository(r) }, docker };
}

/**
 * The repository settings copycat adds (docs/ecr.md), after upstream's target checks so those still come
 * first. Refused whatever the target kind: they are new keys, so no configuration that started k8s-copycat
 * has them, and a mistake in them is better reported than carried along.
 */
function resolveEcrRepository(r: Resolver): Pick<EcrConfig, 'imageTagMutability' | 'scanOnPush' | 'encryption' | 'tags' | 'registry'> {
  const text = (id: string): ReturnType<Resolver['text']> => {
    const src = r.text(id);
    r.record(id, src?.origin ?? 'default');
    return src;
  };
  const imageTagMutability = parseTagMutability(text('ecr.imageTagMutability'), DEFAULTS.ecrImageTagMutability);
  const scanOnPush = r.bool('ecr.scanOnPush', 'ecr.scanOnPush', false, true);
  const encryption = parseEncryption(text('ecr.encryption.type'), text('ecr.encryption.kmsKey'), DEFAULTS.ecrEncryptionType);
  const tagsSrc = r.file.map('ecr.tags');
  r.record('ecr.tags', tagsSrc ? 'file' : 'default');
  const tags = checkTags(tagsSrc);
  const registry = parseEcrRegistry(text('ecr.registry'));
  return { imageTagMutability, scanOnPush, encryption, tags, registry };
}

/** The docker target must be `host[:port][/path]`; upstream found out per image, copycat at start-up. */
function checkRegistry(key: string, registry: string, warnings: string[]): void {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(registry)) {
    throw new ConfigError('CONFIG_INVALID', key, registry, 'give host[:port] without a scheme (use docker.insecure / TARGET_INSECURE for plain HTTP)');
  }
  let parsed: { registry: string };
  try {
    parsed = parseRepository(`${registry}/copycat`);
  } catch (err) {
    throw new ConfigError('CONFIG_INVALID', key, registry, 'expected host[:port], optionally followed by a lowercase /path', { cause: err });
  }
  const first = registry.split('/')[0] ?? registry;
  if (parsed.registry === 'docker.io' && !['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(first.toLowerCase())) {
    warnings.push(`${key} ${quote(registry)} has no "." or ":" in its first part, so it names a path on Docker Hub, not a registry host`);
  }
}

/** `DRY_RUN` / `DRY_PULL`: a non-blank env var decides alone, exactly as upstream (inventory §1.3). */
function resolveDry(r: Resolver, id: 'dryRun' | 'dryPull', flag: boolean | undefined): boolean {
  const s = setting(id);
  const e = r.env(s.env);
  if (e) {
    r.record(id, 'env');
    const v = e.value.toLowerCase();
    if (!DRY_TRUE.has(v) && !DRY_FALSE.has(v)) {
      r.warnings.push(`${e.key} ${quote(e.value)} is read as false: only 1, true or yes turn it on (as in k8s-copycat)`);
    }
    return DRY_TRUE.has(v);
  }
  const f = r.file.bool(id);
  r.record(id, flag ? 'flag' : f ? 'file' : 'default');
  return (flag ?? false) || (f?.value ?? false);
}

function resolveLogLevel(r: Resolver, flag: string | undefined): LogLevel {
  const fromFlag = flag !== undefined && flag.trim() !== '' ? { key: 'log level flag', value: flag.trim(), origin: 'flag' as const } : undefined;
  const src = fromFlag ?? r.fileText('logLevel');
  r.record('logLevel', src?.origin ?? 'default');
  if (!src) return DEFAULTS.logLevel;
  const level = LOG_LEVELS.find((l) => l === src.value.toLowerCase());
  if (!level) throw new ConfigError('CONFIG_INVALID', src.key, src.value, `unknown log level; expected one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function resolveMetricsAddress(r: Resolver, flag: string | undefined): string {
  const src =
    flag !== undefined && flag.trim() !== '' ? { key: 'metrics bind address flag', value: flag.trim(), origin: 'flag' as const } : r.env('METRICS_ADDR');
  r.record('metricsBindAddress', src?.origin ?? 'default');
  if (!src) return DEFAULTS.metricsBindAddress;
  if (src.value === '0') return '0';
  const colon = src.value.lastIndexOf(':');
  const host = colon < 0 ? '' : src.value.slice(0, colon);
  const port = colon < 0 ? '' : src.value.slice(colon + 1);
  const hostOk = host === '' || (host.startsWith('[') ? host.endsWith(']') : !/[\s[\]/]/.test(host) && !host.includes(':'));
  if (colon < 0 || !/^[0-9]{1,5}$/.test(port) || Number(port) > 65535 || !hostOk) {
    throw new ConfigError('CONFIG_INVALID', src.key, src.value, 'expected host:port, :port, [ipv6]:port, or 0 to turn the metrics server off');
  }
  return src.value;
}

const SPARSE_FALLBACKS: readonly SparseIndexFallback[] = ['platforms', 'full', 'fail'];

/** `sparseIndexFallback` / `SPARSE_INDEX_FALLBACK` (copycat only): case-insensitive, anything else refused. */
function resolveSparseFallback(r: Resolver): SparseIndexFallback {
  const src = r.text('sparseIndexFallback');
  r.record('sparseIndexFallback', src?.origin ?? 'default');
  if (!src) return DEFAULTS.sparseIndexFallback;
  const value = SPARSE_FALLBACKS.find((f) => f === src.value.toLowerCase());
  if (!value) throw new ConfigError('CONFIG_INVALID', src.key, src.value, `expected one of ${SPARSE_FALLBACKS.join(', ')}`);
  return value;
}

function resolveRegexList(r: Resolver, id: string): RegExp[] {
  const { values, key } = r.list(id, id, true);
  return values.flatMap((pattern) => {
    try {
      return [compileGoRegex(pattern)];
    } catch (err) {
      r.warnings.push(`${key} pattern ${quote(pattern)} is not a valid regular expression (${(err as Error).message}); it is ignored`);
      return [];
    }
  });
}

function resolvePlatforms(r: Resolver): string[] {
  const { values, key } = r.list('mirrorPlatforms', 'mirrorPlatforms');
  const out: string[] = [];
  for (const v of values) {
    try {
      const p = normalizePlatform(v);
      if (!out.includes(p)) out.push(p);
    } catch (err) {
      r.warnings.push(`${key} entry ${quote(v)} is not a platform (${(err as Error).message}); it is ignored`);
    }
  }
  return out;
}

function resolveSkipNames(r: Resolver): SkipNames {
  const get = (kind: keyof SkipNames): string[] => {
    const { values, key } = r.list(`skipNames.${kind}`, `skipNames.${kind}`);
    for (const v of values) {
      const slash = v.indexOf('/');
      if (slash >= 0 && (v.slice(0, slash).trim() === '' || v.slice(slash + 1).trim() === '')) {
        r.warnings.push(`${key} entry ${quote(v)} has an empty namespace or name and matches nothing`);
      } else if (v !== '*' && /[*?[]/.test(v)) {
        r.warnings.push(`${key} entry ${quote(v)} is an exact name (only a lone * matches everything)`);
      }
    }
    return values;
  };
  return {
    deployments: get('deployments'),
    statefulSets: get('statefulSets'),
    daemonSets: get('daemonSets'),
    jobs: get('jobs'),
    cronJobs: get('cronJobs'),
    pods: get('pods'),
  };
}

/**
 * Resolves and validates everything. Throws {@link ConfigError} (`CONFIG_INVALID`) for the first
 * value copycat cannot start with, in upstream's order: log level, watch resources, target, then
 * the numeric and boolean settings.
 */
export function resolveConfig(file: FileSettings, env: Env, flags: ConfigFlags = {}): Resolved {
  const r = new Resolver(file, env);
  const logLevel = resolveLogLevel(r, flags.logLevel);

  const watch = r.list('watchResources', 'watchResources');
  const { parsed, invalid } = parseWatchResources(watch.values);
  if (invalid.length > 0) {
    // A file entry such as "pods, jobs" worked upstream, which split file entries on commas.
    const commaHint = watch.origin === 'file' && invalid.some((v) => v.includes(',')) ? ' (file list entries are not split on commas: write one entry per item)' : '';
    throw new ConfigError(
      'CONFIG_INVALID',
      watch.key,
      invalid.join(', '),
      `unsupported watch resource(s); expected ${DEFAULTS.watchResources.join(', ')}${commaHint}`,
    );
  }
  const watchResources: readonly WatchResource[] = parsed.length > 0 ? parsed : DEFAULTS.watchResources;

  const target = resolveTarget(r);
  const dryRun = resolveDry(r, 'dryRun', flags.dryRun);
  const dryPull = resolveDry(r, 'dryPull', flags.dryPull);

  const SECOND = 1_000;
  const MINUTE = 60_000;
  const requestTimeoutMs = Math.max(0, r.duration('requestTimeout', 'requestTimeoutMs', SECOND, DEFAULTS.requestTimeoutSeconds, 'seconds', () => undefined));
  const registryRetryAttempts = r.int('registryRetryAttempts', 'registryRetryAttempts', DEFAULTS.registryRetryAttempts, checkPositive);
  const registryRetryBackoffMs = r.duration('registryRetryBackoff', 'registryRetryBackoffMs', SECOND, DEFAULTS.registryRetryBackoffSeconds, 'seconds', (ms) =>
    ms < 0 ? 'must not be negative' : undefined,
  );
  const failureCooldownMs = Math.max(0, r.duration('failureCooldownMinutes', 'failureCooldownMs', MINUTE, DEFAULTS.failureCooldownMinutes, 'minutes', () => undefined));
  const digestPull = r.bool('digestPull', 'digestPull', false, true);
  const ignored = r.list('digestPullIgnoredTags', 'digestPullIgnoredTags').values.map((t) => t.toLowerCase());
  const digestPullIgnoredTags = ignored.length > 0 ? [...new Set(ignored)] : [...DEFAULTS.digestPullIgnoredTags];
  const ignoreMissingPlatforms = resolveRegexList(r, 'ignoreMissingPlatforms');
  const checkNodePlatform = r.bool('checkNodePlatform', 'checkNodePlatform', false, true);
  const mirrorPlatforms = resolvePlatforms(r);
  const allowDifferentDigestRepush = r.bool('allowDifferentDigestRepush', 'allowDifferentDigestRepush', DEFAULTS.allowDifferentDigestRepush, true);
  const creds = r.file.credentials();
  r.record('registryCredentials', creds ? 'file' : 'default');
  const registryCredentials = resolveCredentials(creds?.value ?? [], r.envObject, r.warnings);
  const usePodPullSecrets = r.bool('usePodPullSecrets', 'usePodPullSecrets', false, true);
  const maxConcurrentReconciles = r.int('maxConcurrentReconciles', 'maxConcurrentReconciles', DEFAULTS.maxConcurrentReconciles, checkPositive);
  const forceReconcileMs = Math.max(0, r.duration('forceReconcileMinutes', 'forceReconcileMs', MINUTE, DEFAULTS.forceReconcileMinutes, 'minutes', () => undefined));

  const include = r.list('includeNamespaces', 'includeNamespaces');
  const skip = r.list('skipNamespaces', 'skipNamespaces');
  r.warnings.push(...namespaceListWarnings(include.values, include.key, skip.values, skip.key));
  const skipNames = resolveSkipNames(r);
  const excludeRegistries = normalizeExcludedRegistries(r.list('excludeRegistries', 'excludeRegistries').values);
  const paths = r.file.pathMap();
  r.record('pathMap', paths ? 'file' : 'default');
  const pathMap = compilePathMap(paths?.value ?? [], r.warnings);
  const metricsBindAddress = resolveMetricsAddress(r, flags.metricsBindAddress);
  const sparseIndexFallback = resolveSparseFallback(r);

  const config: Config = {
    ...target,
    logLevel,
    digestPull,
    digestPullIgnoredTags,
    ignoreMissingPlatforms,
    checkNodePlatform,
    mirrorPlatforms,
    allowDifferentDigestRepush,
    includeNamespaces: normalizeIncludeNamespaces(include.values),
    skipNamespaces: skip.values,
    skipNames,
    excludeRegistries,
    watchResources: [...watchResources],
    dryRun,
    dryPull,
    requestTimeoutMs,
    registryRetryAttempts,
    registryRetryBackoffMs,
    failureCooldownMs,
    forceReconcileMs,
    maxConcurrentReconciles,
    registryCredentials,
    usePodPullSecrets,
    pathMap,
    metricsBindAddress,
    sparseIndexFallback,
  };
  return { config: deepFreeze(config), warnings: r.warnings, origins: r.origins };
}

/** Freezes plain objects and arrays recursively; RegExps are left alone (freezing them is pointless). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof RegExp)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
