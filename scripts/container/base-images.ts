/**
 * The base images of copycat's Dockerfile as the replay (replay.ts) emulates them: `node:<version>-bookworm-slim` is
 * this machine running the project's Node of that exact version; `gcr.io/distroless/nodejs<major>-debian12:nonroot` is
 * rebuilt from the few parts that matter to a Node program (Node, the libraries it links, passwd/group, /tmp).
 * https://github.com/GoogleContainerTools/distroless/tree/main/nodejs
 */
import { chmod, chown, copyFile, link, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { capture } from './process.ts';

/** A base image as the replay emulates it. */
export interface BaseImage {
  /** The Env of the base image's config. */
  env: Record<string, string>;
  /** The base image's WORKDIR. */
  workdir: string;
  /** The base image's USER and ENTRYPOINT, inherited unless the Dockerfile sets its own. */
  user: string | undefined;
  entrypoint: string[] | undefined;
  /** RUN steps execute on this machine (a Debian with the tools the build uses); false for an image without a shell. */
  runsOnHost: boolean;
  /** What stands in for the real image, for the log. */
  note: string;
}

/** Env of the distroless base images (their config sets these two). */
const DISTROLESS_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' };

/** The distroless `nonroot` user; its home is not writable under a read-only root filesystem. */
export const DISTROLESS_NONROOT = { uid: 65532, gid: 65532, home: '/home/nonroot' };

/**
 * Prepares `root` as the base `image` would leave it. `node:<version>-bookworm-slim` is this machine (RUN runs here)
 * with `node` at the given version, which must be the running Node's; `gcr.io/distroless/nodejs<major>-debian12`
 * (`:nonroot`, optionally by digest) is rebuilt from its parts: Node at /nodejs/bin/node with the shared libraries
 * it links, /etc/passwd and /etc/group with root and nonroot, /tmp (1777), /home/nonroot, and mount points for /dev
 * and /proc. No shell, as in the real image. Anything else is an error.
 */
export async function emulateBase(image: string, root: string, node: string): Promise<BaseImage> {
  const slim = /^node:(\d+\.\d+\.\d+)-bookworm-slim$/.exec(image);
  if (slim) {
    const version = (await capture(node, ['--version'])).trim();
    if (version !== `v${slim[1]}`) throw new Error(`replay: ${image} needs Node ${slim[1]}, the stand-in ${node} is ${version}`);
    await mkdir(root, { recursive: true });
    // The host's PATH without any node_modules/.bin: the steps see the stage's own tools only, as in the image.
    const hostPath = (process.env['PATH'] ?? '/usr/bin:/bin').split(':').filter((p) => p !== '' && !p.endsWith('node_modules/.bin'));
    return { env: { PATH: [dirname(node), ...hostPath].join(':') }, workdir: '/', user: undefined, entrypoint: ['docker-entrypoint.sh'], runsOnHost: true, note: `this machine with Node ${version} (${node})` };
  }
  const distroless = /^gcr\.io\/distroless\/nodejs(\d+)-debian12:nonroot(@sha256:[0-9a-f]{64})?$/.exec(image);
  if (distroless) {
    const version = (await capture(node, ['--version'])).trim();
    if (!version.startsWith(`v${distroless[1]}.`)) throw new Error(`replay: ${image} has Node ${distroless[1]}, the stand-in ${node} is ${version}`);
    for (const d of ['nodejs/bin', 'etc', 'tmp', 'dev', 'proc', 'home/nonroot']) await mkdir(join(root, d), { recursive: true });
    await chmod(root, 0o755); // whatever the umask: the image's user must be able to traverse /
    await chmod(join(root, 'tmp'), 0o1777);
    await chown(join(root, 'home/nonroot'), DISTROLESS_NONROOT.uid, DISTROLESS_NONROOT.gid);
    await chmod(join(root, 'home/nonroot'), 0o700);
    await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n');
    await writeFile(join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n');
    await linkOrCopy(node, join(root, 'nodejs/bin/node'));
    for (const lib of await sharedLibraries(node)) {
      await mkdir(join(root, dirname(lib)), { recursive: true });
      await copyFile(lib, join(root, lib)); // follows symlinks: the file the loader would open
    }
    return { env: { ...DISTROLESS_ENV }, workdir: '/home/nonroot', user: String(DISTROLESS_NONROOT.uid), entrypoint: ['/nodejs/bin/node'], runsOnHost: false, note: `Node ${version} (${node}) with its shared libraries, passwd/group with nonroot, /tmp, no shell` };
  }
  throw new Error(`replay: no emulation of the base image "${image}" (add one to scripts/container/base-images.ts)`);
}

/** Hard-links `src` to `dest` (same filesystem), else copies it. */
async function linkOrCopy(src: string, dest: string): Promise<void> {
  try {
    await link(src, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(src, dest);
  }
  if (!((await stat(dest)).mode & 0o111)) throw new Error(`replay: ${dest} is not executable`);
}

/** The shared libraries `binary` loads (and the loader), from `ldd`. */
async function sharedLibraries(binary: string): Promise<string[]> {
  const out = await capture('ldd', [binary]);
  return [...out.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)].map((m) => m[1]!);
}
