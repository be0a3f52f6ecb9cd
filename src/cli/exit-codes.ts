/** Process exit codes of the CLI; scripts branch on these. */
export const ExitCode = {
  ok: 0,
  /** The command failed; nothing under the destination tag changed. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** Done in part: platform images are in the target by digest, but the tag could not be written (sparse index refused). */
  partial: 3,
} as const;
