/**
 * The controller's logger: pino writing one JSON object per line to stdout, shaped like k8s-copycat's zap
 * production logs (behaviour inventory §5.3): `level` as a name (`info`), `ts` as an RFC 3339 time, `msg`, and
 * `logger` naming the part that logs (`setup`, `controllers`, `namespaces`, …). No `pid`/`hostname`, as zap.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../../config/index.ts';
import type { Logger } from '../../controller/index.ts';
import { REDACTED } from '../../config/index.ts';

/** A pino logger that is also the controller's {@link Logger}. */
export type JsonLogger = PinoLogger & Logger;

/** Where log lines go; anything with `write(line)` (stdout by default; tests collect lines). */
export type LogDestination = DestinationStream;

/**
 * zap's levels as pino's: `dpanic`, `panic` and `fatal` only let the most severe lines through (pino's `fatal`);
 * zap's `debug` is logr's `V(1)`, which upstream shows only at `logLevel: debug`.
 */
export function pinoLevel(level: LogLevel): 'debug' | 'info' | 'warn' | 'error' | 'fatal' {
  if (level === 'dpanic' || level === 'panic' || level === 'fatal') return 'fatal';
  return level;
}

/**
 * Field names whose values never reach a log line, whatever logs them: a second guard behind `redactConfig`
 * and the controller's own redaction (ARCHITECTURE §4 "Secrets never printed").
 */
const SECRET_PATHS = ['password', 'token', 'authorization', '*.password', '*.token', '*.authorization', '*.*.password', '*.*.token'];

/** Creates the JSON logger at `level` (default `info`) writing to `destination` (default: stdout, synchronously). */
export function createLogger(options: { level?: LogLevel; destination?: LogDestination } = {}): JsonLogger {
  return pino(
    {
      level: pinoLevel(options.level ?? 'info'),
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"ts":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_PATHS, censor: REDACTED },
    },
    // Synchronous writes: a line logged just before exit (a start-up failure, the end of a shutdown) is not lost.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A child logger whose lines carry `logger: name`, as zap's named loggers (`mirror.pusher`, `cooldown`, …). */
export function named(logger: JsonLogger, name: string): JsonLogger {
  return logger.child({ logger: name });
}

/** Sets the level after the configuration is known (lines before it are logged at `info`). */
export function setLevel(logger: JsonLogger, level: LogLevel): void {
  logger.level = pinoLevel(level);
}
