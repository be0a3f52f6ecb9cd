/**
 * The configuration reference, generated from the setting table (`settings.ts`) so the docs list
 * exactly the keys, env vars and defaults the loader uses. docs/configuration.md embeds
 * {@link renderConfigTable}'s output and README.md the compact {@link renderReadmeConfigTable} between
 * markers; a test fails when either is stale and `node src/config/generate-docs.ts` rewrites both.
 * Everything here is pure (text in, text out); the file I/O is in generate-docs.ts.
 */
import { CopycatError } from '../internal/errors.ts';
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

/**
 * `doc` with the text between `begin` and `end` replaced by `body` (framed by blank lines); throws a
 * `DOCS_MARKERS_MISSING` error naming `what` when a marker is missing or out of order, so a hand-edited file
 * never loses text silently.
 */
export function replaceBetweenMarkers(doc: string, begin: string, end: string, body: string, what: string): string {
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new CopycatError('DOCS_MARKERS_MISSING', `${what} lacks the generated-table markers ${begin} … ${end}`);
  return `${doc.slice(0, from + begin.length)}\n\n${body}\n${doc.slice(to)}`;
}

/** `doc` with the text between the table markers replaced by the current table; throws when a marker is missing. */
export function withRenderedTable(doc: string): string {
  return replaceBetweenMarkers(doc, TABLE_BEGIN, TABLE_END, renderConfigTable(), 'docs/configuration.md');
}

// The README's compact table ------------------------------------------------------------------------------

const COPYCAT_ONLY = 'copycat only. ';

/**
 * The first sentence of a setting's description: up to the first `. ` (or the final `.`) outside backticks and
 * parentheses, so `` `a.b` `` and "(… `1h30m`. …)" do not cut it short. Descriptions of keys copycat adds start
 * with "copycat only." — that marker becomes a suffix, so the summary still says what the key does.
 */
export function summarize(description: string): string {
  const own = description.startsWith(COPYCAT_ONLY);
  const text = own ? description.slice(COPYCAT_ONLY.length) : description;
  let inCode = false;
  let depth = 0;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (inCode) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '.' && depth === 0 && (i === text.length - 1 || text[i + 1] === ' ')) {
      end = i + 1;
      break;
    }
  }
  const first = text.slice(0, end).trim();
  return own ? `${first} *(copycat only)*` : first;
}

/**
 * The README's configuration table: one row per setting (entry fields of `registryCredentials` and `pathMap`
 * are left to docs/configuration.md), with the file key, env var, default (`—`: none) and the first sentence
 * of its description.
 */
export function renderReadmeConfigTable(): string {
  const lines = ['| Key | Env var | Default | What it does |', '| --- | --- | --- | --- |'];
  for (const s of SETTINGS) {
    // "(fields below)" points at the entry rows of the full reference, which this table leaves out.
    const what = summarize(s.description).replace(' (fields below)', '');
    lines.push(`| ${s.file !== undefined ? code(s.file) : '—'} | ${s.env ? code(s.env) : '—'} | ${s.default === '' ? '—' : cell(code(s.default))} | ${cell(what)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Marker lines around the generated table in README.md. */
export const README_TABLE_BEGIN = '<!-- config-table:begin (generated from src/config/settings.ts by node src/config/generate-docs.ts; do not edit) -->';
/** See {@link README_TABLE_BEGIN}. */
export const README_TABLE_END = '<!-- config-table:end -->';

/** `readme` with the text between the README markers replaced by {@link renderReadmeConfigTable}; throws when a marker is missing. */
export function withRenderedReadmeTable(readme: string): string {
  return replaceBetweenMarkers(readme, README_TABLE_BEGIN, README_TABLE_END, renderReadmeConfigTable(), 'README.md');
}
