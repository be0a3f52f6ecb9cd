import type { Descriptor, Platform } from './descriptor.ts';
import { OciError } from './errors.ts';

// GOOS / GOARCH values (go/build syslist.go, as containerd/platforms database.go lists them): a lone
// specifier word is accepted only when it is a known architecture, so a typo fails loudly.
const KNOWN_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux',
  'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle',
  'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64',
  's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

// The variant an architecture has when none is written (containerd/platforms platforms.go,
// "ARM Support"): matching compares these effective variants.
const DEFAULT_VARIANT: Record<string, string> = { arm: 'v7', arm64: 'v8', amd64: 'v1' };

// One specifier component, as containerd/platforms accepts them.
const COMPONENT = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses a platform specifier: `os/arch[/variant][:os.version]`, `os(os.version[+feature…])/arch[/variant]`
 * (the containerd form), or a lone architecture such as `arm64` (os defaults to `linux`, the OS of
 * nearly every index entry; a lone OS name is refused because it says nothing about the CPU). The result is normalised
 * ({@link normalizePlatform}).
 *
 * @throws OciError `PLATFORM_INVALID` naming the input.
 */
export function parsePlatform(s: string): Platform {
  const fail = (why: string): never => {
    throw new OciError('PLATFORM_INVALID', `invalid platform ${JSON.stringify(s)}: ${why}`);
  };
  if (typeof s !== 'string' || s.trim() === '') fail('empty');
  let rest = s.trim();
  let osVersion: string | undefined;
  let osFeatures: string[] | undefined;

  const paren = /^([^/()]+)\(([^()]*)\)(\/.*)?$/.exec(rest);
  if (paren) {
    // containerd's `os(version+feature+feature)/arch` form (platforms.go Parse).
    const [version = '', ...features] = (paren[2] ?? '').split('+');
    if (version !== '') osVersion = version;
    if (features.length > 0) osFeatures = features;
    if (osVersion === undefined && osFeatures === undefined) fail('empty parentheses after the os');
    for (const f of features) if (!COMPONENT.test(f)) fail(`os.feature ${JSON.stringify(f)} is empty or has characters outside [A-Za-z0-9_.-]`);
    rest = `${paren[1]}${paren[3] ?? ''}`;
    if (!paren[3]) fail('no architecture after the os');
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon !== -1) {
      osVersion = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (osVersion === '') fail('empty os.version after ":"');
    }
  }
  if (osVersion !== undefined && !COMPONENT.test(osVersion)) fail(`os.version ${JSON.stringify(osVersion)} has characters outside [A-Za-z0-9_.-]`);

  const parts = rest.split('/');
  if (parts.length > 3) fail('expected at most os/arch/variant');
  for (const part of parts) {
    if (part === '') fail('empty component');
    if (!COMPONENT.test(part)) fail(`component ${JSON.stringify(part)} has characters outside [A-Za-z0-9_.-]`);
  }

  let platform: Platform;
  if (parts.length === 1) {
    const word = parts[0] ?? '';
    if (osVersion !== undefined) fail('an os.version needs an os/arch pair');
    if (KNOWN_OS.has(word.toLowerCase())) fail(`${JSON.stringify(word)} is an operating system; say which architecture too, e.g. ${word.toLowerCase()}/amd64`);
    platform = normalizePlatform({ os: 'linux', architecture: word });
    if (!KNOWN_ARCH.has(platform.architecture)) fail(`${JSON.stringify(word)} is neither a known architecture nor os/arch`);
  } else {
    const [os = '', architecture = '', variant] = parts;
    platform = normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
  }
  if (osVersion !== undefined) platform['os.version'] = osVersion;
  if (osFeatures !== undefined) platform = normalizePlatform({ ...platform, 'os.features': osFeatures });
  return platform;
}

