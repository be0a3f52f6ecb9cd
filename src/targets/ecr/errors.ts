import { CopycatError } from '../../internal/errors.ts';

/**
 * The stable codes of an {@link EcrError}; callers branch on these, never on the message.
 * - `ECR_CONFIG_INVALID`: an option is unusable (account id, region, lifecycle policy JSON, encryption).
 * - `ECR_ACCESS_DENIED`: IAM refused an ECR action (`AccessDeniedException`); the message names the action.
 * - `ECR_AUTH_FAILED`: no usable AWS credentials (none found, assume-role refused, signature/expired token).
 * - `ECR_THROTTLED`: still throttled after every retry.
 * - `ECR_UNAVAILABLE`: 5xx, network error or timeout after every retry.
 * - `ECR_REPOSITORY_NOT_FOUND`: the repository is missing and `createRepo` is off.
 * - `ECR_REPOSITORY_INVALID`: the name breaks ECR's repository name rule.
 * - `ECR_TOKEN_INVALID`: GetAuthorizationToken answered something that is not a usable token.
 * - `ECR_API_ERROR`: any other ECR error (`InvalidParameterException`, `LimitExceededException`, `KmsException`…).
 */
export type EcrErrorCode =
  | 'ECR_CONFIG_INVALID'
  | 'ECR_ACCESS_DENIED'
  | 'ECR_AUTH_FAILED'
  | 'ECR_THROTTLED'
  | 'ECR_UNAVAILABLE'
  | 'ECR_REPOSITORY_NOT_FOUND'
  | 'ECR_REPOSITORY_INVALID'
  | 'ECR_TOKEN_INVALID'
  | 'ECR_API_ERROR';

/** Where an ECR failure happened, carried on the error for logs and status. */
export interface EcrErrorContext {
  /** The API action, e.g. `CreateRepository`. */
  action?: string;
  repository?: string;
  /** The AWS error name, e.g. `AccessDeniedException`. */
  awsCode?: string;
  /** True when a later attempt may succeed (throttling, 5xx, network). */
  temporary?: boolean;
  /** Attempts made before giving up. */
  attempts?: number;
  cause?: unknown;
}

/** An ECR target failure. Messages name the action, repository, registry and account; never a credential. */
export class EcrError extends CopycatError {
  declare readonly code: EcrErrorCode;
  readonly action: string | undefined;
  readonly repository: string | undefined;
  readonly awsCode: string | undefined;
  readonly temporary: boolean;
  readonly attempts: number;

  constructor(code: EcrErrorCode, message: string, context: EcrErrorContext = {}) {
    super(code, message, context.cause === undefined ? undefined : { cause: context.cause });
    this.action = context.action;
    this.repository = context.repository;
    this.awsCode = context.awsCode;
    this.temporary = context.temporary ?? false;
    this.attempts = context.attempts ?? 1;
  }
}
