/**
 * Reads the YAML config file into typed raw values, the way k8s-copycat's decoder
 * (sigs.k8s.io/yaml → Go encoding/json) sees it, minus its accidents (inventory §1.1):
 *
 * - keys match case-insensitively (`TargetKind`, `targetkind`); unknown keys are ignored with a
 *   warning (and a "did you mean"), as upstream ignores them silently;
 * - scalars are read **as written**: every scalar is text until the setting's type is known, so
 *   `accountID: 012345678901` keeps its zero and a `1.10` tag stays `1.10`; booleans accept the
 *   YAML 1.1 words upstream accepts (`yes`, `on`, …);
 * - a value of the wrong shape (a list where text is due, a mapping in a list) is a start-up error,
 *   as upstream's decoder fails on it; duplicate keys: the last one wins, with a warning;
 * - only the first YAML document is read; anchors, aliases and `<<` merges work.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments, visit } from 'yaml';
import { ConfigError } from './errors.ts';
import { parseFileBool } from './scalars.ts';
import { CREDENTIAL_FIELDS, PATH_MAP_FIELDS, SETTINGS, type FileKind, type ItemField, type Setting } from './settings.ts';
import { suggest } from './suggest.ts';

/** A value read from the file together with the key path as the user wrote it (for messages). */
export interface FileEntry<T> {
  /** Key path as written, e.g. `ECR.AccountId` or `registryCredentials[2]`. */
  readonly key: string;
  /** The value. */
  readonly value: T;
}

/** One `registryCredentials` entry as written; absent fields were not set (or were null). */
export interface CredentialEntry {
  /** Its key path, `registryCredentials[<index>]`. */
  readonly key: string;
  readonly registry?: string;
  readonly registryAliases?: readonly string[];
  readonly username?: string;
  readonly usernameEnv?: string;
  readonly password?: string;
  readonly passwordEnv?: string;
  readonly token?: string;
  readonly tokenEnv?: string;
}

/** One `pathMap` entry as written. */
export interface PathMapEntry {
  /** Its key path, `pathMap[<index>]`. */
  readonly key: string;
  readonly from?: string;
  readonly to?: string;
  readonly regex?: boolean;
}

type FileValue = string | boolean | readonly string[] | Readonly<Record<string, string>> | readonly CredentialEntry[] | readonly PathMapEntry[];

interface StoredEntry extends FileEntry<FileValue> {
  readonly alias: boolean;
}

/** The settings a config file sets, by setting id, with typed accessors. */
export class FileSettings {
  readonly #entries: ReadonlyMap<string, StoredEntry>;

  constructor(entries: ReadonlyMap<string, StoredEntry> = new Map()) {
    this.#entries = entries;
  }

  #get(id: string, kinds: readonly FileKind[]): StoredEntry | undefined {
    const entry = this.#entries.get(id);
    const kind = SETTINGS.find((s) => s.id === id)?.fileKind;
    if (!kind || !kinds.includes(kind)) throw new Error(`setting ${id} is not read as ${kinds.join('/')}`);
    return entry;
  }

  /** A text setting (`string`, `secret` or `number` kind), if the file sets it. */
  text(id: string): FileEntry<string> | undefined {
    const e = this.#get(id, ['string', 'secret', 'number']);
    return e && typeof e.value === 'string' ? { key: e.key, value: e.value } : undefined;
  }

  /** A boolean setting, if the file sets it. */
  bool(id: string): FileEntry<boolean> | undefined {
    const e = this.#get(id, ['bool']);
    return e && typeof e.value === 'boolean' ? { key: e.key, value: e.value } : undefined;
  }

  /** A list setting, if the file sets it (entries as written, untrimmed). */
  list(id: string): FileEntry<readonly string[]> | undefined {
    const e = this.#get(id, ['list']);
    return e && Array.isArray(e.value) ? { key: e.key, value: e.value as readonly string[] } : undefined;
  }

  /** A map setting (`ecr.tags`), if the file sets it: keys as written (case kept), values as written. */
  map(id: string): FileEntry<Readonly<Record<string, string>>> | undefined {
    const e = this.#get(id, ['map']);
    return e && isPlainObject(e.value) ? { key: e.key, value: e.value as Readonly<Record<string, string>> } : undefined;
  }

  /** The `registryCredentials` entries, if the file sets them. */
  credentials(): FileEntry<readonly CredentialEntry[]> | undefined {
    const e = this.#get('registryCredentials', ['credentials']);
    return e && Array.isArray(e.value) ? { key: e.key, value: e.value as readonly CredentialEntry[] } : undefined;
  }

  /** The `pathMap` entries, if the file sets them. */
  pathMap(): FileEntry<readonly PathMapEntry[]> | undefined {
    const e = this.#get('pathMap', ['pathMap']);
    return e && Array.isArray(e.value) ? { key: e.key, value: e.value as readonly PathMapEntry[] } : undefined;
  }
}

