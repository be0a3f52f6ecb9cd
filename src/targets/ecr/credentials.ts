import type { ECRClientConfig } from '@aws-sdk/client-ecr';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { EcrError } from './errors.ts';

/** AWS credentials or a provider of them, as the SDK clients take them. */
export type AwsCredentials = NonNullable<ECRClientConfig['credentials']>;

/** Where the ECR calls' AWS credentials come from. */
export interface AwsCredentialOptions {
  region: string;
  /** Base credentials; default the SDK's Node chain: env, SSO, web identity (IRSA), shared files, ECS, EC2 IMDS. */
  credentials?: AwsCredentials | undefined;
  /** `ecr.assumeRoleArn`: STS AssumeRole on top of the base credentials (cross-account mirroring). */
  assumeRoleArn?: string | undefined;
  /** Session name shown in CloudTrail (default `copycat`). */
  roleSessionName?: string | undefined;
  /** `sts:ExternalId` the role's trust policy may demand. */
  externalId?: string | undefined;
  /** STS endpoint URL (VPC endpoint, tests); `AWS_ENDPOINT_URL_STS` works too. */
  stsEndpoint?: string | undefined;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * The credential provider for the ECR client (reference §4.4): the default chain, optionally wrapped in an STS
 * AssumeRole. The ECR client memoises what this returns until shortly before expiry, so AssumeRole runs once
 * per session, not per call (k8s-copycat needed an explicit CredentialsCache for that, its #117).
 */
export function awsCredentials(opts: AwsCredentialOptions): AwsCredentials {
  const stsConfig = { region: opts.region, ...(opts.stsEndpoint !== undefined ? { endpoint: opts.stsEndpoint } : {}) };
  const base = opts.credentials ?? fromNodeProviderChain({ clientConfig: stsConfig });
  const roleArn = opts.assumeRoleArn?.trim() ?? '';
  if (roleArn === '') return base;
  if (!ROLE_ARN.test(roleArn)) {
    throw new EcrError('ECR_CONFIG_INVALID', `ecr.assumeRoleArn ${JSON.stringify(opts.assumeRoleArn)} is not an IAM role ARN (arn:aws:iam::123456789012:role/name)`);
  }
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: roleArn,
      RoleSessionName: opts.roleSessionName ?? 'copycat',
      ...(opts.externalId !== undefined ? { ExternalId: opts.externalId } : {}),
    },
    clientConfig: stsConfig,
  });
}
