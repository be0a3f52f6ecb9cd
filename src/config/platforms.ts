/**
 * `mirrorPlatforms` entries (inventory §3.4). They stay strings here, in the canonical lowercase form
 * `os/arch[/variant]`; the controller parses them with `src/oci` (config may not import it).
 */

// Go's GOOS values: a lone entry naming one of these is an OS, not an architecture.
const KNOWN_OS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'illumos', 'ios', 'js', 'linux', 'netbsd', 'openbsd',
  'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);
// Go's GOARCH values: `arm/v7` is architecture/variant (as containerd's platforms.Parse reads it).
const KNOWN_ARCH: ReadonlySet<string> = new Set([
  '386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mips64', 'mips64le', 'mipsle', 'ppc64', 'ppc64le',
  'riscv64', 's390x', 'sparc64', 'wasm',
]);
const PART = /^[a-z0-9._-]+$/;

/**
 * Normalises one platform entry to `os/arch[/variant]`, lowercase: `amd64` → `linux/amd64`,
 * `/arm64` → `linux/arm64` (an empty OS means linux, as upstream), `linux/arm/v7` kept, and
 * `arm/v7` → `linux/arm/v7` — upstream read that as OS `arm`, architecture `v7`, which matches
 * nothing (inventory §3.4, §7.2). Throws an `Error` with the reason for an entry that is not a
 * platform.
 */
export function normalizePlatform(value: string): string {
  const parts = value
    .trim()
    .toLowerCase()
    .split('/')
    .map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '') throw new Error('empty platform');
  let os: string;
  let arch: string;
  let variant: string | undefined;
  if (parts.length === 1) {
    os = 'linux';
    arch = parts[0] ?? '';
    if (KNOWN_OS.has(arch)) throw new Error(`"${arch}" is an operating system; write ${arch}/<architecture>`);
  } else if (parts.length === 2) {
    const [first = '', second = ''] = parts;
    if (KNOWN_ARCH.has(first) && /^v[0-9]+$/.test(second)) {
      os = 'linux';
      arch = first;
      variant = second;
    } else {
      os = first === '' ? 'linux' : first;
      arch = second;
    }
  } else if (parts.length === 3) {
    [os = '', arch = '', variant] = parts;
    if (os === '') os = 'linux';
    if (variant === '') throw new Error('empty variant');
  } else {
    throw new Error('expected os/architecture[/variant]');
  }
  if (arch === '') throw new Error('missing architecture');
  for (const part of [os, arch, variant]) {
    if (part !== undefined && !PART.test(part)) throw new Error(`"${part}" is not a valid platform component`);
  }
  return variant === undefined ? `${os}/${arch}` : `${os}/${arch}/${variant}`;
}
