export { RegistryClient, DEFAULT_MAX_MANIFEST_BYTES, nextLink } from './client.ts';
export type { RegistryClientOptions, FetchedManifest, ManifestHead } from './client.ts';
export type { BlobReadOptions } from './blob-read.ts';
export type { UploadMode, UploadOptions } from './blob-upload.ts';
export { parseRateLimit } from './rate-limit.ts';
export type { RateLimitInfo } from './rate-limit.ts';
export { scopeOf, repoPath } from './repo.ts';
export type { Repo } from './repo.ts';
