/** Shared helpers for the config tests: load from text and env without touching the real process. */
import { loadConfigWithWarnings, type LoadedConfig } from './load.ts';
import type { ConfigFlags } from './resolve.ts';

/** A docker target that passes validation, so each test only sets what it is about. */
export const BASE_ENV: Readonly<Record<string, string>> = Object.freeze({ TARGET_KIND: 'docker', TARGET_REGISTRY: 'base.example.com' });

/** Node's error for a file that does not exist. */
export function enoent(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
}

/** Loads `file` (undefined: no file) with `BASE_ENV` plus `env` (a blank value unsets a base entry). */
export function load(file: string | undefined, env: Record<string, string> = {}, flags?: ConfigFlags): LoadedConfig {
  return loadConfigWithWarnings({
    env: { ...BASE_ENV, ...env },
    readFile: (p) => {
      if (file === undefined) throw enoent(p);
      return file;
    },
    ...(flags ? { flags } : {}),
  });
}
