/**
 * The reference grammar of github.com/distribution/reference (reference.go, regexp.go), as
 * small anchored predicates. Each one checks a single piece so the parser can say which piece
 * was wrong instead of "invalid reference format".
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] remote-name
 *   domain           := host [':' port-number]
 *   host             := domain-name | IPv4address | '[' IPv6address ']'
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component   := alpha-numeric [separator alpha-numeric]*
 *   alpha-numeric    := /[a-z0-9]+/
 *   separator        := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" /[0-9a-fA-F]{32,}/
 */

/** Longest repository path accepted, as distribution's `RepositoryNameTotalLengthMax`. */
export const REPOSITORY_PATH_MAX = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
// Only compressed/uncompressed hex IPv6 inside brackets; zone IDs (RFC 6874) and IPv4-mapped
// forms are excluded on purpose upstream (regexp.go `ipv6address`).
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;

/** True for a valid repository path (`library/nginx`, `a/b-c/d__e`); uppercase is not allowed. */
export function isValidPath(path: string): boolean {
  if (path === '') return false;
  return path.split('/').every((component) => PATH_COMPONENT.test(component));
}

/** True for a valid registry `host[:port]`, case-insensitively (domain names, IPv4, `[IPv6]`). */
export function isValidDomain(domain: string): boolean {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close < 0) return false;
    host = domain.slice(0, close + 1);
    const rest = domain.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return false;
      port = rest.slice(1);
    }
    if (!IPV6_HOST.test(host)) return false;
  } else {
    const colon = domain.indexOf(':');
    if (colon >= 0) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    if (!host.split('.').every((label) => DOMAIN_COMPONENT.test(label))) return false;
  }
  return port === undefined || PORT.test(port);
}

/** True for a valid tag: word character first, then up to 127 of `[\w.-]`. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** True for input that is nothing but a 64-hex image ID, which distribution refuses as a name. */
export function isImageId(input: string): boolean {
  return IMAGE_ID.test(input);
}

/**
 * Hex lengths of the algorithms go-digest registers. For these the encoded part must be exactly
 * this long and lowercase (go-digest `Digest.Validate`); other algorithms follow the bare grammar.
 */
const REGISTERED_ALGORITHMS: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/**
 * True for input that is only a digest of a registered algorithm (`sha256:<64 hex>`). Docker would
 * read it as repository `library/sha256` with a 64-hex tag; copycat refuses it instead, because
 * what is meant is almost always an image ID (Kubernetes reports `sha256:…` imageIDs).
 */
export function isBareDigest(input: string): boolean {
  const colon = input.indexOf(':');
  if (colon < 0 || input.includes('/') || input.includes('@')) return false;
  const expected = REGISTERED_ALGORITHMS.get(input.slice(0, colon));
  const encoded = input.slice(colon + 1);
  return expected !== undefined && encoded.length === expected && /^[a-f0-9]+$/.test(encoded);
}

/**
 * Checks a digest string; returns undefined when valid, else a short human reason.
 * Unknown algorithms are accepted when they fit the grammar, so future algorithms keep parsing.
 */
export function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) {
    return 'a digest is "<algorithm>:<hex>" with at least 32 hex characters, like "sha256:<64 hex>"';
  }
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const expected = REGISTERED_ALGORITHMS.get(algorithm.toLowerCase());
  if (expected === undefined) return undefined;
  if (algorithm !== algorithm.toLowerCase()) {
    return `the algorithm must be written in lowercase ("${algorithm.toLowerCase()}")`;
  }
  if (encoded.length !== expected) {
    return `${algorithm} digests have ${expected} hex characters, this one has ${encoded.length}`;
  }
  if (encoded !== encoded.toLowerCase()) {
    return `${algorithm} digests are written in lowercase hex`;
  }
  return undefined;
}
