import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { check, findCycles, importsOf, moduleOf } from './check-boundaries.ts';

const roots: string[] = [];

/** Writes a throw-away `src/` tree from path → source and returns its absolute path. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'copycat-boundaries-'));
  roots.push(root);
  const src = join(root, 'src');
  for (const [path, source] of Object.entries(files)) {
    const full = join(src, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, source);
  }
  return src;
}

// A small tree that follows the layer table: each file imports only what its module may.
const CLEAN: Record<string, string> = {
  'index.ts': "export * from './copy/index.ts';\n",
  'internal/errors.ts': 'export class CopycatError extends Error {}\n',
  'internal/abort.ts': "import { CopycatError } from './errors.ts';\nexport const e = CopycatError;\n",
  'oci/digest.ts': "import { CopycatError } from '../internal/errors.ts';\nexport const d = CopycatError;\n",
  'registry/transport/transport.ts': "import { request } from 'undici';\nimport type { d } from '../../oci/digest.ts';\nexport const t = request;\n",
  'registry/client/client.ts': "import {\n  t,\n} from '../transport/transport.ts';\nexport const c = t;\n",
  'registry/index.ts': "export * from './client/client.ts';\n",
  'copy/index.ts': "import { c } from '../registry/index.ts';\nimport { t } from '../registry/transport/transport.ts';\nexport const x = [c, t];\n",
  'copy/copy.test.ts': "import { request } from 'undici';\nimport { helper } from '../../test/support/x.ts';\n",
  'cli/main.ts': "import { Command } from 'commander';\nimport { x } from '../copy/index.ts';\nconst lazy = await import('../registry/index.ts');\n",
};

after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('check', () => {
  it('reports nothing for a tree that follows the layer table', () => {
    assert.deepEqual(check(tree(CLEAN)), []);
  });

  it('reports a lower module importing a higher one (oci → registry)', () => {
    const problems = check(tree({ ...CLEAN, 'oci/bad.ts': "import { c } from '../registry/client/client.ts';\n" }));
    assert.deepEqual(problems, ['oci/bad.ts: module "oci" must not import "registry/client" (../registry/client/client.ts)']);
  });

  it('reports a literal dynamic import against the table too', () => {
    const problems = check(tree({ ...CLEAN, 'internal/lazy.ts': "export const m = () => import('../copy/index.ts');\n" }));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^internal\/lazy\.ts: module "internal" must not import "copy"/);
  });

  it('keeps cloud SDKs in their folder: targets/ecr may import the AWS SDK, targets/docker may not', () => {
    const problems = check(
      tree({
        ...CLEAN,
        'targets/ecr/ecr.ts': "import { ECRClient } from '@aws-sdk/client-ecr';\nexport const e = ECRClient;\n",
        'targets/docker/docker.ts': "import { ECRClient } from '@aws-sdk/client-ecr';\nexport const d = ECRClient;\n",
      }),
    );
    assert.deepEqual(problems, ['targets/docker/docker.ts: only targets/ecr may import "@aws-sdk/client-ecr"']);
  });

  it('layers the registry sub-modules among themselves (auth must not import client)', () => {
    const problems = check(tree({ ...CLEAN, 'registry/auth/auth.ts': "import { c } from '../client/client.ts';\n" }));
    assert.deepEqual(problems, ['registry/auth/auth.ts: module "registry/auth" must not import "registry/client" (../client/client.ts)']);
  });

  it('reports undici imported outside registry/transport, but not from a test file', () => {
    const problems = check(tree({ ...CLEAN, 'registry/client/raw.ts': "import { request } from 'undici';\n", 'copy/net.ts': "import { Agent } from 'undici/lib/agent';\n" }));
    assert.deepEqual(problems.sort(), ['copy/net.ts: only registry/transport may import "undici"', 'registry/client/raw.ts: only registry/transport may import "undici"']);
  });

  it('reports a file import cycle once', () => {
    const problems = check(
      tree({
        ...CLEAN,
        'internal/a.ts': "import { b } from './b.ts';\nexport const a = 1;\n",
        'internal/b.ts': "import { c } from './c.ts';\nexport const b = 2;\n",
        'internal/c.ts': "export { a } from './a.ts';\n",
      }),
    );
    assert.deepEqual(problems, ['import cycle: internal/a.ts -> internal/b.ts -> internal/c.ts -> internal/a.ts']);
  });

  it('reports a module missing from the layer table', () => {
    const problems = check(tree({ ...CLEAN, 'gadgets/x.ts': 'export const x = 1;\n' }));
    assert.deepEqual(problems, ['gadgets/x.ts: module "gadgets" is not in the layer table (scripts/check-boundaries.ts)']);
  });

  it('reports each of several problems in one tree', () => {
    const problems = check(
      tree({
        ...CLEAN,
        'oci/bad.ts': "import { c } from '../registry/index.ts';\n",
        'copy/net.ts': "import { request } from 'undici';\n",
        'copy/p.ts': "import { q } from './q.ts';\n",
        'copy/q.ts': "import { p } from './p.ts';\n",
      }),
    );
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('oci/bad.ts: module "oci" must not import "registry"')));
    assert.ok(problems.some((p) => p === 'copy/net.ts: only registry/transport may import "undici"'));
    assert.ok(problems.some((p) => p === 'import cycle: copy/p.ts -> copy/q.ts -> copy/p.ts'));
  });
});

describe('helpers', () => {
  it('importsOf finds static, re-export, type-only, multi-line, side-effect and literal dynamic imports', () => {
    const source = [
      "import a from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from \"./c.ts\";",
      'import {',
      '  d,',
      "} from 'pkg/d';",
      "const e = await import('./e.ts');",
      "const notAnImport = 'from \"./f.ts\"';",
      "import './g.ts';",
      "export const h = 'x';",
    ].join('\n');
    assert.deepEqual(importsOf(source), ['./a.ts', '../b.ts', './c.ts', 'pkg/d', './e.ts', './g.ts']);
  });

  it('moduleOf maps files to modules, registry sub-modules included', () => {
    const src = '/repo/src';
    assert.equal(moduleOf(src, '/repo/src/index.ts'), '.');
    assert.equal(moduleOf(src, '/repo/src/oci/digest.ts'), 'oci');
    assert.equal(moduleOf(src, '/repo/src/registry/index.ts'), 'registry');
    assert.equal(moduleOf(src, '/repo/src/registry/auth/token.ts'), 'registry/auth');
    assert.equal(moduleOf(src, '/repo/src/kube/watch/list.ts'), 'kube');
  });

  it('findCycles finds a self-import and two separate cycles', () => {
    const graph = new Map<string, string[]>([
      ['a', ['a']],
      ['b', ['c']],
      ['c', ['b', 'd']],
      ['d', []],
      ['e', ['f']],
      ['f', ['e']],
    ]);
    assert.deepEqual(findCycles(graph), [['a', 'a'], ['b', 'c', 'b'], ['e', 'f', 'e']]);
  });
});
