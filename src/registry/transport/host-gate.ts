import { sleep } from '../../internal/abort.ts';

/**
 * Per-host "not before" times: when one request to a host is told to back off (429 + Retry-After),
 * every request to that host waits, instead of each discovering the throttle on its own.
 */
export class HostGate {
  readonly #notBefore = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Pushes the host's next allowed request at least `ms` into the future. */
  delay(host: string, ms: number): void {
    const until = this.#now() + ms;
    if ((this.#notBefore.get(host) ?? 0) < until) this.#notBefore.set(host, until);
  }

  /** Forgets a host's wait once it answers normally again. */
  succeeded(host: string): void {
    const until = this.#notBefore.get(host);
    if (until !== undefined && until <= this.#now()) this.#notBefore.delete(host);
  }

  /** Milliseconds the host still has to wait (0 when free). */
  remaining(host: string): number {
    return Math.max(0, (this.#notBefore.get(host) ?? 0) - this.#now());
  }

  /** Resolves when the host may be contacted again. */
  async wait(host: string, signal?: AbortSignal): Promise<void> {
    const ms = this.remaining(host);
    if (ms > 0) await sleep(ms, signal);
  }
}
