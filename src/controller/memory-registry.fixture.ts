// Test-only: a small OCI distribution registry in memory on a real `node:http` server, so the controller's
// unit tests drive the real RegistryClient and Copier and can count requests (k8s-copycat's pusher tests
// counted HEADs and GETs on fakes). Behaves like distribution 2.8 where it matters here: digests checked on
// push, an index with an absent child refused with MANIFEST_BLOB_UNKNOWN (unless `acceptSparse`).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the registry answered. */
export interface LoggedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  status: number;
}

/** A scripted failure: the next `times` matching requests get `status` (with `headers`), after `delayMs`. */
export interface Fault {
  method?: string;
  path: RegExp;
  /** 0: answer normally (after `delayMs`). */
  status: number;
  delayMs?: number;
  /** With status 0: answer normally but leave these response headers out (lower case). */
  dropHeaders?: string[];
  times?: number;
  headers?: Record<string, string>;
  code?: string;
}

/** A stored manifest. */
interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

/** A running in-memory registry. */
export interface MemoryRegistry {
  /** `127.0.0.1:PORT` (loopback: the client speaks plain HTTP to it). */
  host: string;
  requests: LoggedRequest[];
  /** Requests with this method whose path matches. */
  count(method: string, path?: RegExp): number;
  /** Adds a fault (see {@link Fault}). */
  fail(fault: Fault): void;
  /** Stores a manifest (and tags it), bypassing HTTP; returns its digest. */
  putManifest(repo: string, bytes: Buffer, mediaType: string, tag?: string): string;
  /** Stores a blob, bypassing HTTP; returns its digest. */
  putBlob(repo: string, bytes: Buffer): string;
  /** Repositories holding anything. */
  repositories(): string[];
  /** The digest a tag points to. */
  tagOf(repo: string, tag: string): string | undefined;
  hasManifest(repo: string, digest: string): boolean;
  /** Blob uploads committed through HTTP. */
  uploads: number;
  /** Manifest PUTs accepted through HTTP. */
  manifestPuts: number;
  close(): Promise<void>;
}

/** Options of {@link startMemoryRegistry}. */
export interface MemoryRegistryOptions {
  /** Accept an index whose children are absent (many registries do; distribution 2.8 does not). */
  acceptSparse?: boolean;
  /** Require HTTP basic auth with these credentials on every request (401 `UNAUTHORIZED` otherwise), as distribution's htpasswd auth. */
  basicAuth?: { username: string; password: string };
}

/** `sha256:<hex>` of some bytes. */
export const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const BLOB_PATH = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/;
const UPLOAD_START = /^\/v2\/(.+)\/blobs\/uploads\/?$/;
const UPLOAD_PATH = /^\/v2\/(.+)\/blobs\/uploads\/([a-f0-9-]+)$/;

