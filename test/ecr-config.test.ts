/**
 * The ECR repository settings from the config file (`ecr.imageTagMutability`, `ecr.scanOnPush`,
 * `ecr.encryption.*`, `ecr.tags`, `ecr.registry`) reach AWS: a config is loaded, the target is built with the
 * controller's `targetFromConfig`, and the real AWS SDK v3 sends CreateRepository to the in-process ECR
 * endpoint (test/support/ecr-server.ts), whose call log shows the request. No real AWS, loopback only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadConfig, loadConfigWithWarnings, type Config } from '../src/config/index.ts';
import { targetFromConfig } from '../src/controller/index.ts';
import { EcrTarget } from '../src/targets/index.ts';
import { startEcrServer, type FakeEcr } from './support/ecr-server.ts';
import { hermeticAwsEnv, setEnv } from './lib/aws-env.ts';

// Hermetic AWS environment, as in targets-ecr.test.ts: static test keys, no shared files, no metadata, no IRSA.
const ACCESS_KEY = 'AKIACOPYCATTEST00002';
setEnv(hermeticAwsEnv(ACCESS_KEY, 'copycat/test+SECRET+key/config0123456789ab'));

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A config for the ECR target in the fake's account and region, from `yaml` (the `ecr:` block's extra lines). */
function ecrConfig(extra: string): Config {
  const yaml = `targetKind: ecr\necr:\n  accountID: "${ACCOUNT}"\n  region: ${REGION}\n${extra}`;
  return loadConfig({ env: {}, readFile: () => yaml });
}

describe('ECR repository settings from the config file reach CreateRepository', () => {
  let ecr: FakeEcr;
  const targets: EcrTarget[] = [];

  /** The controller's target for `config`, pointed at the fake endpoint. */
  function build(config: Config): EcrTarget {
    const target = targetFromConfig(config, { endpoint: ecr.url });
    assert.ok(target instanceof EcrTarget);
    targets.push(target);
    return target;
  }

  before(async () => {
    ecr = await startEcrServer({ accountId: ACCOUNT, region: REGION });
  });
  after(async () => {
    for (const t of targets) t.close();
    await ecr?.stop();
  });

  it('sends tag mutability, scan on push, KMS encryption with its key and the tags; the registry override takes the credentials', async () => {
    const config = ecrConfig(
      [
        '  imageTagMutability: immutable',
        '  scanOnPush: true',
        '  encryption:',
        '    type: KMS_DSSE',
        `    kmsKey: ${KMS_KEY}`,
        '  tags:',
        '    team: platform',
        '    managed-by: copycat',
        '  registry: VPCE-0a1b2c.dkr.ecr.eu-west-1.vpce.amazonaws.com',
        '',
      ].join('\n'),
    );
    const target = build(config);
    assert.equal(await target.ensureRepository('settings/web'), 'created');

    const [create, ...more] = ecr.callsOf('CreateRepository').filter((c) => c.input['repositoryName'] === 'settings/web');
    assert.deepEqual(more, []);
    assert.ok(create);
    assert.equal(create.accessKeyId, ACCESS_KEY);
    assert.deepEqual(create.input, {
      repositoryName: 'settings/web',
      registryId: ACCOUNT,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS_DSSE', kmsKey: KMS_KEY },
      tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'managed-by', Value: 'copycat' },
      ],
    });
    const stored = ecr.repositories.get('settings/web');
    assert.equal(stored?.imageTagMutability, 'IMMUTABLE');
    assert.deepEqual(stored?.encryptionConfiguration, { encryptionType: 'KMS_DSSE', kmsKey: KMS_KEY });

    // Pushes go to the override, and only that host gets the ECR token.
    assert.equal(target.registry, 'vpce-0a1b2c.dkr.ecr.eu-west-1.vpce.amazonaws.com');
    assert.deepEqual(await target.credentials.resolve('vpce-0a1b2c.dkr.ecr.eu-west-1.vpce.amazonaws.com'), { kind: 'basic', username: 'AWS', password: ecr.password });
    assert.equal(await target.credentials.resolve(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`), undefined);
  });

  it('sends KMS without a key as the type alone (ECR then uses aws/ecr)', async () => {
    const target = build(ecrConfig('  encryption: {type: kms}\n'));
    assert.equal(await target.ensureRepository('settings/kms'), 'created');
    const create = ecr.callsOf('CreateRepository').find((c) => c.input['repositoryName'] === 'settings/kms');
    assert.deepEqual(create?.input, { repositoryName: 'settings/kms', registryId: ACCOUNT, encryptionConfiguration: { encryptionType: 'KMS' } });
  });

  it('sends none of them when the config leaves them at their defaults, and derives the registry host', async () => {
    for (const [name, extra] of [
      ['settings/unset', ''],
      ['settings/defaults', '  imageTagMutability: MUTABLE\n  scanOnPush: false\n  encryption: {type: AES256}\n  tags: {}\n'],
    ] as const) {
      const target = build(ecrConfig(extra));
      assert.equal(target.registry, `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`);
      assert.equal(await target.ensureRepository(name), 'created');
      const create = ecr.callsOf('CreateRepository').find((c) => c.input['repositoryName'] === name);
      assert.deepEqual(create?.input, { repositoryName: name, registryId: ACCOUNT }, name);
    }
  });
});

describe('the example in docs/ecr.md', () => {
  it('loads without warnings into the settings it shows', () => {
    const doc = readFileSync(new URL('../docs/ecr.md', import.meta.url), 'utf8');
    const example = /## Settings[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'example block present');
    const { config, warnings } = loadConfigWithWarnings({ env: {}, readFile: () => example });
    assert.deepEqual(warnings, []);
    assert.equal(config.ecr.imageTagMutability, 'IMMUTABLE');
    assert.equal(config.ecr.scanOnPush, true);
    assert.equal(config.ecr.encryption.type, 'KMS');
    assert.match(config.ecr.encryption.kmsKey, /^arn:aws:kms:eu-west-1:222222222222:key\//);
    assert.deepEqual(config.ecr.tags, { team: 'platform', 'managed-by': 'copycat' });
    assert.equal(config.ecr.registry, 'vpce-0a1b2c3d-example.dkr.ecr.eu-west-1.vpce.amazonaws.com');
  });
});
