/**
 * A hermetic AWS environment for tests that run the real AWS SDK against the in-process ECR/STS endpoint:
 * static test keys, no shared config or credentials files, no instance metadata, no IRSA, no endpoint
 * overrides left over from the caller's shell.
 */

/** The variables that make the AWS SDK's default credential chain use exactly `accessKeyId`/`secretAccessKey`. */
export function hermeticAwsEnv(accessKeyId: string, secretAccessKey: string): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/copycat-test/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/copycat-test/aws-credentials',
    AWS_PROFILE: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_ECR: undefined,
    AWS_ENDPOINT_URL_STS: undefined,
  };
}

/** Sets (or, for `undefined`, deletes) process environment variables. */
export function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
