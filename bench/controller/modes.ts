/**
 * The controller configurations the benchmark runs, and the config file each is written as. `tag` is
 * k8s-copycat's defaults (pull by tag, whole indexes); `digest` pulls the digest each pod runs and only the
 * platform of its node (`digestPull` + `checkNodePlatform`), the setting that uses the pods' `imageID`s and
 * nodes.
 */

/** A benchmark mode's name. */
export type ModeName = 'tag' | 'digest';

/** What a mode sets. */
export interface Mode {
  name: ModeName;
  title: string;
  digestPull: boolean;
  checkNodePlatform: boolean;
}

/** Every mode, in run order. */
export const MODES: Readonly<Record<ModeName, Mode>> = Object.freeze({
  tag: { name: 'tag', title: 'tag pulls, whole indexes (defaults)', digestPull: false, checkNodePlatform: false },
  digest: { name: 'digest', title: 'digestPull + checkNodePlatform', digestPull: true, checkNodePlatform: true },
});

/** Parses `--modes tag,digest`; throws naming an unknown mode. */
export function parseModes(text: string): Mode[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new Error('--modes needs at least one of: tag, digest');
  return names.map((n) => {
    if (n !== 'tag' && n !== 'digest') throw new Error(`--modes: unknown mode ${JSON.stringify(n)} (known: tag, digest)`);
    return MODES[n];
  });
}

/**
 * The controller's config file for `mode`: a plain-HTTP docker target at `targetHost`, everything else at
 * k8s-copycat's defaults (all six kinds watched, every namespace, `maxConcurrentReconciles` as given).
 */
export function controllerConfigYaml(mode: Mode, targetHost: string, options: { maxConcurrentReconciles?: number; logLevel?: string } = {}): string {
  const lines = [
    'targetKind: docker',
    'docker:',
    `  registry: "${targetHost}"`,
    '  insecure: true',
    `digestPull: ${mode.digestPull}`,
    `checkNodePlatform: ${mode.checkNodePlatform}`,
    `logLevel: ${options.logLevel ?? 'info'}`,
  ];
  if (options.maxConcurrentReconciles !== undefined) lines.push(`maxConcurrentReconciles: ${options.maxConcurrentReconciles}`);
  return `${lines.join('\n')}\n`;
}
