import { describeImage, type ImageDescription } from '../../inspect/index.ts';
import { parsePlatform } from '../../oci/index.ts';
import { parseReference } from '../../reference/index.ts';
import { makeClients, type ConnectionFlags } from '../clients.ts';
import { UsageError } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';
import { table } from '../format.ts';

/** Flags of `copycat inspect`. */
export interface InspectFlags extends ConnectionFlags {
  raw?: boolean;
  json?: boolean;
  platform?: string;
}

/** `copycat inspect REF`: what a reference resolves to; returns the exit code. */
export async function runInspect(refArg: string, flags: InspectFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (flags.raw && flags.json) throw new UsageError('--raw and --json cannot be combined');
  const ref = parseReference(refArg);
  const clients = makeClients(flags, ref.registry);
  try {
    const d = await describeImage(clients.source, ref, flags.platform ? { platform: parsePlatform(flags.platform) } : {});
    if (flags.raw) out.write(d.raw); // the exact bytes: `| sha256sum` gives the digest
    else if (flags.json) {
      const { raw: _raw, ...rest } = d;
      out.write(`${JSON.stringify(rest, null, 2)}\n`);
    } else out.write(`${render(d)}\n`);
    return ExitCode.ok;
  } finally {
    await clients.close();
  }
}

/** The human-readable form of an image description. */
export function render(d: ImageDescription): string {
  const lines = [`Name:       ${d.reference}`, `Digest:     ${d.digest}`, `MediaType:  ${d.mediaType}`, `Size:       ${d.size}`];
  if (d.kind === 'schema1') lines.push('Note:       Docker schema1: cannot be copied digest-exactly');
  if (d.platform) lines.push(`Platform:   ${d.platform}`);
  if (d.configDigest) lines.push(`Image ID:   ${d.configDigest}`);
  if (d.platforms.length > 0) {
    lines.push('', 'Platforms:');
    lines.push(indent(table(['PLATFORM', 'DIGEST', 'IMAGE ID (CONFIG)'], d.platforms.map((p) => [p.platform, p.digest, p.configDigest ?? '-']))));
  }
  if (d.attestations.length > 0) {
    lines.push('', 'Attestations:');
    lines.push(indent(table(['DIGEST', 'FOR'], d.attestations.map((a) => [a.digest, a.refersTo ?? '-']))));
  }
  return lines.join('\n');
}

function indent(s: string): string {
  return s.split('\n').map((l) => `  ${l}`).join('\n');
}
