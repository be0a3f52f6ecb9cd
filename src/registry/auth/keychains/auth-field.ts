/**
 * Decodes the `auth` field of a docker config or pull secret entry: standard base64 (padding
 * optional) of `username:password`, split at the first colon so passwords may contain colons.
 * Returns undefined when it is not base64 or has no colon; callers report that without the value.
 */
export function decodeAuthField(auth: string): { username: string; password: string } | undefined {
  const bytes = decodeBase64Strict(auth.trim());
  if (!bytes) return undefined;
  const text = bytes.toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Standard base64 with optional padding, or undefined for anything else. Node's decoder skips
 * characters it does not know, which would turn a corrupt value into a plausible wrong credential.
 */
export function decodeBase64Strict(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  const body = value.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  if (value.length !== body.length && value.length % 4 !== 0) return undefined;
  return Buffer.from(body, 'base64');
}
