/**
 * Termination signals for a long-running command: the first SIGTERM or SIGINT starts a graceful shutdown; a
 * second one exits at once (an operator pressing Ctrl-C twice, or a kubelet that lost patience).
 */

/** What {@link onTerminationSignals} listens on (the real `process` by default; tests pass an emitter). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Options of {@link onTerminationSignals}. */
export interface TerminationOptions {
  signals?: readonly NodeJS.Signals[];
  source?: SignalSource;
  /** Called on the second signal (default: `process.exit(1)`). */
  forceExit?: (signal: NodeJS.Signals) => void;
}

/** Calls `shutdown` on the first termination signal; returns a function that removes the listeners. */
export function onTerminationSignals(shutdown: (signal: NodeJS.Signals) => void, options: TerminationOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const source = options.source ?? process;
  const forceExit = options.forceExit ?? (() => process.exit(1));
  let received = false;
  const listener = (signal: NodeJS.Signals): void => {
    if (received) {
      forceExit(signal);
      return;
    }
    received = true;
    shutdown(signal);
  };
  for (const s of signals) source.on(s, listener);
  return () => {
    for (const s of signals) source.off(s, listener);
  };
}