interface Leaf {
  readonly leaf: true;
  readonly name: string;
  readonly setting: Setting;
  readonly alias: boolean;
}
interface Section {
  readonly leaf: false;
  readonly name: string;
  readonly children: Map<string, Leaf | Section>;
}

function buildSchema(): Section {
  const root: Section = { leaf: false, name: '', children: new Map() };
  for (const s of SETTINGS) {
    if (!s.file) continue;
    for (const [path, alias] of [[s.file, false], ...(s.fileAliases ?? []).map((a) => [a, true] as const)] as const) {
      const parts = path.split('.');
      let node = root;
      for (const part of parts.slice(0, -1)) {
        let next = node.children.get(part.toLowerCase());
        if (!next) {
          next = { leaf: false, name: part, children: new Map() };
          node.children.set(part.toLowerCase(), next);
        }
        if (next.leaf) throw new Error(`setting table: ${path} nests under a leaf`);
        node = next;
      }
      const name = parts[parts.length - 1] ?? path;
      node.children.set(name.toLowerCase(), { leaf: true, name, setting: s, alias });
    }
  }
  return root;
}

const SCHEMA = buildSchema();

/** Candidates for "did you mean": every file key (by its last segment and full path) and env var. */
const HINTS: readonly (readonly [string, string])[] = SETTINGS.flatMap((s) => {
  if (!s.file) return [];
  const last = s.file.split('.').pop() ?? s.file;
  return [[last, s.file] as const, [s.file, s.file] as const, ...(s.env ? [[s.env, s.file] as const] : [])];
});

// YAML's null spellings: upstream decodes them to Go's zero value, i.e. "not set".
const NULL_TEXT: ReadonlySet<string> = new Set(['', '~', 'null', 'Null', 'NULL']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAbsent(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && NULL_TEXT.has(v));
}

function shapeOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isPlainObject(v)) return 'a mapping';
  return 'text';
}

function typeError(key: string, v: unknown, expected: string, secret = false): ConfigError {
  return new ConfigError('CONFIG_INVALID', key, typeof v === 'string' ? v : undefined, `expected ${expected}, got ${shapeOf(v)}`, { secret });
}

/** Converts one scalar, list or map value for a field of `kind`; undefined when absent. */
function readValue(key: string, v: unknown, kind: FileKind | ItemField['kind']): string | boolean | string[] | Record<string, string> | undefined {
  if (isAbsent(v)) return undefined;
  switch (kind) {
    case 'string':
    case 'secret':
    case 'number':
      if (typeof v !== 'string') throw typeError(key, v, kind === 'number' ? 'a number' : 'text', kind === 'secret');
      return v;
    case 'bool': {
      const b = typeof v === 'string' ? parseFileBool(v) : undefined;
      if (b === undefined) {
        if (typeof v === 'string') throw new ConfigError('CONFIG_INVALID', key, v, 'expected true or false');
        throw typeError(key, v, 'true or false');
      }
      return b;
    }
    case 'list': {
      if (!Array.isArray(v)) throw typeError(key, v, 'a list (one `- item` per line, or [a, b])');
      return v.map((item: unknown, i) => {
        if (isAbsent(item)) return '';
        if (typeof item !== 'string') throw typeError(`${key}[${i}]`, item, 'text');
        return item;
      });
    }
    case 'map': {
      if (!isPlainObject(v)) throw typeError(key, v, 'a mapping (one `name: value` per line, or {a: b})');
      // fromEntries defines own properties, so a key such as `__proto__` stays a key. A null value is
      // Go's zero value, the empty string (an empty tag value is allowed).
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => {
          if (isAbsent(item)) return [k, ''];
          if (typeof item !== 'string') throw typeError(`${key}.${k}`, item, 'text');
          return [k, item];
        }),
      );
    }
    default:
      throw new Error(`unexpected kind ${kind}`);
  }
}

function readItems<T extends { key: string }>(
  key: string,
  v: unknown,
  fields: readonly ItemField[],
  warnings: string[],
): T[] {
  if (!Array.isArray(v)) throw typeError(key, v, 'a list of entries');
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  return v.flatMap((item: unknown, i) => {
    const itemKey = `${key}[${i}]`;
    if (isAbsent(item)) return [];
    if (!isPlainObject(item)) throw typeError(itemKey, item, 'a mapping');
    const out: Record<string, unknown> = { key: itemKey };
    const seen = new Map<string, string>();
    for (const [k, value] of Object.entries(item)) {
      const field = byName.get(k.toLowerCase());
      if (!field) {
        const hint = suggest(k, fields.map((f) => [f.name, f.name] as const));
        warnings.push(`unknown key ${itemKey}.${k} ignored${hint ? ` (did you mean ${hint}?)` : ''}`);
        continue;
      }
      const previous = seen.get(field.name);
      if (previous !== undefined) warnings.push(`${itemKey}: "${previous}" and "${k}" both set ${field.name}; the later one is used`);
      seen.set(field.name, k);
      out[field.name] = readValue(`${itemKey}.${k}`, value, field.kind);
    }
    return [out as T];
  });
}

