/**
 * Kube → controller: the {@link Controller} of the current leadership term, and the watch handler that feeds
 * it. Watches run on every replica (their caches stay warm); only the replica holding the Lease has a
 * controller, so only it evaluates objects, mirrors and resyncs. A new term builds a fresh controller and
 * replays the cached objects into it; losing the Lease stops the controller (copies in flight are abandoned
 * before their tag, ARCHITECTURE §2.5), so a follower never mirrors.
 */
import type { Controller, Logger } from '../../controller/index.ts';
import { errorMessage } from '../../internal/errors.ts';
import type { ClusterEvent, KubeObject } from '../../kube/index.ts';

/** What a {@link ControllerSlot} needs. */
export interface ControllerSlotOptions {
  /** Builds the controller of a new term (not started). */
  build: () => Controller;
  /** Every object the watches hold now, replayed into a new controller. */
  cached: () => Iterable<KubeObject>;
  log: Logger;
}

/** See the file comment. Activations and deactivations run one after the other, never overlapping. */
export class ControllerSlot {
  readonly #o: ControllerSlotOptions;
  #current: Controller | undefined;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: ControllerSlotOptions) {
    this.#o = options;
  }

  /** The running controller, undefined while this replica does not lead (or is shutting down). */
  get current(): Controller | undefined {
    return this.#current;
  }

  /** The watch handler: synchronous, only hands the object to the controller, which only stores and enqueues. */
  onEvent(event: ClusterEvent): void {
    const controller = this.#current;
    if (controller === undefined) return;
    if (event.type === 'delete') controller.forget(event.object);
    else controller.observe(event.object);
  }

  /** Starts a controller once the previous one (if any) has stopped; resolves when it runs. */
  activate(): Promise<void> {
    return this.#then(() => {
      if (this.#closed || this.#current !== undefined) return;
      const controller = this.#o.build();
      // Replay and hand-over happen in one synchronous step, so no watch event falls between them.
      let objects = 0;
      for (const obj of this.#o.cached()) {
        controller.observe(obj);
        objects++;
      }
      controller.start();
      this.#current = controller;
      this.#o.log.info({ objects }, 'controller started');
    });
  }

  /**
   * Stops the running controller (no new work; copies in flight abandoned before their tag). It is detached at
   * once, so not one more watch event reaches it after leadership is lost; a term whose activation was already
   * queued is stopped too.
   */
  deactivate(): Promise<void> {
    const detached = this.#current;
    this.#current = undefined;
    const stopping = detached?.stop();
    stopping?.catch(() => undefined); // awaited (and reported) in the step below
    return this.#then(async () => {
      const queued = this.#current;
      this.#current = undefined;
      await Promise.all([stopping, queued?.stop()]);
      if (detached !== undefined || queued !== undefined) this.#o.log.info({}, 'controller stopped');
    });
  }

  /** Deactivates for good: later activations do nothing. */
  close(): Promise<void> {
    this.#closed = true;
    return this.deactivate();
  }

  #then(step: () => void | Promise<void>): Promise<void> {
    const next = this.#chain.then(step).catch((err: unknown) => this.#o.log.error({ error: errorMessage(err) }, 'controller hand-over failed'));
    this.#chain = next;
    return next;
  }
}