/** Starts the registry on an ephemeral loopback port. */
export async function startMemoryRegistry(options: MemoryRegistryOptions = {}): Promise<MemoryRegistry> {
  const manifests = new Map<string, Map<string, StoredManifest>>(); // repo → digest → manifest
  const tags = new Map<string, Map<string, string>>(); // repo → tag → digest
  const blobs = new Map<string, Map<string, Buffer>>(); // repo → digest → bytes
  const sessions = new Map<string, Buffer[]>();
  const requests: LoggedRequest[] = [];
  const faults: Fault[] = [];
  const state = { uploads: 0, manifestPuts: 0 };

  const repoMap = <T>(m: Map<string, Map<string, T>>, repo: string): Map<string, T> => {
    let r = m.get(repo);
    if (!r) {
      r = new Map();
      m.set(repo, r);
    }
    return r;
  };
  const storeManifest = (repo: string, bytes: Buffer, mediaType: string, tag?: string): string => {
    const digest = sha256(bytes);
    repoMap(manifests, repo).set(digest, { bytes, mediaType, digest });
    if (tag !== undefined) repoMap(tags, repo).set(tag, digest);
    return digest;
  };
  const storeBlob = (repo: string, bytes: Buffer): string => {
    const digest = sha256(bytes);
    repoMap(blobs, repo).set(digest, bytes);
    return digest;
  };
  const findManifest = (repo: string, ref: string): StoredManifest | undefined => {
    const digest = ref.startsWith('sha256:') ? ref : tags.get(repo)?.get(ref);
    return digest === undefined ? undefined : manifests.get(repo)?.get(digest);
  };

  let drop: string[] = [];
  const send = (res: ServerResponse, status: number, headers: Record<string, string | number> = {}, body?: Buffer | string): void => {
    for (const h of drop) delete headers[h];
    res.writeHead(status, headers);
    res.end(body);
  };
  const error = (res: ServerResponse, status: number, code: string, message = code.toLowerCase()): void => {
    const body = JSON.stringify({ errors: [{ code, message }] });
    send(res, status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const fault = faults.find((f) => (f.method === undefined || f.method === method) && f.path.test(path) && (f.times === undefined || f.times > 0));
    drop = fault?.dropHeaders ?? [];
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    }
    if (fault && fault.status !== 0) {
      const payload = JSON.stringify({ errors: [{ code: fault.code ?? 'UNKNOWN', message: 'injected' }] });
      return send(res, fault.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...fault.headers }, method === 'HEAD' ? undefined : payload);
    }
    if (options.basicAuth !== undefined) {
      const want = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
      if (req.headers.authorization !== want) {
        const payload = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
        return send(res, 401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'www-authenticate': 'Basic realm="memory"' }, method === 'HEAD' ? undefined : payload);
      }
    }
    if (path === '/v2/' || path === '/v2') return send(res, 200, { 'content-length': 2 }, '{}');
    let m = MANIFEST_PATH.exec(path);
    if (m) {
      const [, repo = '', ref = ''] = m;
      if (method === 'GET' || method === 'HEAD') {
        const found = findManifest(repo, ref);
        if (!found) return error(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
        return send(res, 200, { 'content-type': found.mediaType, 'content-length': found.bytes.length, 'docker-content-digest': found.digest }, method === 'GET' ? found.bytes : undefined);
      }
      if (method === 'PUT') {
        const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
        const digest = sha256(body);
        if (ref.startsWith('sha256:') && ref !== digest) return error(res, 400, 'DIGEST_INVALID');
        const doc = JSON.parse(body.toString('utf8')) as { manifests?: Array<{ digest: string }>; config?: { digest: string }; layers?: Array<{ digest: string }> };
        if (doc.manifests && !options.acceptSparse) {
          for (const c of doc.manifests) if (!manifests.get(repo)?.has(c.digest)) return error(res, 400, 'MANIFEST_BLOB_UNKNOWN', `blob unknown to registry: ${c.digest}`);
        }
        for (const b of [doc.config, ...(doc.layers ?? [])]) if (b && !blobs.get(repo)?.has(b.digest)) return error(res, 400, 'MANIFEST_BLOB_UNKNOWN', `blob unknown to registry: ${b.digest}`);
        storeManifest(repo, body, mediaType, ref.startsWith('sha256:') ? undefined : ref);
        state.manifestPuts++;
        return send(res, 201, { 'docker-content-digest': digest, location: `/v2/${repo}/manifests/${digest}`, 'content-length': 0 });
      }
    }
    m = BLOB_PATH.exec(path);
    if (m && (method === 'GET' || method === 'HEAD')) {
      const [, repo = '', digest = ''] = m;
      const bytes = blobs.get(repo)?.get(digest);
      if (!bytes) return error(res, 404, 'BLOB_UNKNOWN', 'blob unknown');
      return send(res, 200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, 'docker-content-digest': digest }, method === 'GET' ? bytes : undefined);
    }
    m = UPLOAD_START.exec(path);
    if (m && method === 'POST') {
      const [, repo = ''] = m;
      const mount = url.searchParams.get('mount');
      const from = url.searchParams.get('from');
      if (mount && from) {
        const bytes = blobs.get(from)?.get(mount);
        if (bytes) {
          repoMap(blobs, repo).set(mount, bytes);
          return send(res, 201, { location: `/v2/${repo}/blobs/${mount}`, 'docker-content-digest': mount, 'content-length': 0 });
        }
      }
      const id = randomUUID();
      sessions.set(id, []);
      return send(res, 202, { location: `/v2/${repo}/blobs/uploads/${id}`, 'docker-upload-uuid': id, range: '0-0', 'content-length': 0 });
    }
    m = UPLOAD_PATH.exec(path);
    if (m) {
      const [, repo = '', id = ''] = m;
      const chunks = sessions.get(id);
      if (!chunks) return error(res, 404, 'BLOB_UPLOAD_UNKNOWN');
      if (method === 'PATCH') {
        chunks.push(body);
        const size = chunks.reduce((n, c) => n + c.length, 0);
        return send(res, 202, { location: `/v2/${repo}/blobs/uploads/${id}`, range: `0-${Math.max(0, size - 1)}`, 'content-length': 0 });
      }
      if (method === 'PUT') {
        chunks.push(body);
        const bytes = Buffer.concat(chunks);
        const digest = url.searchParams.get('digest') ?? '';
        if (sha256(bytes) !== digest) return error(res, 400, 'DIGEST_INVALID');
        sessions.delete(id);
        repoMap(blobs, repo).set(digest, bytes);
        state.uploads++;
        return send(res, 201, { location: `/v2/${repo}/blobs/${digest}`, 'docker-content-digest': digest, 'content-length': 0 });
      }
      if (method === 'DELETE') {
        sessions.delete(id);
        return send(res, 204);
      }
    }
    return error(res, 404, 'NOT_FOUND', `${method} ${path}`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      res.on('finish', () => requests.push({ method: req.method ?? '', path, status: res.statusCode }));
      handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => error(res, 500, 'UNKNOWN', String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    count: (method, path) => requests.filter((r) => r.method === method && (path === undefined || path.test(r.path))).length,
    fail: (f) => faults.push({ ...f }),
    putManifest: storeManifest,
    putBlob: storeBlob,
    repositories: () => [...new Set([...manifests.keys(), ...blobs.keys()])].sort(),
    tagOf: (repo, tag) => tags.get(repo)?.get(tag),
    hasManifest: (repo, digest) => manifests.get(repo)?.has(digest) ?? false,
    get uploads() {
      return state.uploads;
    },
    get manifestPuts() {
      return state.manifestPuts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tiny single-platform OCI image stored in `reg` under `repo` (and `tag`); returns its digest and bytes. */
export function seedImage(reg: MemoryRegistry, repo: string, opts: { tag?: string; architecture?: string; os?: string; seed?: string } = {}): { digest: string; bytes: Buffer; size: number } {
  const architecture = opts.architecture ?? 'amd64';
  const os = opts.os ?? 'linux';
  const layer = Buffer.from(`layer ${repo} ${architecture} ${opts.seed ?? ''}`);
  const config = Buffer.from(JSON.stringify({ architecture, os, rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, seed: opts.seed ?? '' }));
  const layerDigest = reg.putBlob(repo, layer);
  const configDigest = reg.putBlob(repo, config);
  const manifest = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
      },
      null,
      2,
    ),
  );
  const digest = reg.putManifest(repo, manifest, 'application/vnd.oci.image.manifest.v1+json', opts.tag);
  return { digest, bytes: manifest, size: manifest.length };
}

/** A multi-arch OCI index of single images for `platforms` (`os/arch`), stored under `repo:tag`. */
export function seedIndex(reg: MemoryRegistry, repo: string, platforms: readonly string[], opts: { tag?: string; seed?: string } = {}): { digest: string; children: Array<{ platform: string; digest: string }> } {
  const children = platforms.map((p) => {
    const [os = 'linux', architecture = 'amd64'] = p.split('/');
    const image = seedImage(reg, repo, { architecture, os, seed: opts.seed ?? '' });
    return { platform: p, digest: image.digest, size: image.size };
  });
  const index = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: children.map((c) => {
          const [os = 'linux', architecture = 'amd64'] = c.platform.split('/');
          return { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: c.digest, size: c.size, platform: { architecture, os } };
        }),
      },
      null,
      2,
    ),
  );
  const digest = reg.putManifest(repo, index, 'application/vnd.oci.image.index.v1+json', opts.tag);
  return { digest, children: children.map(({ platform, digest: d }) => ({ platform, digest: d })) };
}
