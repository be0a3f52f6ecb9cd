import { errorMessage } from '../../internal/errors.ts';
import { EcrError } from './errors.ts';

/** How an AWS SDK failure is treated. */
export type AwsErrorKind = 'throttled' | 'transient' | 'access-denied' | 'auth' | 'not-found' | 'already-exists' | 'other';

// Error names AWS services use for throttling (the SDK's own THROTTLING_ERROR_CODES, ECR's TooManyRequestsException).
const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const TRANSIENT = new Set(['ServerException', 'InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'RequestTimeout', 'RequestTimeoutException', 'AttemptTimeout']);
// Credential problems: none found, STS refusing AssumeRole (`AccessDenied`, without "Exception"), bad or expired keys.
const AUTH = new Set([
  'CredentialsProviderError',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'RegionDisabledException',
]);

/** The AWS error name (`ThrottlingException`), or undefined for something that is not an SDK error. */
export function awsErrorName(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  return err.name === 'Error' ? undefined : err.name;
}

function httpStatus(err: unknown): number | undefined {
  const meta = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

/** Classifies an AWS SDK error by its name and HTTP status; no answer at all (network) is transient. */
export function classifyAwsError(err: unknown): AwsErrorKind {
  const name = awsErrorName(err) ?? '';
  const status = httpStatus(err);
  if (THROTTLING.has(name) || status === 429) return 'throttled';
  if (name === 'AccessDeniedException') return 'access-denied';
  if (AUTH.has(name)) return 'auth';
  if (name === 'RepositoryNotFoundException') return 'not-found';
  if (name === 'RepositoryAlreadyExistsException') return 'already-exists';
  if (TRANSIENT.has(name) || (status !== undefined && status >= 500)) return 'transient';
  // The SDK sets no HTTP status when no response arrived: connection refused/reset, socket timeout.
  if (status === undefined && err instanceof Error && (name === 'TimeoutError' || typeof (err as { code?: unknown }).code === 'string')) return 'transient';
  return 'other';
}

/** What an error message says about where a call went. */
export interface CallSite {
  action: string;
  repository?: string | undefined;
  /** `registry 1234….dkr.ecr.eu-west-1.amazonaws.com (account 1234…, region eu-west-1)`. */
  where: string;
  attempts: number;
}

/** Turns a failed SDK call into an {@link EcrError} naming the action, repository and registry, never a secret. */
export function toEcrError(err: unknown, site: CallSite): EcrError {
  if (err instanceof EcrError) return err;
  const kind = classifyAwsError(err);
  const awsCode = awsErrorName(err);
  const on = site.repository === undefined ? '' : ` on repository ${JSON.stringify(site.repository)}`;
  const what = `ECR ${site.action}${on} in ${site.where}`;
  const detail = errorMessage(err);
  const ctx = { action: site.action, repository: site.repository, awsCode, attempts: site.attempts, cause: err };
  switch (kind) {
    case 'access-denied':
      return new EcrError('ECR_ACCESS_DENIED', `${what} was denied: ${detail} (the IAM policy must allow ecr:${site.action}; see docs/ecr.md)`, ctx);
    case 'auth':
      return new EcrError('ECR_AUTH_FAILED', `${what}: no usable AWS credentials (${awsCode ?? 'error'}: ${detail}); see docs/ecr.md for IRSA and assume-role setup`, ctx);
    case 'throttled':
      return new EcrError('ECR_THROTTLED', `${what} is still throttled after ${site.attempts} attempts (${awsCode ?? 'HTTP 429'}: ${detail})`, { ...ctx, temporary: true });
    case 'transient':
      return new EcrError('ECR_UNAVAILABLE', `${what} failed after ${site.attempts} attempts: ${awsCode ?? 'error'}: ${detail}`, { ...ctx, temporary: true });
    case 'not-found':
      return new EcrError('ECR_REPOSITORY_NOT_FOUND', `${what}: ${detail}`, ctx);
    default:
      return new EcrError('ECR_API_ERROR', `${what} failed: ${awsCode ?? 'error'}: ${detail}`, ctx);
  }
}
