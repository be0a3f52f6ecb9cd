import { DOCKER_HUB, DOCKER_HUB_LEGACY, OFFICIAL_PREFIX } from './docker-hub.ts';
import { ReferenceError, quote } from './errors.ts';
import { REPOSITORY_PATH_MAX, isBareDigest, isImageId, isValidDomain, isValidPath } from './grammar.ts';
import { assertDigest, assertTag, createReference } from './reference.ts';
import type { InputNoun as Noun, Reference } from './reference.ts';

/** The pieces of a reference after normalisation, before they become a {@link Reference}. */
interface Parts {
  registry: string;
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Parses an image reference the way Docker does (distribution `ParseNormalizedNamed`):
 * `nginx` is `docker.io/library/nginx`, `user/app` is `docker.io/user/app`, the first component is
 * a registry only when it has a `.` or `:` or is `localhost`, and `:tag` and `@digest` are both kept.
 * Throws {@link ReferenceError} naming what is wrong.
 */
export function parseReference(input: string): Reference {
  const parts = parseParts(input, 'image reference');
  return createReference(parts.registry, parts.repository, parts.tag, parts.digest);
}

/**
 * Parses a repository (`nginx`, `ghcr.io/org/app`) with the same normalisation as
 * {@link parseReference}, for commands that list a repository; a tag or digest is an error.
 */
export function parseRepository(input: string): { registry: string; repository: string } {
  const parts = parseParts(input, 'repository');
  if (parts.tag !== undefined || parts.digest !== undefined) {
    const what = parts.digest === undefined ? 'a tag' : parts.tag === undefined ? 'a digest' : 'a tag and a digest';
    throw new ReferenceError(
      'REFERENCE_INVALID',
      `invalid repository ${quote(input)}: it has ${what}; give the repository alone`,
    );
  }
  return Object.freeze({ registry: parts.registry, repository: parts.repository });
}

function invalid(noun: Noun, input: string, why: string): ReferenceError {
  return new ReferenceError('REFERENCE_INVALID', `invalid ${noun} ${quote(input)}: ${why}`);
}

// Checks run from the most to the least specific so the error names the real mistake.
function parseParts(input: string, noun: Noun): Parts {
  if (typeof input !== 'string') throw invalid(noun, String(input), 'not a string');
  if (input === '') throw invalid(noun, input, 'it is empty');
  if (/\s/.test(input)) throw invalid(noun, input, 'it contains whitespace');
  const scheme = URL_SCHEME.exec(input);
  if (scheme !== null) {
    throw invalid(noun, input, `a reference has no URL scheme; drop ${quote(scheme[0])}`);
  }
  // distribution refuses these: a bare 64-hex string could be an image ID or a repository name.
  if (isImageId(input)) {
    throw invalid(
      noun,
      input,
      'a 64-character hex string is ambiguous (it looks like an image ID); use "<name>@sha256:<hex>", or prefix a registry such as "docker.io/" if it really is a repository name',
    );
  }
  // Deliberate difference from distribution, which reads this as library/sha256 with a hex tag.
  if (isBareDigest(input)) {
    throw invalid(noun, input, 'it is a digest without a repository name; use "<name>@<digest>"');
  }

  const { registry, rest } = splitRegistry(input, noun);
  const { path, tag, digest } = splitRest(rest);
  if (path === '') throw invalid(noun, input, 'the repository name is missing');
  // Docker Hub's official images live under library/ (normalize.go splitDockerDomain); other
  // registries are taken literally.
  const repository = registry === DOCKER_HUB && !path.includes('/') ? OFFICIAL_PREFIX + path : path;

  if (!isValidPath(repository)) {
    if (isValidPath(repository.toLowerCase())) {
      throw new ReferenceError(
        'REFERENCE_UPPERCASE',
        `invalid ${noun} ${quote(input)}: repository name must be lowercase (${quote(path)})`,
      );
    }
    throw invalid(
      noun,
      input,
      `repository name ${quote(path)} must be "/"-separated components of lowercase letters and digits, joined inside by ".", "_", "__" or "-"`,
    );
  }
  // Upstream limits the path only, not registry + path (distribution/reference commit aaca75e,
  // "Exclude domain from name length check"). The path includes the added "library/".
  if (repository.length > REPOSITORY_PATH_MAX) {
    throw new ReferenceError(
      'REFERENCE_NAME_TOO_LONG',
      `invalid ${noun} ${quote(input)}: repository name must not be more than ${REPOSITORY_PATH_MAX} characters (it has ${repository.length})`,
    );
  }
  if (tag !== undefined) assertTag(tag, input, noun);
  if (digest !== undefined) assertDigest(digest, input, noun);
  return { registry, repository, tag, digest };
}

/**
 * Splits off the registry. A first component (before the first "/") is a registry only if it
 * contains "." or ":" or is exactly "localhost"; `foo:5000` with no "/" is therefore name `foo`,
 * tag `5000`, as in distribution.
 */
function splitRegistry(input: string, noun: Noun): { registry: string; rest: string } {
  const slash = input.indexOf('/');
  if (slash < 0) return { registry: DOCKER_HUB, rest: input };
  const first = input.slice(0, slash);
  if (first !== 'localhost' && !first.includes('.') && !first.includes(':')) {
    return { registry: DOCKER_HUB, rest: input };
  }
  if (!isValidDomain(first)) {
    throw invalid(noun, input, `${quote(first)} is not a valid registry host[:port]`);
  }
  // Host names and IPv6 literals are case-insensitive; one spelling keeps mirror names stable.
  const host = first.toLowerCase();
  return { registry: host === DOCKER_HUB_LEGACY ? DOCKER_HUB : host, rest: input.slice(slash + 1) };
}

/** Splits `path[:tag][@digest]`; neither path nor tag can contain ":" or "@", so the first ones split. */
function splitRest(rest: string): { path: string; tag: string | undefined; digest: string | undefined } {
  const at = rest.indexOf('@');
  const nameAndTag = at < 0 ? rest : rest.slice(0, at);
  const digest = at < 0 ? undefined : rest.slice(at + 1);
  const colon = nameAndTag.indexOf(':');
  if (colon < 0) return { path: nameAndTag, tag: undefined, digest };
  return { path: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}
