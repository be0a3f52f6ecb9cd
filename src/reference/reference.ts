import { digestProblem, isBareDigest, isImageId, isValidTag } from './grammar.ts';
import { DOCKER_HUB, OFFICIAL_PREFIX } from './docker-hub.ts';
import { ReferenceError, quote } from './errors.ts';

/** A parsed, normalised image reference; immutable. */
export interface Reference {
  /** Canonical registry: `docker.io` for Docker Hub, else `host[:port]` with the host lowercased (`[::1]:5000` for IPv6). */
  readonly registry: string;
  /** Path inside the registry: `library/nginx` for `nginx` on Docker Hub. */
  readonly repository: string;
  /** The tag as written; undefined when none was written (no `latest` default here). */
  readonly tag?: string;
  /** The digest as written (`sha256:<64 hex>`); undefined when none was written. */
  readonly digest?: string;
  /** Registry and repository: `docker.io/library/nginx`. */
  name(): string;
  /** Full form: name, then `:tag` and `@digest` when present. */
  toString(): string;
  /** Short form as Docker prints it (`nginx:1.25`, `user/app`, `ghcr.io/x/y:1`); always parses back to the same reference. */
  familiar(): string;
}

/** The one implementation of {@link Reference}; frozen on construction. Inputs are already validated. */
class ImageReference implements Reference {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;

  constructor(registry: string, repository: string, tag: string | undefined, digest: string | undefined) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
    Object.freeze(this);
  }

  name(): string {
    return `${this.registry}/${this.repository}`;
  }

  toString(): string {
    return this.name() + suffix(this);
  }

  familiar(): string {
    const short = familiarName(this.registry, this.repository) + suffix(this);
    // Two short forms would be refused by the parser ("docker.io/<64 hex>" and
    // "docker.io/library/sha256:<64 hex>" shorten to an image ID or a bare digest); keep those
    // whole so that familiar() always parses back to this reference.
    return isImageId(short) || isBareDigest(short) ? this.toString() : short;
  }
}

function suffix(ref: Reference): string {
  return (ref.tag === undefined ? '' : `:${ref.tag}`) + (ref.digest === undefined ? '' : `@${ref.digest}`);
}

/**
 * Docker's short name: drops `docker.io/`, and `library/` only when one component follows it
 * (distribution normalize.go `familiarizeName`: `library/foo/bar` keeps its prefix).
 */
function familiarName(registry: string, repository: string): string {
  if (registry !== DOCKER_HUB) return `${registry}/${repository}`;
  if (repository.startsWith(OFFICIAL_PREFIX)) {
    const rest = repository.slice(OFFICIAL_PREFIX.length);
    if (!rest.includes('/')) return rest;
  }
  return repository;
}

/** Builds a frozen reference from parts the caller has already validated and normalised. */
export function createReference(
  registry: string,
  repository: string,
  tag: string | undefined,
  digest: string | undefined,
): Reference {
  return new ImageReference(registry, repository, tag, digest);
}

/** What the whole input is called in messages. */
export type InputNoun = 'image reference' | 'repository';

/** ` in image reference "…"` when the value was cut out of a larger input, else nothing. */
function within(value: string, input: string | undefined, noun: InputNoun): string {
  return input === undefined || input === value ? '' : ` in ${noun} ${quote(input)}`;
}

/** Throws `REFERENCE_TAG_INVALID` unless `tag` is a valid tag; `input` is the whole text it came from. */
export function assertTag(tag: string, input?: string, noun: InputNoun = 'image reference'): void {
  if (isValidTag(tag)) return;
  const why = tag === ''
    ? 'the tag is empty'
    : tag.length > 128
      ? `a tag has at most 128 characters, this one has ${tag.length}`
      : 'a tag is a letter, digit or "_" followed by letters, digits, "_", "." or "-"';
  throw new ReferenceError('REFERENCE_TAG_INVALID', `invalid tag ${quote(tag)}${within(tag, input, noun)}: ${why}`);
}

/** Throws `REFERENCE_DIGEST_INVALID` unless `digest` is a valid digest; `input` is the whole text it came from. */
export function assertDigest(digest: string, input?: string, noun: InputNoun = 'image reference'): void {
  const problem = digestProblem(digest);
  if (problem === undefined) return;
  throw new ReferenceError('REFERENCE_DIGEST_INVALID', `invalid digest ${quote(digest)}${within(digest, input, noun)}: ${problem}`);
}

/** A copy of `ref` with its tag replaced (or removed with undefined); the tag is validated. */
export function withTag(ref: Reference, tag: string | undefined): Reference {
  if (tag !== undefined) assertTag(tag);
  return createReference(ref.registry, ref.repository, tag, ref.digest);
}

/** A copy of `ref` with its digest replaced (or removed with undefined); the digest is validated. */
export function withDigest(ref: Reference, digest: string | undefined): Reference {
  if (digest !== undefined) assertDigest(digest);
  return createReference(ref.registry, ref.repository, ref.tag, digest);
}
