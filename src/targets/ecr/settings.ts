import type { CreateRepositoryCommandInput } from '@aws-sdk/client-ecr';
import { EcrError } from './errors.ts';

/** Settings applied to repositories copycat creates (never changed on repositories that exist). */
export interface EcrRepositorySettings {
  /** `IMMUTABLE` makes a re-push of a tag fail, so a moved upstream tag is not mirrored again (default `MUTABLE`). */
  imageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
  /** Basic scanning on push (default off). */
  scanOnPush?: boolean;
  /** Encryption at rest (default AES256); `KMS` with no `kmsKey` uses the AWS managed key `aws/ecr`. */
  encryption?: { type: 'AES256' | 'KMS' | 'KMS_DSSE'; kmsKey?: string };
  /** Resource tags (at most 50; keys 1–128 characters, values up to 256, no `aws:` prefix). */
  tags?: Record<string, string>;
  /** Lifecycle policy JSON (`ecr.lifecyclePolicy`), put right after creation. */
  lifecyclePolicy?: string;
}

const MUTABILITY = new Set(['MUTABLE', 'IMMUTABLE']);
const ENCRYPTION = new Set(['AES256', 'KMS', 'KMS_DSSE']);

function invalid(message: string): EcrError {
  return new EcrError('ECR_CONFIG_INVALID', message);
}

/**
 * Validates the settings at start-up (ECR would only refuse them on the first CreateRepository) and returns
 * them normalised: the lifecycle policy trimmed (undefined when blank) and checked to be a JSON object with
 * a `rules` array, as ECR's lifecycle policy syntax requires.
 */
export function validateSettings(settings: EcrRepositorySettings): EcrRepositorySettings {
  const out: EcrRepositorySettings = {};
  if (settings.imageTagMutability !== undefined) {
    if (!MUTABILITY.has(settings.imageTagMutability)) throw invalid(`ecr.imageTagMutability ${JSON.stringify(settings.imageTagMutability)} must be MUTABLE or IMMUTABLE`);
    out.imageTagMutability = settings.imageTagMutability;
  }
  if (settings.scanOnPush !== undefined) out.scanOnPush = settings.scanOnPush;
  if (settings.encryption !== undefined) {
    const { type, kmsKey } = settings.encryption;
    if (!ENCRYPTION.has(type)) throw invalid(`ecr.encryption.type ${JSON.stringify(type)} must be AES256, KMS or KMS_DSSE`);
    if (kmsKey !== undefined && kmsKey.trim() !== '' && type === 'AES256') throw invalid('ecr.encryption.kmsKey needs ecr.encryption.type KMS or KMS_DSSE');
    out.encryption = kmsKey !== undefined && kmsKey.trim() !== '' ? { type, kmsKey: kmsKey.trim() } : { type };
  }
  if (settings.tags !== undefined) {
    const entries = Object.entries(settings.tags);
    if (entries.length > 50) throw invalid(`ecr.tags has ${entries.length} tags; ECR allows 50`);
    for (const [key, value] of entries) {
      if (key.length < 1 || key.length > 128) throw invalid(`ecr.tags key ${JSON.stringify(key)} must be 1 to 128 characters`);
      if (key.toLowerCase().startsWith('aws:')) throw invalid(`ecr.tags key ${JSON.stringify(key)} uses the reserved aws: prefix`);
      if (typeof value !== 'string' || value.length > 256) throw invalid(`ecr.tags value of ${JSON.stringify(key)} must be a string of at most 256 characters`);
    }
    out.tags = { ...settings.tags };
  }
  const policy = settings.lifecyclePolicy?.trim() ?? '';
  if (policy !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(policy);
    } catch (err) {
      throw new EcrError('ECR_CONFIG_INVALID', `ecr.lifecyclePolicy is not JSON: ${(err as Error).message}`, { cause: err });
    }
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { rules?: unknown }).rules)) {
      throw invalid('ecr.lifecyclePolicy must be a JSON object with a "rules" array (ECR lifecycle policy syntax)');
    }
    out.lifecyclePolicy = policy;
  }
  return out;
}

/** The CreateRepository request for one repository with these settings. */
export function createRepositoryInput(repositoryName: string, registryId: string, settings: EcrRepositorySettings): CreateRepositoryCommandInput {
  const input: CreateRepositoryCommandInput = { repositoryName, registryId };
  if (settings.imageTagMutability !== undefined) input.imageTagMutability = settings.imageTagMutability;
  if (settings.scanOnPush !== undefined) input.imageScanningConfiguration = { scanOnPush: settings.scanOnPush };
  if (settings.encryption !== undefined) {
    input.encryptionConfiguration = { encryptionType: settings.encryption.type, ...(settings.encryption.kmsKey !== undefined ? { kmsKey: settings.encryption.kmsKey } : {}) };
  }
  const tags = Object.entries(settings.tags ?? {});
  if (tags.length > 0) input.tags = tags.map(([Key, Value]) => ({ Key, Value }));
  return input;
}

/** ECR's repository name rule (CreateRepository API reference): stricter than distribution (`--`, `__` refused). */
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Refuses a repository name ECR would refuse, before any call; the message quotes it and the rule. */
export function validateEcrRepositoryName(repository: string): void {
  if (repository.length < 2 || repository.length > 256 || !ECR_REPOSITORY.test(repository)) {
    throw new EcrError(
      'ECR_REPOSITORY_INVALID',
      `${JSON.stringify(repository)} is not a valid ECR repository name: 2 to 256 characters, lowercase letters and digits in path segments separated by single ".", "_" or "-"`,
      { repository },
    );
  }
}
