/**
 * Rewrites the generated table in docs/configuration.md from the setting table.
 *
 * Usage: node src/config/generate-docs.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withRenderedTable } from './docs.ts';

/** docs/configuration.md, found relative to this file. */
export const CONFIG_DOC_PATH = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

if (import.meta.main) {
  writeFileSync(CONFIG_DOC_PATH, withRenderedTable(readFileSync(CONFIG_DOC_PATH, 'utf8')));
  process.stdout.write(`updated ${CONFIG_DOC_PATH}\n`);
}
