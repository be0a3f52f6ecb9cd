/**
 * The logger the controller writes to: pino's call shape (`logger.info({ field: 1 }, 'message')`), so the
 * composition root passes a pino logger as is. Messages k8s-copycat operators grep for are kept verbatim
 * (behaviour inventory §5.3); fields carry the details (`source`, `namespace`, `pod`, `container`, `target`).
 */

/** One log method: structured fields first, then the message (pino's argument order). */
export type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/** A pino-compatible logger: `debug` is k8s-copycat's `V(1)`. */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** A logger that drops everything (the default when none is given). */
export const noopLogger: Logger = Object.freeze({
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
});

/** One captured log line (see {@link memoryLogger}). */
export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/**
 * A logger that keeps every line in `records`, for tests and for commands that print a summary of what a
 * run logged (`copycat sync` shows the warnings at the end).
 */
export function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']): LogMethod =>
    (fields, message) => {
      records.push({ level, message, fields: { ...fields } });
    };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that adds `bindings` to every line (pino's `child`, for loggers that lack it). */
export function withFields(logger: Logger, bindings: Record<string, unknown>): Logger {
  const wrap =
    (method: LogMethod): LogMethod =>
    (fields, message) => {
      method({ ...bindings, ...fields }, message);
    };
  return { debug: wrap(logger.debug.bind(logger)), info: wrap(logger.info.bind(logger)), warn: wrap(logger.warn.bind(logger)), error: wrap(logger.error.bind(logger)) };
}
