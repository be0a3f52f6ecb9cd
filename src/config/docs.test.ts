import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import {
  CONFIG_SCHEMA_DOC,
  README_TABLE_BEGIN,
  README_TABLE_END,
  renderConfigTable,
  renderReadmeConfigTable,
  summarize,
  TABLE_BEGIN,
  TABLE_END,
  withRenderedReadmeTable,
  withRenderedTable,
} from './docs.ts';
import { CONFIG_DOC_PATH, GENERATED_DOCS, README_PATH } from './generate-docs.ts';
import { SETTINGS } from './settings.ts';
import { load } from './test-support.fixture.ts';

describe('CONFIG_SCHEMA_DOC', () => {
  it('has one row per key, each documented', () => {
    const keys = CONFIG_SCHEMA_DOC.map((r) => r.key);
    assert.equal(new Set(keys).size, keys.length, 'keys are unique');
    for (const row of CONFIG_SCHEMA_DOC) {
      assert.ok(row.description.length > 20, `${row.key} has a description`);
      assert.ok(row.type !== '', `${row.key} has a type`);
      assert.ok(row.inFile || row.env, `${row.key} is settable somewhere`);
    }
  });

  it('lists every env var k8s-copycat reads (inventory §1.3)', () => {
    const envs = new Set(CONFIG_SCHEMA_DOC.flatMap((r) => (r.env ? [r.env] : [])));
    const upstream = [
      'TARGET_KIND', 'ECR_ACCOUNT_ID', 'AWS_REGION', 'ECR_REPO_PREFIX', 'ECR_CREATE_REPO', 'TARGET_REGISTRY', 'TARGET_REPO_PREFIX',
      'TARGET_INSECURE', 'TARGET_USERNAME', 'TARGET_PASSWORD', 'DIGEST_PULL', 'DIGEST_PULL_IGNORED_TAGS', 'IGNORE_MISSING_PLATFORMS',
      'CHECK_NODE_PLATFORM', 'MIRROR_PLATFORMS', 'ALLOW_DIFFERENT_DIGEST_REPUSH', 'INCLUDE_NAMESPACES', 'SKIP_NAMESPACES',
      'SKIP_DEPLOYMENTS', 'SKIP_STATEFULSETS', 'SKIP_DAEMONSETS', 'SKIP_JOBS', 'SKIP_CRONJOBS', 'SKIP_PODS', 'EXCLUDE_REGISTRIES',
      'WATCH_RESOURCES', 'DRY_RUN', 'DRY_PULL', 'REGISTRY_REQUEST_TIMEOUT', 'REGISTRY_RETRY_ATTEMPTS', 'REGISTRY_RETRY_BACKOFF',
      'FAILURE_COOLDOWN_MINUTES', 'FORCE_RECONCILE_MINUTES', 'MAX_CONCURRENT_RECONCILES', 'METRICS_ADDR', 'CONFIG_PATH',
    ];
    assert.deepEqual(upstream.filter((e) => !envs.has(e)), []);
    // Settings copycat adds beyond k8s-copycat; anything else would be an undocumented addition.
    const copycatOnly = ['SPARSE_INDEX_FALLBACK', 'USE_POD_PULL_SECRETS'];
    assert.deepEqual([...envs].filter((e) => !upstream.includes(e)).sort(), copycatOnly);
  });

  it('marks exactly the keys copycat adds as "copycat only."', () => {
    const marked = CONFIG_SCHEMA_DOC.filter((r) => r.description.startsWith('copycat only. ')).map((r) => r.key);
    assert.deepEqual(marked.sort(), [
      'ecr.encryption.kmsKey', 'ecr.encryption.type', 'ecr.imageTagMutability', 'ecr.registry', 'ecr.scanOnPush', 'ecr.tags',
      'sparseIndexFallback', 'usePodPullSecrets',
    ]);
  });
});

describe('renderConfigTable', () => {
  it('renders a header and one row per key, escaping pipes', () => {
    const lines = renderConfigTable().trimEnd().split('\n');
    assert.equal(lines.length, CONFIG_SCHEMA_DOC.length + 2);
    assert.equal(lines[0], '| File key | Env var | Type | Default | Description |');
    assert.ok(lines.includes('| `registryRetryAttempts` | `REGISTRY_RETRY_ATTEMPTS` | integer | `3` | Total attempts for a push that fails with a retryable error. Must be greater than zero. |'));
    // Every row has exactly five cells: no unescaped | inside a cell.
    for (const line of lines) assert.equal(line.split(/(?<!\\)\|/).length, 7, line);
  });
});

