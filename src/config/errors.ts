import { CopycatError } from '../internal/errors.ts';

/**
 * The stable codes a {@link ConfigError} carries; callers branch on these, never on the message.
 *
 * - `CONFIG_UNREADABLE`: the config file exists but cannot be read (permissions, a directory, I/O).
 *   A missing file is not an error: every setting then takes its default (k8s-copycat #201).
 * - `CONFIG_INVALID`: the file is not valid YAML, or a setting (from the file, the environment or a
 *   flag) has a value copycat refuses to start with.
 */
export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_UNREADABLE';

/** Longest value quoted verbatim in a message; longer ones are cut so logs stay readable. */
const MAX_QUOTED = 200;

/** Quotes a value for a message (JSON-style, so blanks and control characters are visible). */
export function quote(value: string): string {
  if (value.length <= MAX_QUOTED) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, MAX_QUOTED))}… (${value.length} characters)`;
}

/** Options for {@link ConfigError}. */
export interface ConfigErrorOptions {
  /** The underlying error (for example the file system error). */
  cause?: unknown;
  /** The value is a password or token: keep it out of the message and out of `.value`. */
  secret?: boolean;
}

/**
 * Thrown when copycat cannot start with its configuration. The message names the setting (`key`:
 * the env var, the file key path such as `registryCredentials[1].password`, or `CONFIG_PATH`) and
 * the rejected value, except for secrets, whose value is never shown.
 */
export class ConfigError extends CopycatError {
  /** Why start-up failed; see {@link ConfigErrorCode}. */
  declare readonly code: ConfigErrorCode;
  /** The setting at fault: an env var name, a file key path, or `CONFIG_PATH` for the file itself. */
  readonly key: string;
  /** The rejected value as written, or `undefined` for secrets and for values that are not text. */
  readonly value: string | undefined;

  constructor(code: ConfigErrorCode, key: string, value: string | undefined, reason: string, options: ConfigErrorOptions = {}) {
    const shown = options.secret ? '(value not shown)' : value === undefined ? '' : quote(value);
    super(code, `${code === 'CONFIG_UNREADABLE' ? 'cannot read' : 'invalid'} ${key}${shown ? ` ${shown}` : ''}: ${reason}`, {
      cause: options.cause,
    });
    this.key = key;
    this.value = options.secret ? undefined : value;
  }
}
