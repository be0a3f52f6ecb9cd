import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { createRepositoryInput, validateEcrRepositoryName, validateSettings } from './settings.ts';

const POLICY = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }] });

describe('validateSettings', () => {
  it('keeps valid settings and trims the lifecycle policy; a blank policy is none', () => {
    const s = validateSettings({ imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryption: { type: 'KMS', kmsKey: ' arn:aws:kms:eu-west-1:1:key/k ' }, tags: { team: 'platform' }, lifecyclePolicy: `  ${POLICY}\n` });
    assert.deepEqual(s, { imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryption: { type: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:1:key/k' }, tags: { team: 'platform' }, lifecyclePolicy: POLICY });
    assert.deepEqual(validateSettings({ lifecyclePolicy: '  ' }), {});
  });

  it('refuses what ECR would refuse on the first CreateRepository, naming the key', () => {
    const bad: Array<[Parameters<typeof validateSettings>[0], string]> = [
      [{ lifecyclePolicy: '{rules: []' }, 'ecr.lifecyclePolicy'],
      [{ lifecyclePolicy: '{"rulez": []}' }, 'ecr.lifecyclePolicy'],
      [{ imageTagMutability: 'mutable' as 'MUTABLE' }, 'ecr.imageTagMutability'],
      [{ encryption: { type: 'AES256', kmsKey: 'k' } }, 'ecr.encryption.kmsKey'],
      [{ encryption: { type: 'RSA' as 'KMS' } }, 'ecr.encryption.type'],
      [{ tags: { 'aws:owner': 'x' } }, 'aws:'],
      [{ tags: { ['k'.repeat(129)]: 'x' } }, 'ecr.tags'],
      [{ tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, '50'],
    ];
    for (const [settings, mention] of bad) {
      assert.throws(() => validateSettings(settings), (err) => hasCode(err, 'ECR_CONFIG_INVALID') && err.message.includes(mention), mention);
    }
  });
});

describe('createRepositoryInput', () => {
  it('builds the CreateRepository request with every setting', () => {
    assert.deepEqual(createRepositoryInput('m/app', '123456789012', { imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryption: { type: 'KMS', kmsKey: 'alias/ecr' }, tags: { team: 'p', env: 'prod' } }), {
      repositoryName: 'm/app',
      registryId: '123456789012',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/ecr' },
      tags: [{ Key: 'team', Value: 'p' }, { Key: 'env', Value: 'prod' }],
    });
  });

  it('sends no settings k8s-copycat did not send when none are configured', () => {
    assert.deepEqual(createRepositoryInput('m/app', '123456789012', {}), { repositoryName: 'm/app', registryId: '123456789012' });
  });
});

describe('validateEcrRepositoryName', () => {
  it('accepts ECR names and refuses the rest with ECR_REPOSITORY_INVALID quoting the name', () => {
    for (const ok of ['ab', 'mirrors/library/nginx', 'a.b_c-d/e']) validateEcrRepositoryName(ok);
    for (const bad of ['a', '', 'A/b', 'a//b', 'a--b', 'a__b', '-a', 'a/', 'x'.repeat(257)]) {
      assert.throws(() => validateEcrRepositoryName(bad), (err) => hasCode(err, 'ECR_REPOSITORY_INVALID') && err.message.includes(JSON.stringify(bad)), bad);
    }
  });
});
