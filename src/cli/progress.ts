import cliProgress from 'cli-progress';
import type { CopyEvent } from '../copy/index.ts';
import { formatBytes } from './format.ts';

/** Receives copy events and shows them; `stop()` before printing anything else. */
export interface ProgressView {
  onEvent(event: CopyEvent): void;
  stop(): void;
}

/**
 * A byte progress bar on a terminal (stderr), nothing otherwise: piped output gets only the summary line.
 * The total grows as plans arrive, so one bar serves copies of several images.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (!stream.isTTY) return { onEvent: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
      format: (options, params, payload: { blobs?: string }) => {
        const width = options.barsize ?? 30;
        const filled = params.total > 0 ? Math.round((params.value / params.total) * width) : 0;
        const pct = params.total > 0 ? Math.floor((params.value / params.total) * 100) : 0;
        return `copying [${'='.repeat(filled)}${' '.repeat(Math.max(0, width - filled))}] ${pct}% ${formatBytes(params.value)}/${formatBytes(params.total)} ${payload.blobs ?? ''}`;
      },
    },
    cliProgress.Presets.shades_classic,
  );
  let total = 0;
  let value = 0;
  let done = 0;
  let blobs = 0;
  let started = false;
  return {
    onEvent(e) {
      if (e.type === 'plan') {
        total += e.bytes;
        blobs += e.blobs;
        if (!started) {
          bar.start(total, value, { blobs: `blobs 0/${blobs}` });
          started = true;
        } else bar.setTotal(total);
      } else if (e.type === 'blob-progress') {
        value += e.bytes;
        bar.update(value);
      } else if (e.type === 'blob-done') {
        done++;
        // Blobs that existed or were mounted count as done without their bytes flowing.
        if (e.outcome !== 'uploaded') value += e.size;
        bar.update(value, { blobs: `blobs ${done}/${blobs}` });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
