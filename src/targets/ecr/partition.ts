import { EcrError } from './errors.ts';

/** An AWS partition: a separate AWS with its own DNS suffix. */
export interface AwsPartition {
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`. */
  id: string;
  /** DNS suffix of its endpoints, e.g. `amazonaws.com.cn`. */
  dnsSuffix: string;
}

// Region patterns and DNS suffixes as the AWS SDK's partitions table lists them (@aws-sdk/core util-endpoints
// partitions.js). The specific partitions come first: `us-gov-…` and `us-iso-…` must not fall into `aws`.
const PARTITIONS: ReadonlyArray<{ id: string; dnsSuffix: string; regions: RegExp }> = [
  { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', regions: /^cn-\w+-\d+$/ },
  { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', regions: /^us-gov-\w+-\d+$/ },
  { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov', regions: /^us-iso-\w+-\d+$/ },
  { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', regions: /^us-isob-\w+-\d+$/ },
  { id: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk', regions: /^eu-isoe-\w+-\d+$/ },
  { id: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov', regions: /^us-isof-\w+-\d+$/ },
  { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu', regions: /^eusc-de-\w+-\d+$/ },
  { id: 'aws', dnsSuffix: 'amazonaws.com', regions: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
];

/** The shape every AWS region name has (`eu-west-1`, `us-gov-east-1`, `us-isob-east-1`). */
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * The partition of a region. A well-formed region no pattern knows (a partition newer than this table) is
 * taken to be in `aws`, as the SDK does; set the target's `registry` explicitly if that is wrong.
 */
export function partitionOf(region: string): AwsPartition {
  if (!REGION.test(region)) {
    throw new EcrError('ECR_CONFIG_INVALID', `ECR region ${JSON.stringify(region)} is not an AWS region name (e.g. eu-west-1); set ecr.region or AWS_REGION`);
  }
  const p = PARTITIONS.find((x) => x.regions.test(region)) ?? PARTITIONS[PARTITIONS.length - 1]!;
  return { id: p.id, dnsSuffix: p.dnsSuffix };
}

/** Checks a 12-digit AWS account id (quoted in the error: YAML may have turned it into a number). */
export function validateAccountId(accountId: string): string {
  const id = accountId.trim();
  if (!ACCOUNT_ID.test(id)) {
    throw new EcrError('ECR_CONFIG_INVALID', `ECR account id ${JSON.stringify(accountId)} must be 12 digits; set ecr.accountID or ECR_ACCOUNT_ID (quote it in YAML)`);
  }
  return id;
}

/**
 * The private ECR registry host of an account in a region, in every partition
 * (`123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn`); k8s-copycat hard-coded `.amazonaws.com` (reference §4.4).
 */
export function ecrRegistryHost(accountId: string, region: string): string {
  return `${validateAccountId(accountId)}.dkr.ecr.${region}.${partitionOf(region).dnsSuffix}`;
}
