import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_SCHEMA_DOC, renderConfigTable, TABLE_BEGIN, TABLE_END, withRenderedTable } from './docs.ts';
import { CONFIG_DOC_PATH } from './generate-docs.ts';
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
    assert.equal(doc.slice(begin + TABLE_BEGIN.length, end), `\n\n${renderConfigTable()}\n`);
    assert.equal(withRenderedTable(doc), doc);
  });

  it('withRenderedTable replaces a stale table and refuses a document without markers', () => {
    const stale = `intro\n${TABLE_BEGIN}\nold\n${TABLE_END}\nouttro\n`;
    const fresh = withRenderedTable(stale);
    assert.ok(fresh.startsWith(`intro\n${TABLE_BEGIN}\n\n| File key`));
    assert.ok(fresh.endsWith(`|\n\n${TABLE_END}\nouttro\n`));
    assert.ok(!fresh.includes('\nold\n'));
    assert.throws(() => withRenderedTable('no markers'), /markers/);
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
