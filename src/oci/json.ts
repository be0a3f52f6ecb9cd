import { OciError } from './errors.ts';

/** A JSON object as `JSON.parse` returns it. */
export type JsonObject = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 manifest bytes and parses them as a JSON object.
 *
 * @throws OciError `MANIFEST_INVALID` when the bytes are not UTF-8, not JSON, or not an object.
 */
export function parseJsonObject(bytes: Uint8Array, what = 'manifest'): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    throw new OciError('MANIFEST_INVALID', `${what} is not valid UTF-8 JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!isJsonObject(value)) {
    throw new OciError('MANIFEST_INVALID', `${what} must be a JSON object, got ${describeJson(value)}`);
  }
  return value;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value's type for error messages ("an array", "null", "a number 3"). */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