function readSection(obj: Record<string, unknown>, section: Section, prefix: string, out: Map<string, StoredEntry>, warnings: string[]): void {
  for (const [k, value] of Object.entries(obj)) {
    const key = prefix + k;
    const node = section.children.get(k.toLowerCase());
    if (!node) {
      const hint = suggest(k, prefix === '' ? HINTS : [...section.children.values()].map((c) => [c.name, prefix + c.name] as const));
      warnings.push(`unknown key ${key} ignored${hint ? ` (did you mean ${hint}?)` : ''}`);
      continue;
    }
    if (!node.leaf) {
      if (isAbsent(value)) continue;
      if (!isPlainObject(value)) throw typeError(key, value, 'a mapping');
      readSection(value, node, `${key}.`, out, warnings);
      continue;
    }
    const s = node.setting;
    let read: FileValue | undefined;
    if (s.fileKind === 'credentials') read = isAbsent(value) ? undefined : readItems<CredentialEntry>(key, value, CREDENTIAL_FIELDS, warnings);
    else if (s.fileKind === 'pathMap') read = isAbsent(value) ? undefined : readItems<PathMapEntry>(key, value, PATH_MAP_FIELDS, warnings);
    else read = readValue(key, value, s.fileKind ?? 'string');
    if (read === undefined) continue;
    const previous = out.get(s.id);
    if (previous) {
      // An accidental name that worked in k8s-copycat (requestTimeoutSeconds) beats the documented one,
      // so a file that relied on it keeps its meaning; otherwise the later key wins, as in Go.
      if (previous.alias && !node.alias) {
        warnings.push(`${key} is ignored because ${previous.key} is also set (k8s-copycat only read ${previous.key})`);
        continue;
      }
      warnings.push(
        previous.alias === node.alias
          ? `${previous.key} and ${key} both set ${s.file}; the later one (${key}) is used`
          : `${previous.key} is ignored because ${key} is also set (k8s-copycat only read ${key})`,
      );
    }
    out.set(s.id, { key, value: read, alias: node.alias });
  }
}

/** Warnings for keys repeated verbatim in one mapping (YAML forbids it; upstream took the last). */
function duplicateKeyWarnings(doc: Parameters<typeof visit>[0], lines: LineCounter): string[] {
  const warnings: string[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const line = lines.linePos(pair.key.range?.[0] ?? 0).line;
        const first = seen.get(name);
        if (first !== undefined) warnings.push(`key "${name}" appears twice in one mapping (lines ${first} and ${line}); the last one is used`);
        else seen.set(name, line);
      }
    },
  });
  return warnings;
}

/**
 * Parses config file text. `source` names the file in messages. Throws `ConfigError`
 * (`CONFIG_INVALID`) for YAML syntax errors and values of the wrong shape; the message gives the
 * line and column but never the offending line itself, which could hold a password.
 */
export function readConfigText(text: string, source: string): { settings: FileSettings; warnings: string[] } {
  const lines = new LineCounter();
  // The failsafe schema keeps every scalar as the text written; types come from the setting table.
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, merge: true, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  const warnings: string[] = [];
  if (!doc) return { settings: new FileSettings(), warnings };
  const problem = doc.errors[0];
  if (problem) {
    const where = problem.linePos?.[0];
    const what = (problem.message.split('\n')[0] ?? problem.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError('CONFIG_INVALID', source, undefined, `not valid YAML${where ? ` at line ${where.line}, column ${where.col}` : ''}: ${what}`, {
      cause: problem,
    });
  }
  if (list.length > 1) warnings.push(`${source} holds ${list.length} YAML documents; only the first is read`);
  warnings.push(...doc.warnings.map((w) => `${source}: ${w.message.split('\n')[0] ?? w.message}`));
  if (isMap(doc.contents)) warnings.push(...duplicateKeyWarnings(doc, lines));
  let top: unknown;
  try {
    top = doc.toJS();
  } catch (err) {
    // yaml refuses alias bombs ("billion laughs") here.
    throw new ConfigError('CONFIG_INVALID', source, undefined, `cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const entries = new Map<string, StoredEntry>();
  if (!isAbsent(top)) {
    if (!isPlainObject(top)) throw new ConfigError('CONFIG_INVALID', source, undefined, `the top level must be a mapping of settings, got ${shapeOf(top)}`);
    readSection(top, SCHEMA, '', entries, warnings);
  }
  return { settings: new FileSettings(entries), warnings };
}
