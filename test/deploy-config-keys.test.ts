/**
 * The documented configuration in the deployment files against copycat's own setting table
 * (src/config/settings.ts): the commented `config:` block of the chart's values.yaml and the commented
 * config.yaml of the plain manifests list every file key, with copycat's real defaults (uncommented, they
 * load to exactly the configuration of an empty file, without a warning), and values.schema.json accepts
 * exactly the file keys (plus the two upstream aliases) under `config`.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { loadConfigWithWarnings } from '../src/config/index.ts';
import { SETTINGS } from '../src/config/settings.ts';
import { REPO_ROOT } from './support/helm.ts';
import { parseK8sDocuments } from './support/k8s-schema.ts';

const VALUES = join(REPO_ROOT, 'deploy', 'helm', 'copycat', 'values.yaml');
const SCHEMA = join(REPO_ROOT, 'deploy', 'helm', 'copycat', 'values.schema.json');
const MANIFEST_CONFIGMAP = join(REPO_ROOT, 'deploy', 'manifests', '30-configmap.yaml');

const FILE_KEYS: readonly string[] = SETTINGS.flatMap((s) => (s.file === undefined ? [] : [s.file]));
const ALIASES: readonly string[] = SETTINGS.flatMap((s) => s.fileAliases ?? []);
const ENV_VARS: readonly string[] = SETTINGS.flatMap((s) => (s.env === undefined ? [] : [s.env]));

/**
 * The settings written as comments: `# key: value` lines (not `##` explanations), with `# ` removed and the
 * block's indentation dropped, so nested keys keep their relative indentation.
 */
function uncomment(lines: readonly string[], indent: string): string {
  const out: string[] = [];
  for (const line of lines) {
    const m = /^(\s*)# (.*)$/.exec(line);
    if (m === null) continue;
    const lead = m[1] ?? '';
    assert.ok(lead.startsWith(indent), `commented setting indented less than its block: ${JSON.stringify(line)}`);
    out.push(`${lead.slice(indent.length)}${m[2] ?? ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** The lines after `config: {}` in values.yaml, up to the next top-level line. */
function valuesConfigBlock(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf('config: {}');
  assert.notEqual(start, -1, 'values.yaml has a top-level `config: {}`');
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line !== '' && !/^\s/.test(line)) break;
    block.push(line);
  }
  return block;
}

/** Dot paths of the leaves of a parsed config (an empty map, a list or a scalar is a leaf). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** What an ECR target needs from the environment, so the defaults can load. */
const ENV = { ECR_ACCOUNT_ID: '111111111111', AWS_REGION: 'eu-west-1' };

function assertDefaults(commented: string, where: string): void {
  const parsed: unknown = parseYaml(commented);
  assert.deepEqual(leafPaths(parsed).sort(), [...FILE_KEYS].sort(), `${where}: the commented settings are exactly settings.ts's file keys`);
  const documented = loadConfigWithWarnings({ path: '/config/config.yaml', env: ENV, readFile: () => commented });
  const empty = loadConfigWithWarnings({ path: '/config/config.yaml', env: ENV, readFile: () => '' });
  assert.deepEqual(documented.warnings, [], `${where}: the commented settings load without warnings`);
  assert.deepEqual(documented.config, empty.config, `${where}: every commented value is copycat's default`);
  // Each commented key was read from the file (an unread key would leave its origin "default").
  for (const key of ['targetKind', 'logLevel', 'ecr.createRepo', 'maxConcurrentReconciles', 'usePodPullSecrets', 'checkNodePlatform']) {
    const property = SETTINGS.find((s) => s.file === key)?.property ?? key;
    assert.equal(documented.origins[property], 'file', `${where}: ${key} is read from the file`);
  }
}

describe('documented configuration vs src/config/settings.ts', () => {
  it('values.yaml lists every config file key under config:, each with its default', async () => {
    const text = await readFile(VALUES, 'utf8');
    const values = parseYaml(text) as { config?: unknown };
    assert.deepEqual(values.config, {}, 'nothing is set by default: copycat applies its own defaults');
    assertDefaults(uncomment(valuesConfigBlock(text), '  '), 'values.yaml');
  });

  it("the plain manifests' ConfigMap lists every config file key, each with its default", async () => {
    const docs = parseK8sDocuments(await readFile(MANIFEST_CONFIGMAP, 'utf8'), MANIFEST_CONFIGMAP);
    assert.equal(docs.length, 1);
    const configYaml = (docs[0] as { data: Record<string, string> }).data['config.yaml'];
    assert.equal(typeof configYaml, 'string');
    assertDefaults(uncomment(configYaml!.split('\n'), ''), '30-configmap.yaml');
  });

  it('every env var of the settings is named in values.yaml and in the manifest ConfigMap, and the env-only ones in values.yaml', async () => {
    const values = await readFile(VALUES, 'utf8');
    const manifest = await readFile(MANIFEST_CONFIGMAP, 'utf8');
    for (const env of ENV_VARS) {
      assert.ok(values.includes(env), `values.yaml names ${env}`);
      const envOnly = SETTINGS.find((s) => s.env === env)?.file === undefined;
      if (!envOnly) assert.ok(manifest.includes(env), `30-configmap.yaml names ${env}`);
    }
  });

  it('values.schema.json accepts exactly the config file keys and their aliases under config', async () => {
    interface Schema {
      type?: string | string[];
      properties?: Record<string, Schema>;
      additionalProperties?: unknown;
    }
    const schema = JSON.parse(await readFile(SCHEMA, 'utf8')) as Schema;
    const config = schema.properties?.config;
    assert.ok(config);
    const paths = (s: Schema, prefix: string): string[] => {
      if (s.properties === undefined || s.additionalProperties !== false) return [prefix];
      return Object.entries(s.properties).flatMap(([k, v]) => paths(v, prefix === '' ? k : `${prefix}.${k}`));
    };
    // ecr.tags is a free map: it stays a leaf because it allows additional properties.
    assert.deepEqual(paths(config, '').sort(), [...FILE_KEYS, ...ALIASES].sort());
    assert.equal(schema.additionalProperties, false, 'unknown top-level keys are refused');
  });
});
