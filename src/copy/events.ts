import type { Platform } from '../oci/index.ts';

/** How a blob reached the target. */
export type BlobOutcome = 'exists' | 'mounted' | 'uploaded';

/** What a copy reports while it runs, for progress bars, logs and metrics. */
export type CopyEvent =
  /** The graph is known: how many blobs and bytes may have to move (before existence checks). */
  | { type: 'plan'; source: string; target: string; manifests: number; blobs: number; bytes: number }
  | { type: 'blob-start'; digest: string; size: number }
  /** `bytes` more bytes of a blob were streamed (a delta, not a running total). */
  | { type: 'blob-progress'; digest: string; bytes: number }
  | { type: 'blob-done'; digest: string; size: number; outcome: BlobOutcome }
  | { type: 'blob-retry'; digest: string; attempt: number; error: string }
  | { type: 'manifest-done'; digest: string; mediaType: string; platform?: Platform | undefined; outcome: 'exists' | 'pushed' }
  | { type: 'tag'; tag: string; digest: string }
  | { type: 'warning'; code: string; message: string };

/** Receives {@link CopyEvent}s; must not throw and should return quickly. */
export type CopyObserver = (event: CopyEvent) => void;
