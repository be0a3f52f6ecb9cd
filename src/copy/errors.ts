import { CopycatError } from '../internal/errors.ts';

/**
 * Why a copy failed, beyond the registry's own errors (which surface as `RegistryError`):
 * - `SCHEMA1_UNSUPPORTED`: Docker schema1 manifests cannot be copied digest-exactly (their digest covers a
 *   signature that binds them to the source repository name).
 * - `PLATFORM_NOT_FOUND`: none of the requested platforms is in the source index.
 * - `SPARSE_INDEX_REJECTED`: the target refused an index whose unselected children are absent.
 * - `TARGET_DIGEST_CONFLICT`: the destination names a digest that differs from the source.
 * - `NESTING_TOO_DEEP`: indexes nested deeper than any real image (or a cycle).
 */
export class CopyError extends CopycatError {}
