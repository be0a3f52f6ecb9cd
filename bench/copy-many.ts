/**
 * Copies many images with one `Copier` in one process, all concurrently: the multi-image workload
 * the CLI has no command for yet (`copycat sync` will be it). Run as a subprocess by the benchmark
 * so its start-up counts, as skopeo's does.
 *
 * Usage: node bench/copy-many.ts --pairs FILE [--concurrency N]
 *   FILE is JSON: [{ "source": "host/repo:tag", "destination": "host/repo:tag" }, …]
 * Prints one JSON object: images copied, in-process seconds (after start-up) and blob tallies.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Copier } from '../src/copy/index.ts';
import { parseReference } from '../src/reference/index.ts';
import { RegistryClient, Transport } from '../src/registry/index.ts';

/** One image to copy. */
export interface CopyPair {
  source: string;
  destination: string;
}

/** What the script prints. */
export interface CopyManySummary {
  images: number;
  /** Seconds from the first request to the last copy finishing (excludes process start-up). */
  seconds: number;
  uploaded: number;
  mounted: number;
  existed: number;
  bytesUploaded: number;
}

/** Copies every pair concurrently with one shared Copier (blob dedupe and mounts across images). */
export async function copyMany(pairs: readonly CopyPair[], concurrency: number): Promise<CopyManySummary> {
  const transport = new Transport({ userAgent: 'copycat-bench' });
  const client = new RegistryClient({ transport });
  const started = performance.now();
  try {
    const copier = new Copier({ source: client, target: client, concurrency });
    const results = await Promise.all(pairs.map((p) => copier.copy(parseReference(p.source), parseReference(p.destination))));
    const summary: CopyManySummary = { images: results.length, seconds: 0, uploaded: 0, mounted: 0, existed: 0, bytesUploaded: 0 };
    for (const r of results) {
      summary.uploaded += r.blobs.uploaded;
      summary.mounted += r.blobs.mounted;
      summary.existed += r.blobs.existed;
      summary.bytesUploaded += r.blobs.bytesUploaded;
    }
    summary.seconds = Number(((performance.now() - started) / 1000).toFixed(3));
    return summary;
  } finally {
    await transport.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { pairs: { type: 'string' }, concurrency: { type: 'string', default: '6' } } });
  if (values.pairs === undefined) {
    process.stderr.write('usage: node bench/copy-many.ts --pairs FILE [--concurrency N]\n');
    process.exit(2);
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    process.stderr.write(`--concurrency must be a positive whole number, got ${JSON.stringify(values.concurrency)}\n`);
    process.exit(2);
  }
  const pairs = JSON.parse(await readFile(values.pairs, 'utf8')) as CopyPair[];
  const summary = await copyMany(pairs, concurrency);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
