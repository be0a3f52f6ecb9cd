/**
 * The configuration reference, generated from the setting table (`settings.ts`) so the docs list
 * exactly the keys, env vars and defaults the loader uses. docs/configuration.md embeds
 * {@link renderConfigTable}'s output between markers; a test fails when it is stale and
 * `node src/config/generate-docs.ts` rewrites it.
 */
import { CREDENTIAL_FIELDS, PATH_MAP_FIELDS, SETTINGS, type ItemField } from './settings.ts';

/** One documented key. */
export interface ConfigDocRow {
  /** File key path (`ecr.accountID`, `pathMap[].from`), or the env var for env-only settings. */
  readonly key: string;
  /** The environment variable that overrides it, if any. */
  readonly env?: string;
  /** Whether the key can be set in the config file. */
  readonly inFile: boolean;
  /** Value type. */
  readonly type: string;
  /** Default (empty: none). */
  readonly default: string;
  /** What it does, how values are read, and where copycat differs from k8s-copycat. */
  readonly description: string;
}

function itemRows(parent: string, fields: readonly ItemField[]): ConfigDocRow[] {
  return fields.map((f) => ({ key: `${parent}[].${f.name}`, inFile: true, type: f.type, default: f.default, description: f.description }));
}

/** One row per key, in the order of k8s-copycat's documentation; entry fields follow their list. */
export const CONFIG_SCHEMA_DOC: readonly ConfigDocRow[] = Object.freeze(
  SETTINGS.flatMap((s): ConfigDocRow[] => {
    const row: ConfigDocRow = {
      key: s.file ?? s.id,
      ...(s.env ? { env: s.env } : {}),
      inFile: s.file !== undefined,
      type: s.type,
      default: s.default,
      description: s.fileAliases ? `${s.description} Alias: ${s.fileAliases.map((a) => `\`${a}\``).join(', ')}.` : s.description,
    };
    if (s.fileKind === 'credentials') return [row, ...itemRows(s.file ?? s.id, CREDENTIAL_FIELDS)];
    if (s.fileKind === 'pathMap') return [row, ...itemRows(s.file ?? s.id, PATH_MAP_FIELDS)];
    return [row];
  }).map((r) => Object.freeze(r)),
);

function cell(text: string): string {
  return text.replace(/\|/g, (m, offset: number, all: string) => (all[offset - 1] === '\\' ? m : '\\|')).replace(/\n/g, ' ');
}

function code(text: string): string {
  return text === '' ? '' : text.startsWith('`') ? text : `\`${text}\``;
}

/** The configuration reference as a Markdown table (file key, env var, type, default, description). */
export function renderConfigTable(): string {
  const lines = ['| File key | Env var | Type | Default | Description |', '| --- | --- | --- | --- | --- |'];
  for (const row of CONFIG_SCHEMA_DOC) {
    lines.push(
      `| ${row.inFile ? code(row.key) : '—'} | ${row.env ? code(row.env) : '—'} | ${cell(row.type)} | ${cell(code(row.default))} | ${cell(row.description)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Marker lines around the generated table in docs/configuration.md. */
export const TABLE_BEGIN = '<!-- BEGIN GENERATED CONFIG TABLE: node src/config/generate-docs.ts -->';
/** See {@link TABLE_BEGIN}. */
export const TABLE_END = '<!-- END GENERATED CONFIG TABLE -->';

/** `doc` with the text between the table markers replaced by the current table; throws when a marker is missing. */
export function withRenderedTable(doc: string): string {
  const begin = doc.indexOf(TABLE_BEGIN);
  const end = doc.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error('docs/configuration.md lacks the generated-table markers');
  return `${doc.slice(0, begin + TABLE_BEGIN.length)}\n\n${renderConfigTable()}\n${doc.slice(end)}`;
}