/**
 * The canonical form of a platform, following containerd/platforms `Normalize`: lowercase;
 * `macos`→`darwin`; `x86_64`/`x86-64`→`amd64` (variant `v1` dropped); `aarch64`→`arm64` (variant
 * `v8`/`8` dropped); `armhf`→`arm/v7`; `armel`→`arm/v6`; `i386`/`i686`→`386`; `arm` without a variant
 * → `arm/v7`, `arm/7`→`arm/v7`. Beyond containerd it also maps the `uname -m` names `armv7l`/`armv6l`
 * and the `armvN` variant spelling (old Docker manifest lists use `arm/armv7`, `arm64/armv8`).
 * `os.features` and `features` become sorted and unique; `os.version` is kept as is.
 */
export function normalizePlatform(p: Platform): Platform {
  let os = p.os.toLowerCase();
  if (os === 'macos') os = 'darwin';
  let arch = p.architecture.toLowerCase();
  let variant = (p.variant ?? '').toLowerCase();
  if (/^armv\d+$/.test(variant) && (arch === 'arm' || arch === 'arm64' || arch === 'aarch64')) variant = variant.slice(3);
  if (/^\d+$/.test(variant)) variant = `v${variant}`;

  switch (arch) {
    case 'i386':
    case 'i686':
      arch = '386';
      variant = '';
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      arch = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'aarch64':
    case 'arm64':
      arch = 'arm64';
      if (variant === 'v8') variant = '';
      break;
    case 'armhf':
    case 'armv7l':
      arch = 'arm';
      variant = 'v7';
      break;
    case 'armel':
    case 'armv6l':
      arch = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '') variant = 'v7';
      break;
  }

  const out: Platform = { architecture: arch, os };
  if (variant !== '') out.variant = variant;
  if (p['os.version'] !== undefined && p['os.version'] !== '') out['os.version'] = p['os.version'];
  const osFeatures = sortedUnique(p['os.features']);
  if (osFeatures) out['os.features'] = osFeatures;
  const features = sortedUnique(p.features);
  if (features) out.features = features;
  return out;
}

/**
 * True when an index entry's platform `have` is the platform `want` asks for. Both are normalised;
 * os and architecture must be equal; when the normalised `want` has a variant (always for `arm`,
 * whose bare form means v7) the effective variants must be equal (`arm64` ≙ `arm64/v8`,
 * `amd64` ≙ `amd64/v1`); when it has none, any variant of that architecture matches, so
 * `linux/arm64/v8` — canonically `linux/arm64` — also matches an `arm64/v9` entry;
 * `os.version` counts only when `want` sets it, and then `have` must equal it or extend it
 * (`10.0.17763` matches `10.0.17763.1234`). Features are not compared.
 */
export function platformMatches(want: Platform, have: Platform): boolean {
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  if (w.os !== h.os || w.architecture !== h.architecture) return false;
  // Compare the normalised want only, so platformMatches(want, x) === platformMatches(normalizePlatform(want), x).
  if (w.variant !== undefined && effectiveVariant(w) !== effectiveVariant(h)) return false;
  const wantVersion = w['os.version'];
  if (wantVersion !== undefined) {
    const haveVersion = h['os.version'];
    if (haveVersion === undefined) return false;
    if (haveVersion !== wantVersion && !haveVersion.startsWith(`${wantVersion}.`)) return false;
  }
  return true;
}

/** Formats a platform as `os/arch[/variant][:os.version]`, e.g. `linux/arm64`, `linux/arm/v7`; {@link parsePlatform} reads it back. */
export function formatPlatform(p: Platform): string {
  let s = `${p.os}/${p.architecture}`;
  if (p.variant) s += `/${p.variant}`;
  if (p['os.version']) s += `:${p['os.version']}`;
  return s;
}

/**
 * True for index entries that are not runnable images: BuildKit attestation manifests
 * (annotation `vnd.docker.reference.type: attestation-manifest`) and anything with platform
 * `unknown/unknown` (BuildKit's placeholder for attestations and other non-image entries).
 */
export function isAttestation(d: Descriptor): boolean {
  if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return d.platform?.os === 'unknown' && d.platform.architecture === 'unknown';
}

function effectiveVariant(p: Platform): string {
  return p.variant ?? DEFAULT_VARIANT[p.architecture] ?? '';
}

function sortedUnique(list: string[] | undefined): string[] | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return [...new Set(list)].sort();
}
