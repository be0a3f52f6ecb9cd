/**
 * Container image references: parsing and normalising exactly as Docker does, familiar and full
 * forms, Docker Hub host rules and token scope strings. No I/O.
 */
export type { Reference } from './reference.ts';
export { withDigest, withTag } from './reference.ts';
export { parseReference, parseRepository } from './parse.ts';
export { isDockerHub, registryApiHost } from './docker-hub.ts';
export { repositoryScope } from './scope.ts';
export { ReferenceError } from './errors.ts';
export { digestProblem } from './grammar.ts';
export type { ReferenceErrorCode } from './errors.ts';
