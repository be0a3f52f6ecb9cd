// Small field validators shared by descriptor and manifest parsing. Every failure is an
// OciError MANIFEST_INVALID whose message names the field path, e.g. "layers[2].size".
import { OciError } from './errors.ts';
import { describeJson, isJsonObject } from './json.ts';

/** Throws `MANIFEST_INVALID` naming the field at `path`. */
export function invalidField(path: string, expectation: string, value: unknown): never {
  throw new OciError('MANIFEST_INVALID', `manifest field "${path}" ${expectation}, got ${describeJson(value)}`);
}

/** Validates an optional string field; returns it or `undefined` when absent. */
export function optionalString(obj: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') invalidField(join(path, key), 'must be a string', v);
  return v;
}

/** Validates an optional array-of-strings field. */
export function optionalStringArray(obj: Record<string, unknown>, key: string, path: string): string[] | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) invalidField(join(path, key), 'must be an array of strings', v);
  v.forEach((item: unknown, i) => {
    if (typeof item !== 'string') invalidField(`${join(path, key)}[${i}]`, 'must be a string', item);
  });
  return [...(v as string[])];
}

/** Validates an optional string-to-string map (annotation rules, image-spec `annotations.md`). */
export function optionalAnnotations(obj: Record<string, unknown>, key: string, path: string): Record<string, string> | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!isJsonObject(v)) invalidField(join(path, key), 'must be an object of strings', v);
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') invalidField(`${join(path, key)}.${k}`, 'must be a string', val);
  }
  // fromEntries defines own properties, so a "__proto__" key stays data and cannot change the prototype.
  return Object.fromEntries(Object.entries(v)) as Record<string, string>;
}

/** Joins a field path and a key the way error messages print them (`layers[2].digest`). */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Drops keys whose value is `undefined`, so validated objects carry only the fields the document had. */
export function withoutUndefined<T extends object>(obj: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}
