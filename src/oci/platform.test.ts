import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../internal/errors.ts';
import type { Descriptor, Platform } from './descriptor.ts';
import { parseManifest } from './manifest.ts';
import { formatPlatform, isAttestation, normalizePlatform, parsePlatform, platformMatches } from './platform.ts';
import { byDigestPrefix, bytesOf, loadRealManifests } from './real-manifests.fixture.ts';

const P = (os: string, architecture: string, variant?: string, extra: Partial<Platform> = {}): Platform => ({
  architecture,
  os,
  ...(variant !== undefined ? { variant } : {}),
  ...extra,
});

describe('parsePlatform', () => {
  const good: Array<[string, Platform]> = [
    ['linux/amd64', P('linux', 'amd64')],
    ['linux/arm64', P('linux', 'arm64')],
    ['linux/arm64/v8', P('linux', 'arm64')],
    ['linux/arm64/8', P('linux', 'arm64')],
    ['linux/arm64/v9', P('linux', 'arm64', 'v9')],
    ['arm64', P('linux', 'arm64')],
    ['amd64', P('linux', 'amd64')],
    ['x86_64', P('linux', 'amd64')],
    ['aarch64', P('linux', 'arm64')],
    ['arm', P('linux', 'arm', 'v7')],
    ['armhf', P('linux', 'arm', 'v7')],
    ['i686', P('linux', '386')],
    ['s390x', P('linux', 's390x')],
    ['linux/arm', P('linux', 'arm', 'v7')],
    ['linux/arm/v7', P('linux', 'arm', 'v7')],
    ['linux/arm/7', P('linux', 'arm', 'v7')],
    ['linux/arm/v6', P('linux', 'arm', 'v6')],
    ['linux/arm/v5', P('linux', 'arm', 'v5')],
    ['linux/armel', P('linux', 'arm', 'v6')],
    ['linux/armhf', P('linux', 'arm', 'v7')],
    ['linux/x86_64', P('linux', 'amd64')],
    ['linux/x86-64', P('linux', 'amd64')],
    ['linux/amd64/v1', P('linux', 'amd64')],
    ['linux/amd64/v3', P('linux', 'amd64', 'v3')],
    ['linux/i386', P('linux', '386')],
    ['linux/386', P('linux', '386')],
    ['linux/ppc64le', P('linux', 'ppc64le')],
    ['linux/riscv64', P('linux', 'riscv64')],
    ['Linux/AMD64', P('linux', 'amd64')],
    ['LINUX/ARM/V7', P('linux', 'arm', 'v7')],
    ['  linux/amd64  ', P('linux', 'amd64')],
    ['linux/fake', P('linux', 'fake')],
    ['darwin/arm64', P('darwin', 'arm64')],
    ['macos/arm64', P('darwin', 'arm64')],
    ['windows/amd64', P('windows', 'amd64')],
    ['windows/amd64:10.0.17763', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763' })],
    ['windows/amd64:10.0.17763.1234', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763.1234' })],
    ['windows(10.0.17763)/amd64', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763' })],
    ['windows(10.0.17763+win32k)/amd64', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763', 'os.features': ['win32k'] })],
    ['windows(+win32k)/amd64', P('windows', 'amd64', undefined, { 'os.features': ['win32k'] })],
    ['linux/arm/v7:5.10', P('linux', 'arm', 'v7', { 'os.version': '5.10' })],
  ];
  for (const [input, want] of good) {
    it(`parses ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parsePlatform(input), want);
    });
  }

  const bad = [
    '',
    '   ',
    'linux',
    'windows',
    'Darwin',
    'fake',
    'amd65',
    'linux/',
    '/amd64',
    'linux//amd64',
    'linux/amd64/',
    'linux/arm64/v8/extra',
    'linux/am d64',
    'linux/*',
    'linux/amd64:',
    'arm64:10.0',
    'windows()/amd64',
    'windows(10.0.17763)',
    'windows(10.0.17763+)/amd64',
    'linux/amd64:1:2',
    'linux\\amd64',
  ];
  for (const input of bad) {
    it(`rejects ${JSON.stringify(input)} with PLATFORM_INVALID naming it`, () => {
      assert.throws(
        () => parsePlatform(input),
        (e: unknown) => hasCode(e, 'PLATFORM_INVALID') && e.message.includes(JSON.stringify(input)),
      );
    });
  }
});

describe('normalizePlatform', () => {
  const table: Array<[Platform, Platform]> = [
    [P('linux', 'x86_64'), P('linux', 'amd64')],
    [P('linux', 'x86-64'), P('linux', 'amd64')],
    [P('linux', 'AMD64', 'V1'), P('linux', 'amd64')],
    [P('linux', 'amd64', 'v2'), P('linux', 'amd64', 'v2')],
    [P('linux', 'aarch64'), P('linux', 'arm64')],
    [P('linux', 'aarch64', 'v8'), P('linux', 'arm64')],
    [P('linux', 'arm64', 'v8'), P('linux', 'arm64')],
    [P('linux', 'arm64', '8'), P('linux', 'arm64')],
    [P('linux', 'arm64', 'armv8'), P('linux', 'arm64')], // old Docker manifest lists
    [P('linux', 'arm', 'armv7'), P('linux', 'arm', 'v7')],
    [P('linux', 'arm', 'armv6'), P('linux', 'arm', 'v6')],
    [P('linux', 'armhf'), P('linux', 'arm', 'v7')],
    [P('linux', 'armel'), P('linux', 'arm', 'v6')],
    [P('linux', 'armv7l'), P('linux', 'arm', 'v7')],
    [P('linux', 'armv6l'), P('linux', 'arm', 'v6')],
    [P('linux', 'arm'), P('linux', 'arm', 'v7')],
    [P('linux', 'arm', ''), P('linux', 'arm', 'v7')],
    [P('linux', 'arm', '6'), P('linux', 'arm', 'v6')],
    [P('linux', 'i386'), P('linux', '386')],
    [P('linux', 'i686'), P('linux', '386')],
    [P('Linux', 'ppc64le'), P('linux', 'ppc64le')],
    [P('MacOS', 'arm64'), P('darwin', 'arm64')],
    [P('unknown', 'unknown'), P('unknown', 'unknown')],
    [P('windows', 'amd64', undefined, { 'os.version': '10.0.17763.1', 'os.features': ['win32k', 'a', 'win32k'] }), P('windows', 'amd64', undefined, { 'os.version': '10.0.17763.1', 'os.features': ['a', 'win32k'] })],
    [P('linux', 'amd64', undefined, { features: ['sse4', 'aes'], 'os.features': [] }), P('linux', 'amd64', undefined, { features: ['aes', 'sse4'] })],
  ];
  for (const [input, want] of table) {
    it(`normalises ${JSON.stringify(input)}`, () => {
      assert.deepEqual(normalizePlatform(input), want);
    });
  }

  it('does not modify its argument', () => {
    const input = P('linux', 'aarch64', 'v8', { 'os.features': ['b', 'a'] });
    const copy = structuredClone(input);
    normalizePlatform(input);
    assert.deepEqual(input, copy);
  });

  it('is idempotent', () => {
    for (const [input] of table) assert.deepEqual(normalizePlatform(normalizePlatform(input)), normalizePlatform(input));
  });
});

describe('platformMatches', () => {
  const table: Array<[want: string | Platform, have: Platform, match: boolean]> = [
    ['linux/amd64', P('linux', 'amd64'), true],
    ['linux/amd64', P('linux', 'x86_64'), true],
    ['linux/amd64', P('linux', 'amd64', 'v2'), true], // want names no variant
    ['linux/amd64/v2', P('linux', 'amd64'), false],
    ['linux/amd64/v1', P('linux', 'amd64'), true],
    ['linux/amd64', P('linux', 'arm64'), false],
    ['linux/amd64', P('windows', 'amd64'), false],
    ['linux/arm64', P('linux', 'arm64', 'v8'), true],
    ['linux/arm64/v8', P('linux', 'arm64'), true],
    ['linux/arm64/v8', P('linux', 'aarch64'), true],
    ['linux/arm64/v8', P('linux', 'arm64', 'armv8'), true],
    ['linux/arm64/v8', P('linux', 'arm64', 'v9'), true], // arm64/v8 is canonical arm64, which names no variant
    ['linux/arm64', P('linux', 'arm64', 'v9'), true],
    ['linux/arm/v7', P('linux', 'arm'), true],
    ['linux/arm/v7', P('linux', 'arm', 'v7'), true],
    ['linux/arm/v7', P('linux', 'arm', 'armv7'), true],
    ['linux/arm/v7', P('linux', 'arm', 'v6'), false],
    ['linux/arm', P('linux', 'arm', 'v7'), true],
    ['linux/arm', P('linux', 'arm', 'v6'), false], // bare arm means v7
    ['linux/arm/v6', P('linux', 'arm', 'v6'), true],
    ['linux/arm/v6', P('linux', 'armel'), true],
    ['linux/arm/v5', P('linux', 'arm', 'v6'), false],
    ['linux/386', P('linux', 'i386'), true],
    ['linux/amd64', P('unknown', 'unknown'), false],
    ['windows/amd64', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763.1234' }), true],
    ['windows/amd64:10.0.17763', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763.1234' }), true],
    ['windows/amd64:10.0.17763', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763' }), true],
    ['windows/amd64:10.0.17763', P('windows', 'amd64', undefined, { 'os.version': '10.0.20348.1' }), false],
    ['windows/amd64:10.0.1776', P('windows', 'amd64', undefined, { 'os.version': '10.0.17763' }), false],
    ['windows/amd64:10.0.17763', P('windows', 'amd64'), false],
    [P('Linux', 'AArch64'), P('linux', 'arm64', 'v8'), true],
    [P('linux', 'amd64', undefined, { features: ['sse4'] }), P('linux', 'amd64'), true], // features are not compared
    [P('linux', 'amd64', 'v3'), P('linux', 'amd64', 'v3'), true],
    [P('linux', 'amd64', 'v3'), P('linux', 'x86_64'), false],
    [P('linux', 'arm64', 'v8'), P('linux', 'arm64', 'v9'), true], // same as normalizePlatform(want)
  ];
  for (const [want, have, match] of table) {
    const label = typeof want === 'string' ? want : JSON.stringify(want);
    it(`${label} ${match ? 'matches' : 'does not match'} ${JSON.stringify(have)}`, () => {
      const w = typeof want === 'string' ? parsePlatform(want) : want;
      assert.equal(platformMatches(w, have), match);
    });
  }

  it('picks exactly the expected entries of the real Docker manifest list with armvN variants', () => {
    const list = parseManifest(bytesOf(byDigestPrefix(loadRealManifests(), 'ae55d2bd')));
    assert.equal(list.kind, 'index');
    const pick = (spec: string) => list.index.manifests.filter((d) => d.platform && platformMatches(parsePlatform(spec), d.platform)).map((d) => d.digest.slice(7, 15));
    assert.deepEqual(pick('linux/arm64'), ['fb2fc070']);
    assert.deepEqual(pick('linux/arm/v7'), ['07ebe243']);
    assert.deepEqual(pick('linux/amd64'), ['ae1b0e06']);
    assert.deepEqual(pick('linux/arm/v6'), []);
  });
});

describe('formatPlatform', () => {
  const table: Array<[Platform, string]> = [
    [P('linux', 'arm64'), 'linux/arm64'],
    [P('linux', 'arm', 'v7'), 'linux/arm/v7'],
    [P('linux', 'amd64'), 'linux/amd64'],
    [P('windows', 'amd64', undefined, { 'os.version': '10.0.17763.1234', 'os.features': ['win32k'] }), 'windows/amd64:10.0.17763.1234'],
    [P('unknown', 'unknown'), 'unknown/unknown'],
  ];
  for (const [p, s] of table) {
    it(`formats ${s}`, () => assert.equal(formatPlatform(p), s));
  }

  for (const s of ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/amd64/v3', 'windows/amd64:10.0.17763', 'linux/s390x']) {
    it(`round-trips ${s}`, () => assert.equal(formatPlatform(parsePlatform(s)), s));
  }
});

describe('isAttestation', () => {
  const docs = loadRealManifests();
  const entries = (prefix: string): Descriptor[] => {
    const parsed = parseManifest(bytesOf(byDigestPrefix(docs, prefix)));
    assert.equal(parsed.kind, 'index');
    return parsed.index.manifests;
  };

  it('finds the three BuildKit attestation manifests of the spegel index', () => {
    const flags = entries('d8df0436').map(isAttestation);
    assert.deepEqual(flags, [false, false, false, false, true, true, true]);
  });

  it('treats unknown/unknown entries (BuildKit "builder" references) as attestations', () => {
    assert.deepEqual(entries('7ceb9b6b').map(isAttestation), [false, false, true, true]);
  });

  it('finds none in plain multi-platform lists', () => {
    assert.deepEqual(entries('6e40af1c').filter(isAttestation), []);
    assert.deepEqual(entries('d59976e8').filter(isAttestation), []);
  });

  it('uses the annotation even when the platform looks real, and needs both unknowns otherwise', () => {
    const base = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 1 };
    assert.equal(isAttestation({ ...base, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }, platform: P('linux', 'amd64') }), true);
    assert.equal(isAttestation({ ...base, platform: P('unknown', 'amd64') }), false);
    assert.equal(isAttestation({ ...base, platform: P('linux', 'unknown') }), false);
    assert.equal(isAttestation(base), false);
  });
});
