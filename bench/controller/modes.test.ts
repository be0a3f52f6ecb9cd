import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigWithWarnings } from '../../src/config/index.ts';
import { controllerConfigYaml, MODES, parseModes } from './modes.ts';

test('parseModes keeps the order given and refuses unknown names', () => {
  assert.deepEqual(parseModes('digest, tag').map((m) => m.name), ['digest', 'tag']);
  assert.throws(() => parseModes('tag,fast'), /unknown mode "fast"/);
  assert.throws(() => parseModes(' , '), /at least one/);
});

test('the config file each mode writes loads with the real loader and means what the mode says', () => {
  for (const mode of Object.values(MODES)) {
    const text = controllerConfigYaml(mode, '127.0.0.1:5001', { maxConcurrentReconciles: 4, logLevel: 'warn' });
    const { config, warnings } = loadConfigWithWarnings({ path: 'bench.yaml', env: {}, readFile: () => text });
    assert.deepEqual(warnings, []);
    assert.equal(config.targetKind, 'docker');
    assert.equal(config.docker.registry, '127.0.0.1:5001');
    assert.equal(config.docker.insecure, true);
    assert.equal(config.digestPull, mode.digestPull);
    assert.equal(config.checkNodePlatform, mode.checkNodePlatform);
    assert.equal(config.maxConcurrentReconciles, 4);
    assert.equal(config.logLevel, 'warn');
  }
  const defaults = loadConfigWithWarnings({ path: 'bench.yaml', env: {}, readFile: () => controllerConfigYaml(MODES.tag, '127.0.0.1:5001') }).config;
  assert.equal(defaults.maxConcurrentReconciles, 2, 'left at the configuration default unless asked');
});
