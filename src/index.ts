/**
 * copycat as a library: the reference parser, the OCI vocabulary, the registry client and the
 * digest-exact copy engine. Everything exported here is documented where it is defined.
 *
 * @example
 * ```ts
 * import { Copier, RegistryClient, parseReference } from 'copycat';
 * const client = new RegistryClient();
 * const result = await new Copier({ source: client }).copy(parseReference('nginx:1.27'), parseReference('registry.example.com/mirror/nginx:1.27'));
 * ```
 */
export { CopycatError, hasCode } from './internal/errors.ts';
export * from './reference/index.ts';
export * from './oci/index.ts';
export * from './registry/index.ts';
export * from './copy/index.ts';
export * from './inspect/index.ts';
export * from './targets/index.ts';
