/**
 * Profiling aid for the controller's memory floor: what loading each part of the module graph costs in
 * resident memory before a single object is watched. Each entry is imported alone in a fresh Node process
 * (the launcher's `--max-semi-space-size=1`, compile cache on and warmed first), with full garbage collections
 * before and after, so the figure is what stays resident, not garbage.
 *
 * Usage: node bench/controller/module-cost.ts [entry…]
 * Entries are npm packages or paths under the repository, several joined by commas are imported together
 * (default: the packages and src modules the controller process loads, then all of them together). Costs overlap (packages share dependencies), so they do not add up to the whole graph; the
 * `whole controller` row is the real total.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/tools.ts';

/** What one import leaves resident. */
export interface ModuleCost {
  entry: string;
  rssBytes: number;
  heapBytes: number;
  externalBytes: number;
}

const DEFAULT_ENTRIES = [
  '@kubernetes/client-node',
  'undici',
  'prom-client',
  'zod',
  'yaml',
  'pino',
  '@aws-sdk/client-ecr',
  '@aws-sdk/credential-providers',
  'src/kube/index.ts',
  'src/registry/index.ts',
  'src/config/index.ts',
  'src/targets/index.ts',
  'src/copy/index.ts',
];

/** The measuring script run in each fresh process: prints `rss heap external` deltas in bytes. */
function probe(specifiers: readonly string[]): string {
  return `
import { readFileSync } from 'node:fs';
const snap = () => { for (let i = 0; i < 4; i++) globalThis.gc(); const s = readFileSync('/proc/self/status', 'utf8'); const m = process.memoryUsage(); return [Number(/VmRSS:\\s+(\\d+)/.exec(s)[1]) * 1024, m.heapUsed, m.external]; };
const a = snap();
${specifiers.map((s) => `await import(${JSON.stringify(s)});`).join('\n')}
const b = snap();
console.log(b.map((v, i) => v - a[i]).join(' '));
`;
}

/** Resolves an entry: repository paths become absolute file paths, packages stay bare (resolved from the repository). */
function specifierOf(entry: string): string {
  return entry.startsWith('src/') || entry.startsWith('bench/') ? join(REPO_ROOT, entry) : entry;
}

/** Measures one entry (several, comma-separated, are imported together). */
export function measureModule(entry: string, cacheDir: string): ModuleCost {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--input-type=module', '-e', probe(entry.split(',').map(specifierOf))], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_COMPILE_CACHE: cacheDir },
  });
  if (r.status !== 0) throw new Error(`importing ${JSON.stringify(entry)} failed: ${(r.stderr ?? '').trim().slice(-1000)}`);
  const [rss = NaN, heap = NaN, ext = NaN] = r.stdout.trim().split(' ').map(Number);
  return { entry, rssBytes: rss, heapBytes: heap, externalBytes: ext };
}

/** Everything the controller process imports, measured together (the real total). */
const WHOLE = 'src/controller/index.ts,src/kube/index.ts,src/metrics/index.ts,src/registry/index.ts,src/config/index.ts,pino';

async function main(): Promise<void> {
  const entries = process.argv.length > 2 ? process.argv.slice(2) : [...DEFAULT_ENTRIES, WHOLE];
  const cacheDir = mkdtempSync(join(tmpdir(), 'copycat-module-cost-'));
  try {
    for (const e of entries) measureModule(e, cacheDir); // fill the compile cache: type stripping is not what we measure
    const mb = (n: number): string => (n / 1e6).toFixed(1).padStart(7);
    process.stdout.write(`${'entry'.padEnd(40)} ${'RSS MB'.padStart(7)} ${'heap MB'.padStart(7)} ${'ext MB'.padStart(7)}\n`);
    for (const e of entries) {
      const c = measureModule(e, cacheDir);
      const name = e === WHOLE ? 'whole controller process' : e.split(',').join(' + ');
      process.stdout.write(`${name.padEnd(40)} ${mb(c.rssBytes)} ${mb(c.heapBytes)} ${mb(c.externalBytes)}\n`);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
