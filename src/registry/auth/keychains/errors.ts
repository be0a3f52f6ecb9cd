import { CopycatError } from '../../../internal/errors.ts';

/**
 * Codes of {@link KeychainError}:
 * - `CREDENTIAL_HELPER_FAILED`: a `docker-credential-*` helper failed, timed out or answered garbage;
 * - `DOCKER_CONFIG_INVALID`: a docker `config.json` is not valid JSON or has a malformed entry;
 * - `DOCKER_CONFIG_UNREADABLE`: a docker `config.json` given explicitly (`--authfile`) is missing or unreadable.
 */
export type KeychainErrorCode = 'CREDENTIAL_HELPER_FAILED' | 'DOCKER_CONFIG_INVALID' | 'DOCKER_CONFIG_UNREADABLE';

/**
 * A credential source failed. Messages name the helper, the registry, the file and the key at fault,
 * never a secret: neither a password nor anything a helper printed on stdout (where secrets go).
 */
export class KeychainError extends CopycatError {
  /** Which source failed and how; see {@link KeychainErrorCode}. */
  declare readonly code: KeychainErrorCode;

  constructor(code: KeychainErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