describe('docs/configuration.md', () => {
  it('contains exactly the rendered table (run node src/config/generate-docs.ts to update it)', () => {
    const doc = readFileSync(CONFIG_DOC_PATH, 'utf8');
    const begin = doc.indexOf(TABLE_BEGIN);
    const end = doc.indexOf(TABLE_END);
    assert.ok(begin >= 0 && end > begin, 'markers present');
    assert.equal(doc.slice(begin + TABLE_BEGIN.length, end), `\n\n${renderConfigTable()}\n`, 'docs/configuration.md is stale: run node src/config/generate-docs.ts');
    assert.equal(withRenderedTable(doc), doc);
  });

  it('withRenderedTable replaces a stale table and refuses a document without markers', () => {
    const stale = `intro\n${TABLE_BEGIN}\nold\n${TABLE_END}\nouttro\n`;
    const fresh = withRenderedTable(stale);
    assert.ok(fresh.startsWith(`intro\n${TABLE_BEGIN}\n\n| File key`));
    assert.ok(fresh.endsWith(`|\n\n${TABLE_END}\nouttro\n`));
    assert.ok(!fresh.includes('\nold\n'));
    assert.throws(() => withRenderedTable('no markers'), (err) => hasCode(err, 'DOCS_MARKERS_MISSING') && /docs\/configuration\.md/.test(err.message));
    assert.throws(() => withRenderedTable(`${TABLE_END}\n${TABLE_BEGIN}\n`), (err) => hasCode(err, 'DOCS_MARKERS_MISSING'));
  });
});

describe('summarize', () => {
  it('keeps the first sentence only', () => {
    assert.equal(summarize('Where images are pushed. Case-insensitive and trimmed.'), 'Where images are pushed.');
    assert.equal(summarize('No full stop at all'), 'No full stop at all');
  });

  it('does not cut inside backticks or parentheses', () => {
    assert.equal(summarize('Deadline in seconds (or `1h30m`. Or more.); 0 disables it. Later.'), 'Deadline in seconds (or `1h30m`. Or more.); 0 disables it.');
    assert.equal(summarize('Sets `a. b` for c. Rest.'), 'Sets `a. b` for c.');
  });

  it('turns the "copycat only." marker into a suffix', () => {
    assert.equal(summarize('copycat only. Scans on push. File only.'), 'Scans on push. *(copycat only)*');
  });
});

describe('renderReadmeConfigTable', () => {
  const lines = renderReadmeConfigTable().trimEnd().split('\n');

  it('has a header and one row of four cells per setting, entry fields left out', () => {
    assert.equal(lines[0], '| Key | Env var | Default | What it does |');
    assert.equal(lines.length, SETTINGS.length + 2);
    for (const line of lines) assert.equal(line.split(/(?<!\\)\|/).length, 6, line);
    assert.ok(!lines.some((l) => l.includes('[].')), 'no registryCredentials[] / pathMap[] field rows');
  });

  it('renders file keys, env-only settings, defaults and summaries', () => {
    assert.ok(lines.includes('| `registryRetryAttempts` | `REGISTRY_RETRY_ATTEMPTS` | `3` | Total attempts for a push that fails with a retryable error. |'));
    assert.ok(lines.includes('| — | `CONFIG_PATH` | `/config/config.yaml` | The YAML config file. |'));
    assert.ok(lines.includes('| `ecr.scanOnPush` | — | `false` | Basic image scanning on push for repositories copycat creates. *(copycat only)* |'));
    assert.ok(lines.includes('| `registryCredentials` | — | — | Credentials for pulling from source registries. |'), 'no dangling "(fields below)"');
  });
});

describe('README.md', () => {
  it('contains exactly the generated configuration table (run node src/config/generate-docs.ts to update it)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    const begin = readme.indexOf(README_TABLE_BEGIN);
    const end = readme.indexOf(README_TABLE_END);
    assert.ok(begin >= 0 && end > begin, `README.md lacks the markers ${README_TABLE_BEGIN} … ${README_TABLE_END}`);
    assert.equal(readme.slice(begin + README_TABLE_BEGIN.length, end), `\n\n${renderReadmeConfigTable()}\n`, 'README.md\'s configuration table is stale: run node src/config/generate-docs.ts');
    assert.equal(withRenderedReadmeTable(readme), readme);
  });

  it('withRenderedReadmeTable replaces a stale table, keeps the text around it and refuses a README without markers', () => {
    const stale = `# intro\n${README_TABLE_BEGIN}\n| old |\n${README_TABLE_END}\n## next\n`;
    const fresh = withRenderedReadmeTable(stale);
    assert.ok(fresh.startsWith(`# intro\n${README_TABLE_BEGIN}\n\n| Key | Env var |`));
    assert.ok(fresh.endsWith(`|\n\n${README_TABLE_END}\n## next\n`));
    assert.ok(!fresh.includes('| old |'));
    assert.equal(withRenderedReadmeTable(fresh), fresh, 'idempotent');
    assert.throws(() => withRenderedReadmeTable('# no markers\n'), (err) => hasCode(err, 'DOCS_MARKERS_MISSING') && /README\.md/.test(err.message));
  });

  it('the generator rewrites both files', () => {
    assert.deepEqual(GENERATED_DOCS.map((d) => d.path), [CONFIG_DOC_PATH, README_PATH]);
  });
});

describe('the example in docs/configuration.md', () => {
  it('loads without errors or warnings', () => {
    const doc = readFileSync(CONFIG_DOC_PATH, 'utf8');
    const example = /## Example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'example block present');
    const { config, warnings } = load(example, { TARGET_KIND: '', TARGET_REGISTRY: '', DOCKERHUB_USERNAME: 'u', DOCKERHUB_PASSWORD: 'p' });
    assert.deepEqual(warnings, []);
    assert.equal(config.docker.registry, 'registry.example.com:5000');
    assert.equal(config.forceReconcileMs, 1_800_000);
    assert.equal(config.registryCredentials.length, 1);
  });
});
