/**
 * Profiling aid: counts the HTTP requests each tool sends for the multi-arch copy, cold and warm, by
 * putting a request-recording proxy (test/support `startFaultProxy` with an empty fault plan) in front
 * of the source and the destination registry.
 *
 * Usage: node bench/count-requests.ts [--layers-kib 256,128]
 * Prints, per tool and phase, how many requests of each kind reached each registry.
 */
import { parseArgs } from 'node:util';
import { pushMultiArchIndex } from '../test/support/fixtures.ts';
import { startFaultProxy, type FaultProxy, type ProxyRequestRecord } from '../test/support/proxy.ts';
import { Cleanup } from './lib/cleanup.ts';
import { measureCommand } from './lib/measure.ts';
import { benchEnv, copycatCopy, skopeoCopy, type CommandLine } from './lib/tools.ts';

/** A request's kind: method plus what it addresses (`HEAD manifest`, `PUT blob-upload`, `GET /v2/`…). */
export function requestKind(r: Pick<ProxyRequestRecord, 'method' | 'path' | 'url'>): string {
  if (r.path === '/v2/' || r.path === '/v2') return `${r.method} /v2/`;
  if (r.path.includes('/manifests/')) return `${r.method} manifest`;
  if (r.path.includes('/blobs/uploads')) return r.method === 'POST' && r.url.includes('mount=') ? 'POST mount' : `${r.method} blob-upload`;
  if (r.path.includes('/blobs/')) return `${r.method} blob`;
  return `${r.method} other`;
}

/** Counts records by kind, sorted by kind. */
export function countKinds(records: readonly ProxyRequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) {
    const k = requestKind(r);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'layers-kib': { type: 'string', default: '256,128' } } });
  const layers = values['layers-kib'].split(',').map((s) => Number(s) * 1024);
  const cleanup = new Cleanup();
  process.once('SIGINT', () => void cleanup.run().finally(() => process.exit(130)));
  try {
    const source = await cleanup.registry();
    const index = await pushMultiArchIndex(source, 'count/multiarch', { tag: 'v1', layers, seed: 'count' });
    const srcProxy = await startFaultProxy(source.url);
    cleanup.add(() => srcProxy.stop());
    const env = benchEnv();
    const report: Record<string, unknown> = { index: index.digest };
    for (const tool of ['copycat', 'skopeo'] as const) {
      const dest = await cleanup.registry();
      const dstProxy: FaultProxy = await startFaultProxy(dest.url);
      cleanup.add(() => dstProxy.stop());
      const cmd = (): CommandLine => {
        const src = `${srcProxy.host}/count/multiarch:v1`;
        const dst = `${dstProxy.host}/count/copy:v1`;
        return tool === 'copycat' ? copycatCopy(src, dst) : skopeoCopy(src, dst);
      };
      for (const phase of ['cold', 'warm'] as const) {
        srcProxy.requests.length = 0;
        dstProxy.requests.length = 0;
        const c = cmd();
        const m = await measureCommand(c.command, c.args, { env });
        report[`${tool} ${phase}`] = { seconds: Number(m.seconds.toFixed(3)), source: countKinds(srcProxy.requests), destination: countKinds(dstProxy.requests), total: srcProxy.requests.length + dstProxy.requests.length };
      }
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await cleanup.run();
  }
}

if (import.meta.main) await main();
