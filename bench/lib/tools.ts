/**
 * The command lines the benchmark compares: copycat's CLI (and the copy-many script) against skopeo,
 * with the flags that make them do the same job on plain-HTTP loopback registries.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A command to run. */
export interface CommandLine {
  command: string;
  args: string[];
}

/**
 * The environment for every measured process: the project's Node 24 first on PATH (so `bin/copycat`'s
 * `#!/usr/bin/env node` starts Node 24 directly, without its re-exec fallback), `LC_ALL=C` for skopeo,
 * and no `NODE_COMPILE_CACHE` / `NODE_OPTIONS` inherited from the caller unless asked for, so copycat
 * is measured as a user would run it (the launcher itself enables Node's compile cache in its default
 * place, `$TMPDIR/node-compile-cache`).
 */
export function benchEnv(opts: { compileCacheDir?: string; nodeOptions?: string } = {}): NodeJS.ProcessEnv {
  const { NODE_COMPILE_CACHE: _cache, NODE_OPTIONS: _options, ...rest } = process.env;
  return {
    ...rest,
    PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}`,
    LC_ALL: 'C',
    ...(opts.compileCacheDir !== undefined ? { NODE_COMPILE_CACHE: opts.compileCacheDir } : {}),
    ...(opts.nodeOptions !== undefined ? { NODE_OPTIONS: opts.nodeOptions } : {}),
  };
}

/**
 * Node settings of the informational `copycat-tuned` runs, which the launcher (or a container image's
 * `NODE_OPTIONS`) could apply: a 1 MiB young generation makes V8 scavenge often, so the 64 KiB socket
 * buffers of a blob stream are freed within a few MiB instead of piling up (to ~64 MB) until an
 * old-generation GC; peak RSS and page faults (system CPU time) drop.
 */
export const TUNED_NODE_OPTIONS = '--max-semi-space-size=1';

/** `bin/copycat copy SRC DST --json` (JSON output carries the in-process seconds; no TTY, so no progress bar either way). */
export function copycatCopy(src: string, dst: string): CommandLine {
  return { command: join(REPO_ROOT, 'bin', 'copycat'), args: ['copy', src, dst, '--json'] };
}

/** `bin/copycat --version`: process start-up and module loading only. */
export function copycatVersion(): CommandLine {
  return { command: join(REPO_ROOT, 'bin', 'copycat'), args: ['--version'] };
}

/** `node bench/copy-many.ts --pairs FILE`: one Copier copying every pair concurrently. */
export function copycatCopyMany(pairsFile: string, concurrency = 6): CommandLine {
  return { command: process.execPath, args: [join(REPO_ROOT, 'bench', 'copy-many.ts'), '--pairs', pairsFile, '--concurrency', String(concurrency)] };
}

/** `skopeo copy --all --preserve-digests` between two plain-HTTP registries, anonymously. */
export function skopeoCopy(src: string, dst: string): CommandLine {
  return {
    command: 'skopeo',
    args: ['copy', '--all', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', '--src-no-creds', '--dest-no-creds', `docker://${src}`, `docker://${dst}`],
  };
}

/**
 * `skopeo sync --src yaml --dest docker FILE DEST`: copies every image the YAML lists, each to
 * `DEST/<last path element of its repository>:<tag>` (no `--scoped`).
 */
export function skopeoSync(yamlFile: string, destPrefix: string): CommandLine {
  return {
    command: 'skopeo',
    args: ['sync', '--all', '--preserve-digests', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', '--dest-no-creds', yamlFile, destPrefix],
  };
}

/** `skopeo --version`: process start-up only. */
export function skopeoVersion(): CommandLine {
  return { command: 'skopeo', args: ['--version'] };
}

/** The YAML source file of `skopeo sync --src yaml` listing `repo: [tag]` entries on one plain-HTTP registry. */
export function syncYaml(registryHost: string, images: readonly { repo: string; tag: string }[]): string {
  const lines = [`${registryHost}:`, '  tls-verify: false', '  images:'];
  for (const { repo, tag } of images) lines.push(`    ${repo}:`, `      - "${tag}"`);
  return `${lines.join('\n')}\n`;
}
