import { Copier, type CopyResult, type SparseFallback } from '../../copy/index.ts';
import { parsePlatform } from '../../oci/index.ts';
import { parseReference } from '../../reference/index.ts';
import { makeClients, type ConnectionFlags } from '../clients.ts';
import { UsageError } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatBytes } from '../format.ts';
import { createProgress } from '../progress.ts';

/** Flags of `copycat copy`. */
export interface CopyFlags extends ConnectionFlags {
  platform?: string[];
  sparseFallback?: string;
  concurrency?: string;
  json?: boolean;
}

const FALLBACKS: readonly SparseFallback[] = ['platforms', 'full', 'fail'];

/** `copycat copy SRC DST`: copies one image digest-exactly; returns the exit code. */
export async function runCopy(srcArg: string, dstArg: string, flags: CopyFlags, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const src = parseReference(srcArg);
  const dst = parseReference(dstArg);
  const platforms = (flags.platform ?? []).map(parsePlatform);
  const fallback = (flags.sparseFallback ?? 'platforms') as SparseFallback;
  if (!FALLBACKS.includes(fallback)) throw new UsageError(`--sparse-fallback must be one of ${FALLBACKS.join(', ')}, got ${JSON.stringify(flags.sparseFallback)}`);
  const concurrency = flags.concurrency === undefined ? 6 : Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got ${JSON.stringify(flags.concurrency)}`);

  const clients = makeClients(flags, src.registry, dst.registry);
  const progress = flags.json ? { onEvent: () => {}, stop: () => {} } : createProgress();
  const started = performance.now();
  const warnings: string[] = [];
  try {
    const copier = new Copier({ source: clients.source, target: clients.target, concurrency });
    const result = await copier.copy(src, dst, {
      platforms,
      sparseFallback: fallback,
      observer: (e) => {
        if (e.type === 'warning') warnings.push(e.message);
        progress.onEvent(e);
      },
    });
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    if (flags.json) out.write(`${JSON.stringify({ ...result, seconds: Number(seconds.toFixed(3)) }, null, 2)}\n`);
    else {
      for (const w of warnings) process.stderr.write(`copycat: warning: ${w}\n`);
      out.write(`${summary(result, seconds)}\n`);
    }
    return result.sparse && !result.sparse.indexPushed ? ExitCode.partial : ExitCode.ok;
  } finally {
    progress.stop();
    await clients.close();
  }
}

/** The one line printed after a copy (also what non-TTY runs show instead of a bar). */
export function summary(r: CopyResult, seconds: number): string {
  if (r.upToDate) return `up to date: ${r.target} is ${r.digest} (nothing copied, ${seconds.toFixed(1)}s)`;
  const pushed = r.manifests.filter((m) => m.outcome === 'pushed').length;
  const b = r.blobs;
  const what = `${pushed} manifest${pushed === 1 ? '' : 's'}, blobs: ${b.uploaded} uploaded (${formatBytes(b.bytesUploaded)}), ${b.mounted} mounted, ${b.existed} already there`;
  const head = r.tagged ? `copied ${r.source} -> ${r.target}` : `copied ${r.source} -> ${r.target} by digest only (no tag written)`;
  const sparse = r.sparse ? `; platforms omitted: ${r.sparse.omittedPlatforms.join(', ') || 'none'}` : '';
  return `${head} ${r.digest} (${what}${sparse}; ${seconds.toFixed(1)}s)`;
}
