import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTags, parseEcrRegistry, parseEncryption, parseTagMutability } from './ecr-repository.ts';
import { ConfigError } from './errors.ts';

const at = <T>(key: string, value: T) => ({ key, value });

function refused(key: string, value: string | undefined, reason: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.key, key);
    assert.equal(err.value, value);
    assert.match(err.message, reason);
    return true;
  };
}

describe('parseTagMutability', () => {
  it('takes either value in any case, and the fallback when unset', () => {
    assert.equal(parseTagMutability(undefined, 'MUTABLE'), 'MUTABLE');
    assert.equal(parseTagMutability(at('ecr.imageTagMutability', 'immutable'), 'MUTABLE'), 'IMMUTABLE');
    assert.equal(parseTagMutability(at('ecr.imageTagMutability', 'Mutable'), 'IMMUTABLE'), 'MUTABLE');
  });

  it('refuses anything else, naming the key as written', () => {
    assert.throws(() => parseTagMutability(at('Ecr.ImageTagMutability', 'MUTABLE_WITH_EXCLUSION'), 'MUTABLE'), refused('Ecr.ImageTagMutability', 'MUTABLE_WITH_EXCLUSION', /^invalid Ecr.ImageTagMutability "MUTABLE_WITH_EXCLUSION": expected MUTABLE or IMMUTABLE$/));
  });
});

describe('parseEncryption', () => {
  it('defaults, normalises the type and keeps a key only with a KMS type', () => {
    assert.deepEqual(parseEncryption(undefined, undefined, 'AES256'), { type: 'AES256', kmsKey: '' });
    assert.deepEqual(parseEncryption(at('t', 'kms'), undefined, 'AES256'), { type: 'KMS', kmsKey: '' });
    assert.deepEqual(parseEncryption(at('t', 'Kms_Dsse'), at('k', 'alias/copycat'), 'AES256'), { type: 'KMS_DSSE', kmsKey: 'alias/copycat' });
    assert.deepEqual(parseEncryption(undefined, at('k', 'mrk-1234abcd'), 'KMS'), { type: 'KMS', kmsKey: 'mrk-1234abcd' });
  });

  it('refuses an unknown type, a key with AES256 and a key ECR cannot take', () => {
    assert.throws(() => parseEncryption(at('ecr.encryption.type', 'SSE-S3'), undefined, 'AES256'), refused('ecr.encryption.type', 'SSE-S3', /expected AES256, KMS, KMS_DSSE/));
    assert.throws(() => parseEncryption(undefined, at('ecr.encryption.kmsKey', 'alias/x'), 'AES256'), refused('ecr.encryption.kmsKey', 'alias/x', /not the default AES256/));
    assert.throws(() => parseEncryption(at('ecr.encryption.type', 'AES256'), at('ecr.encryption.kmsKey', 'alias/x'), 'KMS'), refused('ecr.encryption.kmsKey', 'alias/x', /not "AES256"/));
    assert.throws(() => parseEncryption(at('t', 'KMS'), at('ecr.encryption.kmsKey', 'k'.repeat(2049)), 'AES256'), refused('ecr.encryption.kmsKey', 'k'.repeat(2049), /at most 2048 characters/));
    assert.deepEqual(parseEncryption(at('t', 'KMS'), at('k', 'k'.repeat(2048)), 'AES256').kmsKey.length, 2048);
  });
});

describe('checkTags', () => {
  it('returns a copy of valid tags, none when unset, at the limits ECR allows', () => {
    assert.deepEqual(checkTags(undefined), {});
    const written = { team: 'platform', empty: '' };
    const tags = checkTags(at('ecr.tags', written));
    assert.deepEqual(tags, written);
    assert.notEqual(tags, written);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(Object.keys(checkTags(at('ecr.tags', fifty))).length, 50);
    // AWS counts characters, not UTF-16 units: 128 emoji are a valid key, 256 of them a valid value.
    const emoji = '🐈'.repeat(128);
    assert.deepEqual(checkTags(at('ecr.tags', { [emoji]: '🐈'.repeat(256) })), { [emoji]: '🐈'.repeat(256) });
  });

  it('keeps a __proto__ key as a key', () => {
    const written = Object.fromEntries([['__proto__', 'x']]) as Record<string, string>;
    const tags = checkTags(at('ecr.tags', written));
    assert.deepEqual(Object.keys(tags), ['__proto__']);
    assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  });

  it('refuses what ECR refuses, naming the tag', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    assert.throws(() => checkTags(at('ecr.tags', many)), refused('ecr.tags', undefined, /has 51 tags; ECR allows at most 50/));
    assert.throws(() => checkTags(at('ecr.tags', { '': 'v' })), refused('ecr.tags', '', /1 to 128 characters/));
    assert.throws(() => checkTags(at('ecr.tags', { ['k'.repeat(129)]: 'v' })), refused('ecr.tags', 'k'.repeat(129), /1 to 128 characters/));
    assert.throws(() => checkTags(at('ecr.tags', { 'aWs:owner': 'v' })), refused('ecr.tags', 'aWs:owner', /reserved aws: prefix/));
    const long = 'v'.repeat(257);
    assert.throws(() => checkTags(at('ECR.Tags', { team: long })), refused('ECR.Tags.team', long, /at most 256 characters/));
  });
});

describe('parseEcrRegistry', () => {
  it('takes host[:port], lowercased; unset is derived (empty)', () => {
    assert.equal(parseEcrRegistry(undefined), '');
    assert.equal(parseEcrRegistry(at('r', 'VPCE-1.dkr.ecr.eu-west-1.vpce.amazonaws.com')), 'vpce-1.dkr.ecr.eu-west-1.vpce.amazonaws.com');
    assert.equal(parseEcrRegistry(at('r', '123456789012.dkr-ecr.eu-west-1.on.aws')), '123456789012.dkr-ecr.eu-west-1.on.aws');
    assert.equal(parseEcrRegistry(at('r', 'localhost:5000')), 'localhost:5000');
    assert.equal(parseEcrRegistry(at('r', '10.0.0.7:443')), '10.0.0.7:443');
  });

  it('refuses a scheme, a path, and what is not a host', () => {
    assert.throws(() => parseEcrRegistry(at('ecr.registry', 'HTTPS://x.example.com')), refused('ecr.registry', 'HTTPS://x.example.com', /without a scheme/));
    assert.throws(() => parseEcrRegistry(at('ecr.registry', 'x.example.com/team')), refused('ecr.registry', 'x.example.com/team', /without a path/));
    for (const bad of ['mirror', 'x_y.example.com', 'x.example.com:port', 'x .example.com']) {
      assert.throws(() => parseEcrRegistry(at('ecr.registry', bad)), refused('ecr.registry', bad, /expected a registry host\[:port\]/), bad);
    }
  });
});
