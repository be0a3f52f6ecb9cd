/**
 * Loading the configuration the way k8s-copycat does at start-up (inventory §1.1): the file at
 * `CONFIG_PATH` (default `/config/config.yaml`) is optional — missing means defaults — but a file
 * that exists and cannot be read is a start-up error (upstream #201), then env and flags on top.
 */
import { readFileSync } from 'node:fs';
import type { Env } from './credentials.ts';
import { ConfigError } from './errors.ts';
import { FileSettings, readConfigText } from './file.ts';
import { resolveConfig, type ConfigFlags, type Origin } from './resolve.ts';
import { DEFAULTS } from './settings.ts';
import type { Config } from './types.ts';

/** Where to read from; every field defaults to the real process. */
export interface LoadConfigOptions {
  /** Config file path; default `CONFIG_PATH` from `env`, else `/config/config.yaml`. */
  readonly path?: string;
  /** Environment; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | Env;
  /** Reads the file as UTF-8 text, throwing Node's `ENOENT` error when it does not exist; default `fs.readFileSync`. */
  readonly readFile?: (path: string) => string;
  /** Command-line flag values, when the CLI has them. */
  readonly flags?: ConfigFlags;
}

/** A loaded configuration with everything worth logging at start-up. */
export interface LoadedConfig {
  /** The validated configuration. */
  readonly config: Config;
  /** Problems that did not stop start-up; log them as warnings. Never contain secrets. */
  readonly warnings: readonly string[];
  /** The config file path that was used. */
  readonly path: string;
  /** Whether that file existed (false: every file setting took its default). */
  readonly found: boolean;
  /** Origin (`default`, `file`, `env`, `flag`) of each `Config` property, by dot path. */
  readonly origins: Readonly<Record<string, Origin>>;
}

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

/**
 * Reads, parses and validates the configuration, returning start-up warnings alongside. Throws
 * {@link ConfigError}: `CONFIG_UNREADABLE` when the file exists but cannot be read,
 * `CONFIG_INVALID` for invalid YAML or a value copycat cannot start with.
 */
export function loadConfigWithWarnings(opts: LoadConfigOptions = {}): LoadedConfig {
  const env: Env = opts.env ?? process.env;
  const configured = env.CONFIG_PATH?.trim();
  const path = opts.path ?? (configured ? configured : DEFAULTS.configPath);
  const readFile = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let text: string | undefined;
  try {
    text = readFile(path);
  } catch (err) {
    // Only "does not exist" means "no file" (Go's os.IsNotExist); EACCES, EISDIR, … are fatal.
    if (!isMissing(err)) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ConfigError('CONFIG_UNREADABLE', 'CONFIG_PATH', path, reason, { cause: err });
    }
  }
  const file = text === undefined ? { settings: new FileSettings(), warnings: [] } : readConfigText(text, path);
  const resolved = resolveConfig(file.settings, env, opts.flags);
  return {
    config: resolved.config,
    warnings: [...file.warnings, ...resolved.warnings],
    path,
    found: text !== undefined,
    origins: resolved.origins,
  };
}

/** {@link loadConfigWithWarnings} without the extras: just the validated configuration. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  return loadConfigWithWarnings(opts).config;
}
