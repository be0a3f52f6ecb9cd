import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePlatform } from './platforms.ts';

describe('normalizePlatform', () => {
  it('defaults the OS to linux', () => {
    assert.equal(normalizePlatform('amd64'), 'linux/amd64');
    assert.equal(normalizePlatform('/arm64'), 'linux/arm64');
    assert.equal(normalizePlatform(' linux/ARM64 '), 'linux/arm64');
  });

  it('keeps variants and reads arch/variant as containerd does', () => {
    assert.equal(normalizePlatform('linux/arm/v7'), 'linux/arm/v7');
    assert.equal(normalizePlatform('arm/v7'), 'linux/arm/v7');
    assert.equal(normalizePlatform('arm64/v8'), 'linux/arm64/v8');
    assert.equal(normalizePlatform('windows/amd64'), 'windows/amd64');
  });

  it('refuses entries that are not platforms', () => {
    assert.throws(() => normalizePlatform(''), /empty platform/);
    assert.throws(() => normalizePlatform('linux/'), /missing architecture/);
    assert.throws(() => normalizePlatform('linux'), /operating system/);
    assert.throws(() => normalizePlatform('linux/arm/'), /empty variant/);
    assert.throws(() => normalizePlatform('a/b/c/d'), /os\/architecture/);
    assert.throws(() => normalizePlatform('linux/amd64,linux/arm64'), /not a valid platform component/);
  });
});
