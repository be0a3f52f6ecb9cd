/**
 * Docker image manifest schema 1 with a libtrust "pretty JWS" signature, the only form
 * distribution 2.8 accepts for a schema1 PUT (and only with `compatibility.schema1.enabled`).
 *
 * Format, as libtrust's `jsonsign.go` reads it (`ParsePrettySignature`): the signed document is the
 * payload JSON with its closing `\n}` cut off, followed by `,\n   "signatures": [...]\n}`. Each
 * signature's `protected` header records `formatLength` (how many leading bytes of the document
 * are payload) and `formatTail` (the cut-off bytes, base64url), so a verifier can rebuild the payload
 * exactly. The signature is over `protected + "." + base64url(payload)`; for an EC P-256 key the
 * algorithm is ES256 with a raw r‖s signature. The registry's digest of a signed schema1 manifest
 * is sha256(payload), not the hash of the signed bytes, and 2.8 stores only the payload and
 * re-signs it with its own key on every GET.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** Media type a signed schema1 manifest is pushed and served with. */
export const SCHEMA1_SIGNED_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v1+prettyjws';

/** A signed schema1 manifest. */
export interface SignedSchema1 {
  /** The pretty-JWS bytes (payload + signatures) to PUT. */
  raw: Buffer;
  /** The JWS payload: the manifest without signatures. */
  payload: Buffer;
  /** sha256 of `payload`: what the registry reports as the manifest digest. */
  digest: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(value >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The libtrust key ID: sha256 of the DER SubjectPublicKeyInfo, first 240 bits, base32, in
 * colon-separated groups of four (libtrust `util.go`, `keyIDFromCryptoKey`). libtrust checks it
 * when a JWK carries one.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const encoded = base32(createHash('sha256').update(der).digest().subarray(0, 30));
  return encoded.match(/.{1,4}/g)!.join(':');
}

/** Formats like Go's `json.MarshalIndent(v, prefix, indent)` for plain JSON values (no HTML escaping needed here). */
function marshalIndent(value: unknown, prefix: string, indent: string): string {
  return JSON.stringify(value, null, indent).split('\n').join(`\n${prefix}`);
}

/**
 * Signs a schema1 payload (a JSON object text indented with three spaces, as Docker wrote them)
 * with a fresh P-256 key, producing the pretty-JWS document Docker would push.
 */
export function signSchema1(payloadText: string, time: Date = new Date()): SignedSchema1 {
  const payload = Buffer.from(payloadText, 'utf8');
  // formatLength: up to the last non-space byte before the final '}' (libtrust NewJSONSignature).
  const close = payloadText.trimEnd().length - 1;
  if (payloadText[close] !== '}') throw new Error('schema1 payload must be a JSON object');
  const formatLength = Buffer.byteLength(payloadText.slice(0, close).trimEnd());
  const formatTail = payload.subarray(formatLength);

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const protectedHeader = Buffer.from(
    JSON.stringify({
      formatLength,
      formatTail: formatTail.toString('base64url'),
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
  ).toString('base64url');
  const signingInput = `${protectedHeader}.${payload.toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });

  const signatures = [
    {
      header: {
        jwk: { crv: 'P-256', kid: libtrustKeyId(publicKey), kty: 'EC', x: jwk.x, y: jwk.y },
        alg: 'ES256',
      },
      signature: signature.toString('base64url'),
      protected: protectedHeader,
    },
  ];
  const indent = '   ';
  const raw = Buffer.concat([
    payload.subarray(0, formatLength),
    Buffer.from(`,\n${indent}"signatures": ${marshalIndent(signatures, indent, indent)}\n}`),
  ]);
  return { raw, payload, digest: `sha256:${createHash('sha256').update(payload).digest('hex')}` };
}

/** Inputs of {@link buildSchema1Payload}. */
export interface Schema1Input {
  /** Repository name as the registry will see it (distribution checks it matches the push). */
  name: string;
  tag: string;
  architecture: string;
  /** Layer digests, bottom layer first (the manifest lists them top first). */
  layerDigests: readonly string[];
  /** Seed for the deterministic v1 image IDs. */
  seed: string;
}

/** Builds the unsigned schema1 payload text (three-space indentation, as Docker did). */
export function buildSchema1Payload(input: Schema1Input): string {
  const ids = input.layerDigests.map((_, i) => createHash('sha256').update(`${input.seed}/v1-id/${i}`).digest('hex'));
  const created = '2020-01-01T00:00:00Z';
  const history = input.layerDigests.map((_, i) => {
    const v1: Record<string, unknown> = { id: ids[i], created, container_config: { Cmd: [`/bin/sh -c #(nop) layer ${i}`] } };
    if (i > 0) v1['parent'] = ids[i - 1];
    if (i === input.layerDigests.length - 1) {
      Object.assign(v1, { architecture: input.architecture, os: 'linux', config: { Cmd: ['/bin/sh'] } });
    }
    return { v1Compatibility: JSON.stringify(v1) };
  });
  const manifest = {
    schemaVersion: 1,
    name: input.name,
    tag: input.tag,
    architecture: input.architecture,
    fsLayers: [...input.layerDigests].reverse().map((blobSum) => ({ blobSum })),
    history: history.reverse(),
  };
  return JSON.stringify(manifest, null, 3);
}
