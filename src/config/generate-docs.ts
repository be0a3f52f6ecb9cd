/**
 * Rewrites the generated configuration tables from the setting table (`settings.ts`): the full reference in
 * docs/configuration.md and the compact table in README.md. With `--check` it writes nothing and exits 1 when
 * either file is stale (for CI; the unit test in docs.test.ts checks the same).
 *
 * Usage: node src/config/generate-docs.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withRenderedReadmeTable, withRenderedTable } from './docs.ts';

/** docs/configuration.md, found relative to this file. */
export const CONFIG_DOC_PATH = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

/** README.md at the repository root, found relative to this file. */
export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

/** Each generated file with the pure function that renders its tables into its current text. */
export const GENERATED_DOCS: ReadonlyArray<{ path: string; render: (text: string) => string }> = [
  { path: CONFIG_DOC_PATH, render: withRenderedTable },
  { path: README_PATH, render: withRenderedReadmeTable },
];

if (import.meta.main) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { path, render } of GENERATED_DOCS) {
    const before = readFileSync(path, 'utf8');
    const after = render(before);
    if (after === before) {
      process.stdout.write(`up to date ${path}\n`);
    } else if (check) {
      stale++;
      process.stdout.write(`stale ${path}: run node src/config/generate-docs.ts\n`);
    } else {
      writeFileSync(path, after);
      process.stdout.write(`updated ${path}\n`);
    }
  }
  if (stale > 0) process.exitCode = 1;
}
