import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPlatform, parsePlatform } from '../oci/index.ts';
import { desiredPlatforms, isMissingPlatformIgnored, nodePlatformOf, nodePlatformUnlisted, parseMirrorPlatforms, platformKey } from './platforms.ts';

describe('platforms (§3.4, §3.5)', () => {
  it('TestParsePlatformSpecDefaultsToLinux: a lone architecture means linux', () => {
    assert.deepEqual(parseMirrorPlatforms(['amd64']).map(formatPlatform), ['linux/amd64']);
  });

  it('TestParseMirrorPlatformsDeduplicates: spellings of one platform count once; bad entries are reported and dropped', () => {
    const invalid: string[] = [];
    const parsed = parseMirrorPlatforms(['linux/amd64', 'amd64', 'linux/ARM64', '', 'linux/x86_64'], (e) => invalid.push(e));
    assert.deepEqual(parsed.map(formatPlatform), ['linux/amd64', 'linux/arm64']);
    assert.deepEqual(invalid, ['']);
  });

  it('TestDesiredPlatformsPrioritizesNode: node amd64 + [linux/arm64] → amd64, arm64', () => {
    const node = nodePlatformOf({ os: 'linux', architecture: 'amd64' });
    assert.deepEqual(desiredPlatforms(node, parseMirrorPlatforms(['linux/arm64'])).map(formatPlatform), ['linux/amd64', 'linux/arm64']);
    assert.deepEqual(desiredPlatforms(node, parseMirrorPlatforms(['amd64', 'arm64'])).map(formatPlatform), ['linux/amd64', 'linux/arm64']);
    assert.deepEqual(desiredPlatforms(undefined, []), []);
  });

  it('a node without an architecture has no platform; a node without an OS is linux', () => {
    assert.equal(nodePlatformOf({ os: 'linux', architecture: '' }), undefined);
    assert.equal(nodePlatformOf(undefined), undefined);
    assert.equal(formatPlatform(nodePlatformOf({ os: '', architecture: 'aarch64' })!), 'linux/arm64');
  });

  it('nodePlatformUnlisted: only when mirrorPlatforms is set and lacks the node', () => {
    const node = nodePlatformOf({ os: 'linux', architecture: 'arm64' });
    assert.equal(nodePlatformUnlisted(node, []), false);
    assert.equal(nodePlatformUnlisted(node, parseMirrorPlatforms(['amd64'])), true);
    assert.equal(nodePlatformUnlisted(node, parseMirrorPlatforms(['arm64'])), false);
  });

  it('TestIgnoreMissingPlatformLog: patterns run unanchored on `<source>|<os/arch>`', () => {
    const patterns = [/^registry\.gitlab\.com\/.+\|linux\/arm64$/];
    assert.equal(isMissingPlatformIgnored(patterns, 'registry.gitlab.com/org/app:1.0.0', 'linux/arm64'), true);
    assert.equal(isMissingPlatformIgnored(patterns, 'registry.gitlab.com/org/app:1.0.0', 'linux/amd64'), false);
    assert.equal(isMissingPlatformIgnored([/arm/g], 'x', 'linux/arm64'), true);
    assert.equal(isMissingPlatformIgnored([/arm/g], 'x', 'linux/arm64'), true, 'a global regex is reset between calls');
  });

  it('platformKey normalises', () => {
    assert.equal(platformKey(parsePlatform('linux/aarch64')), 'linux/arm64');
  });
});
