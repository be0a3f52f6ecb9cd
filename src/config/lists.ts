/**
 * List settings: an env var holds a comma-separated list, the file holds a YAML list
 * (k8s-copycat `resolveList` / `sanitizeStringList`, behaviour inventory §1.2).
 */

/** An env list: trimmed, split on `,`, each item trimmed, blanks dropped (`"a , b,,"` → `[a, b]`). */
export function splitEnvList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * A file list: each entry trimmed, blanks dropped. Unlike k8s-copycat, entries are **not** split on
 * commas: upstream's splitting broke regexes such as `a{1,3}` (inventory §1.2 [BUG], §7.1 #11).
 */
export function sanitizeFileList(values: readonly string[]): string[] {
  return values.map((item) => item.trim()).filter((item) => item !== '');
}

/** Which side a resolved list came from. */
export type ListOrigin = 'env' | 'file' | 'default';

/**
 * Resolves one list setting: a non-blank env value replaces the file list entirely; otherwise the
 * file list (when the file sets the key). `origin` is `default` when neither gives a value.
 */
export function resolveList(envValue: string | undefined, fileValues: readonly string[] | undefined): { values: string[]; origin: ListOrigin } {
  if (envValue !== undefined && envValue.trim() !== '') return { values: splitEnvList(envValue), origin: 'env' };
  if (fileValues !== undefined) return { values: sanitizeFileList(fileValues), origin: 'file' };
  return { values: [], origin: 'default' };
}
