import { CopycatError, errorMessage } from '../internal/errors.ts';
import { ExitCode } from './exit-codes.ts';

/** Raised for a bad command line; printed without a stack and exits with {@link ExitCode.usage}. */
export class UsageError extends CopycatError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Prints an error the way the CLI reports failures (`copycat: CODE: message`) and returns its exit code. */
export function reportError(err: unknown, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  if (err instanceof CopycatError) {
    write(`copycat: ${err.code}: ${err.message}`);
    let cause = err.cause;
    for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
      if (!err.message.includes(cause.message)) write(`  caused by: ${errorMessage(cause)}`);
      cause = cause.cause;
    }
    return err.code === 'USAGE' || err.code.startsWith('REFERENCE_') || err.code === 'PLATFORM_INVALID' || err.code === 'CREDENTIALS_INVALID' ? ExitCode.usage : ExitCode.failed;
  }
  write(`copycat: ${errorMessage(err)}`);
  return ExitCode.failed;
}
