/**
 * Checks of the ECR repository settings copycat adds (`ecr.imageTagMutability`, `ecr.encryption.*`, `ecr.tags`,
 * `ecr.registry`; docs/ecr.md). ECR would refuse a bad value only on the first CreateRepository, image by image
 * and long after start-up; here it is a start-up error naming the key and the value. The limits are those of
 * the CreateRepository API reference (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html),
 * the same the ECR target checks again when it is built.
 */
import { parseRepository } from '../reference/index.ts';
import { ConfigError, quote } from './errors.ts';
import type { FileEntry } from './file.ts';
import type { EcrEncryptionConfig, EcrEncryptionType, EcrTagMutability } from './types.ts';

const MUTABILITIES: readonly EcrTagMutability[] = ['MUTABLE', 'IMMUTABLE'];
const ENCRYPTION_TYPES: readonly EcrEncryptionType[] = ['AES256', 'KMS', 'KMS_DSSE'];

/** ECR's limits on resource tags (Tag and TagResource API reference). */
const MAX_TAGS = 50;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;
/** EncryptionConfiguration.kmsKey: 1 to 2048 characters. */
const MAX_KMS_KEY = 2048;

/** Length in Unicode characters, as AWS counts tag lengths (not UTF-16 code units). */
function chars(text: string): number {
  return [...text].length;
}

/** `ecr.imageTagMutability` (trimmed text, or unset): `MUTABLE` or `IMMUTABLE` in any case; unset is `fallback`. */
export function parseTagMutability(src: FileEntry<string> | undefined, fallback: EcrTagMutability): EcrTagMutability {
  if (!src) return fallback;
  const value = MUTABILITIES.find((m) => m === src.value.toUpperCase());
  if (!value) throw new ConfigError('CONFIG_INVALID', src.key, src.value, `expected ${MUTABILITIES.join(' or ')}`);
  return value;
}

/**
 * `ecr.encryption.type` and `ecr.encryption.kmsKey` (trimmed text, or unset). The type is case-insensitive; a key
 * is refused with `AES256` (ECR answers InvalidParameterException for it), including when the type is unset.
 */
export function parseEncryption(type: FileEntry<string> | undefined, kmsKey: FileEntry<string> | undefined, fallback: EcrEncryptionType): EcrEncryptionConfig {
  let encryptionType = fallback;
  if (type) {
    const found = ENCRYPTION_TYPES.find((t) => t === type.value.toUpperCase());
    if (!found) throw new ConfigError('CONFIG_INVALID', type.key, type.value, `expected ${ENCRYPTION_TYPES.join(', ')}`);
    encryptionType = found;
  }
  if (!kmsKey) return { type: encryptionType, kmsKey: '' };
  if (encryptionType === 'AES256') {
    throw new ConfigError('CONFIG_INVALID', kmsKey.key, kmsKey.value, `a KMS key needs ecr.encryption.type KMS or KMS_DSSE, not ${type ? quote(type.value) : 'the default AES256'}`);
  }
  if (chars(kmsKey.value) > MAX_KMS_KEY || /\s/.test(kmsKey.value)) {
    throw new ConfigError('CONFIG_INVALID', kmsKey.key, kmsKey.value, `expected a KMS key ARN, id or alias without blanks, at most ${MAX_KMS_KEY} characters`);
  }
  return { type: encryptionType, kmsKey: kmsKey.value };
}

/**
 * `ecr.tags` (a map as written, or unset): at most 50 tags, keys of 1 to 128 characters without the reserved
 * `aws:` prefix (any case), values of at most 256. Keys and values are kept as written: AWS tags are
 * case-sensitive. Returns a copy; unset is no tags.
 */
export function checkTags(src: FileEntry<Readonly<Record<string, string>>> | undefined): Record<string, string> {
  if (!src) return {};
  const entries = Object.entries(src.value);
  if (entries.length > MAX_TAGS) throw new ConfigError('CONFIG_INVALID', src.key, undefined, `has ${entries.length} tags; ECR allows at most ${MAX_TAGS}`);
  for (const [key, value] of entries) {
    if (chars(key) < 1 || chars(key) > MAX_TAG_KEY) throw new ConfigError('CONFIG_INVALID', src.key, key, `tag keys must be 1 to ${MAX_TAG_KEY} characters`);
    if (key.toLowerCase().startsWith('aws:')) throw new ConfigError('CONFIG_INVALID', src.key, key, 'tag keys must not start with the reserved aws: prefix');
    if (chars(value) > MAX_TAG_VALUE) throw new ConfigError('CONFIG_INVALID', `${src.key}.${key}`, value, `tag values must be at most ${MAX_TAG_VALUE} characters`);
  }
  return Object.fromEntries(entries);
}

/**
 * `ecr.registry` (trimmed text, or unset): a registry `host[:port]`, lowercased; `''` when unset. No scheme (ECR is
 * always HTTPS) and no path (ECR repositories are named by `repoPrefix`). The host needs a dot, a port or to be
 * `localhost`, as the reference grammar requires of a registry.
 */
export function parseEcrRegistry(src: FileEntry<string> | undefined): string {
  if (!src) return '';
  const host = src.value.toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) throw new ConfigError('CONFIG_INVALID', src.key, src.value, 'give host[:port] without a scheme');
  if (host.includes('/')) throw new ConfigError('CONFIG_INVALID', src.key, src.value, 'give host[:port] without a path (the repository prefix is ecr.repoPrefix)');
  const reason = 'expected a registry host[:port]: a DNS name with a dot, an IP address, or localhost, optionally with a port';
  let registry: string;
  try {
    registry = parseRepository(`${host}/copycat`).registry;
  } catch (err) {
    throw new ConfigError('CONFIG_INVALID', src.key, src.value, reason, { cause: err });
  }
  // The grammar reads a name it cannot take as a host (no dot, port or `localhost`; an `_`) as a Docker Hub path.
  if (registry !== host) throw new ConfigError('CONFIG_INVALID', src.key, src.value, reason);
  return host;
}
