/**
 * Everything the benchmark starts is stopped at the end, on failure and on Ctrl-C: registries (with
 * their temp dirs), measured subprocesses and scratch directories.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../../test/support/registry.ts';
import { killAllMeasured } from './measure.ts';

/** A stack of undo actions, run last-in first-out; each runs once even if `run()` is called again. */
export class Cleanup {
  readonly #actions: Array<() => Promise<void>> = [];

  /** Registers an action; returns a function that runs it now (and removes it from the stack). */
  add(action: () => Promise<void>): () => Promise<void> {
    let done = false;
    const once = async (): Promise<void> => {
      if (done) return;
      done = true;
      const i = this.#actions.indexOf(once);
      if (i >= 0) this.#actions.splice(i, 1);
      await action();
    };
    this.#actions.push(once);
    return once;
  }

  /**
   * On SIGINT/SIGTERM: says so, runs every action and exits 130. Returns a probe telling whether that
   * happened (so a scenario can tell killed processes from failed ones) and a way to stop listening.
   */
  stopOnSignals(): { interrupted: () => boolean; release: () => void } {
    let interrupted = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      interrupted = true;
      process.stderr.write(`\nbench: ${signal}, stopping everything\n`);
      void this.run().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return {
      interrupted: () => interrupted,
      release: () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      },
    };
  }

  /** Kills measured subprocesses, then runs every action; errors are printed, not thrown. */
  async run(): Promise<void> {
    killAllMeasured();
    while (this.#actions.length > 0) {
      const action = this.#actions[this.#actions.length - 1]!;
      try {
        await action();
      } catch (err) {
        process.stderr.write(`bench: cleanup step failed: ${(err as Error).message}\n`);
        const i = this.#actions.indexOf(action);
        if (i >= 0) this.#actions.splice(i, 1);
      }
    }
  }

  /** Starts an anonymous loopback registry that this cleanup stops. */
  async registry(): Promise<RunningRegistry & { release(): Promise<void> }> {
    const registry = await startRegistry({ auth: 'none', logLevel: 'warn' });
    const release = this.add(() => registry.stop());
    return Object.assign(registry, { release });
  }

  /** A scratch directory that this cleanup removes. */
  async scratch(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `copycat-bench-${prefix}-`));
    this.add(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }
}
