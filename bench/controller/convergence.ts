/**
 * When the controller has converged: every source image the cluster runs is mirrored (`mirrored`, or
 * `partial` where the target refused a platform-filtered index and the platforms are served by digest), and no
 * job is waiting, running or failing. Pure, over the `/status` document's images.
 */
import type { ImageStatus } from '../../src/controller/index.ts';

/** Where convergence stands. */
export interface ConvergenceView {
  /** Expected sources with at least one job done. */
  covered: number;
  expected: number;
  /** Jobs pending or running. */
  busy: number;
  /** Jobs failed, cooling down or invalid. */
  failing: number;
  done: boolean;
  /** A few failing jobs, for the log. */
  failures: Array<{ source: string; state: string; error?: string | undefined }>;
}

const DONE = new Set(['mirrored', 'partial']);
const FAILING = new Set(['failed', 'cooldown', 'invalid']);

/** Summarises `images` against the `expected` sources (as written in pod specs). */
export function convergence(images: readonly Pick<ImageStatus, 'source' | 'state' | 'running' | 'lastError'>[], expected: ReadonlySet<string>): ConvergenceView {
  const covered = new Set<string>();
  let busy = 0;
  let failing = 0;
  const failures: ConvergenceView['failures'] = [];
  for (const img of images) {
    if (img.running || img.state === 'pending') busy++;
    else if (FAILING.has(img.state)) {
      failing++;
      if (failures.length < 5) failures.push({ source: img.source, state: img.state, error: img.lastError });
    } else if (DONE.has(img.state) && expected.has(img.source)) covered.add(img.source);
  }
  return { covered: covered.size, expected: expected.size, busy, failing, done: covered.size === expected.size && busy === 0 && failing === 0, failures };
}
