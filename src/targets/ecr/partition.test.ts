import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../../internal/errors.ts';
import { ecrRegistryHost, partitionOf, validateAccountId } from './partition.ts';

describe('ECR registry host per AWS partition', () => {
  const rows: Array<[region: string, partition: string, host: string]> = [
    ['eu-central-1', 'aws', '123456789012.dkr.ecr.eu-central-1.amazonaws.com'],
    ['us-east-1', 'aws', '123456789012.dkr.ecr.us-east-1.amazonaws.com'],
    ['il-central-1', 'aws', '123456789012.dkr.ecr.il-central-1.amazonaws.com'],
    ['cn-north-1', 'aws-cn', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', '123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com'],
    ['us-gov-east-1', 'aws-us-gov', '123456789012.dkr.ecr.us-gov-east-1.amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', '123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', '123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov'],
    ['eu-isoe-west-1', 'aws-iso-e', '123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk'],
    ['us-isof-south-1', 'aws-iso-f', '123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov'],
    ['eusc-de-east-1', 'aws-eusc', '123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu'],
  ];
  for (const [region, partition, host] of rows) {
    it(`${region} → ${partition}: ${host}`, () => {
      assert.equal(partitionOf(region).id, partition);
      assert.equal(ecrRegistryHost('123456789012', region), host);
    });
  }

  it('puts a well-formed region of an unknown partition into aws, as the SDK does', () => {
    assert.equal(partitionOf('xx-future-1').id, 'aws');
  });

  it('refuses malformed regions and account ids, quoting them', () => {
    for (const region of ['', 'EU-WEST-1', 'eu-west', 'eu west 1']) {
      assert.throws(() => partitionOf(region), (err) => hasCode(err, 'ECR_CONFIG_INVALID') && err.message.includes(JSON.stringify(region)), region);
    }
    for (const id of ['', '12345678901', '1234567890123', '1.23456789012e+11', 'abcdefghijkl']) {
      assert.throws(() => validateAccountId(id), (err) => hasCode(err, 'ECR_CONFIG_INVALID') && err.message.includes(JSON.stringify(id)), id);
    }
    assert.equal(validateAccountId(' 012345678901 '), '012345678901');
  });
});
