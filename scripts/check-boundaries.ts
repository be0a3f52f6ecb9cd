/**
 * Fails when a module imports against the layer table (ARCHITECTURE §3) or when files import in a
 * cycle. Runs with the tests; zero dependencies, in the spirit of go-containerregistry's depcheck.
 *
 * Usage: node scripts/check-boundaries.ts [srcDir]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Project modules each module may import (itself always allowed). Sub-modules of registry are layered too. */
export const ALLOWED: Record<string, string[]> = {
  internal: [],
  reference: ['internal'],
  oci: ['internal'],
  'registry/transport': ['internal', 'oci'],
  'registry/auth': ['internal', 'reference', 'registry/transport'],
  'registry/client': ['internal', 'reference', 'oci', 'registry/transport', 'registry/auth'],
  registry: ['internal', 'reference', 'oci', 'registry/transport', 'registry/auth', 'registry/client'],
  copy: ['internal', 'reference', 'oci', 'registry'],
  inspect: ['internal', 'reference', 'oci', 'registry'],
  targets: ['internal', 'reference', 'registry'],
  kube: ['internal', 'reference'],
  config: ['internal', 'reference'],
  metrics: ['internal'],
  server: ['internal'],
  controller: ['internal', 'reference', 'oci', 'registry', 'copy', 'targets', 'kube', 'config'],
  cli: ['*'],
  '.': ['internal', 'reference', 'oci', 'registry', 'copy', 'inspect', 'targets', 'kube', 'config', 'controller'],
};

/**
 * npm packages and the only places allowed to import them (a module, or a folder under src such as
 * `targets/ecr`, so cloud SDKs stay out of the core); other packages are free for all.
 */
export const PACKAGE_OWNERS: Record<string, string[]> = {
  undici: ['registry/transport'],
  commander: ['cli'],
  'cli-progress': ['cli'],
  '@kubernetes/client-node': ['kube'],
  '@aws-sdk/client-ecr': ['targets/ecr'],
  '@aws-sdk/credential-providers': ['targets/ecr'],
  'prom-client': ['metrics'],
};

/** The module a file belongs to: its first folder under src (second for registry/*), `.` for src/index.ts. */
export function moduleOf(srcDir: string, file: string): string {
  const parts = relative(srcDir, file).split(sep);
  if (parts.length === 1) return '.';
  if (parts[0] === 'registry' && parts.length > 2) return `registry/${parts[1]}`;
  return parts[0] ?? '.';
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTs(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

// `import x from 'a'`, `export * from 'a'`, side-effect `import 'a'`, and literal `import('a')`.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?from\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every specifier a file imports or re-exports (static and literal dynamic imports). */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec) out.push(spec);
  }
  return out;
}

/** Checks a source tree; returns human-readable violations (empty when clean). */
export function check(srcDir: string): string[] {
  const problems: string[] = [];
  const files = listTs(srcDir);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const isTest = file.endsWith('.test.ts');
    const mod = moduleOf(srcDir, file);
    const allowed = ALLOWED[mod];
    if (!allowed) problems.push(`${relative(srcDir, file)}: module "${mod}" is not in the layer table (scripts/check-boundaries.ts)`);
    const edges: string[] = [];
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(srcDir + sep)) continue; // tests may import test/support
        edges.push(target);
        const targetMod = moduleOf(srcDir, target);
        if (targetMod === mod || !allowed || allowed.includes('*')) continue;
        // A sub-module of registry counts as registry for modules above it.
        const asSeen = targetMod.startsWith('registry/') && !mod.startsWith('registry') ? 'registry' : targetMod;
        if (!allowed.includes(asSeen) && !allowed.includes(targetMod)) {
          problems.push(`${relative(srcDir, file)}: module "${mod}" must not import "${targetMod}" (${spec})`);
        }
      } else if (!spec.startsWith('node:') && !isTest) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
        const owners = PACKAGE_OWNERS[pkg];
        const rel = relative(srcDir, file).split(sep).join('/');
        if (owners && !owners.includes(mod) && !owners.some((o) => rel.startsWith(`${o}/`))) {
          problems.push(`${relative(srcDir, file)}: only ${owners.join(', ')} may import "${pkg}"`);
        }
      }
    }
    graph.set(file, edges);
  }
  problems.push(...findCycles(graph).map((c) => `import cycle: ${c.map((f) => relative(srcDir, f)).join(' -> ')}`));
  return problems;
}

/** Import cycles among files, each reported once. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'active') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

if (import.meta.main) {
  const srcDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'src'));
  const problems = check(srcDir);
  if (problems.length > 0) {
    console.error(`layer check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`layer check: ${srcDir} follows the layer table, no import cycles`);
}
