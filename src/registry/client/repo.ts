/** A repository on a registry: what every registry operation is addressed to. */
export interface Repo {
  /** Canonical registry name (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** Path inside the registry (`library/nginx`). */
  readonly repository: string;
}

/** The `repository:<name>:<actions>` scope a token must grant (distribution token scope grammar). */
export function scopeOf(repo: Repo, actions: 'pull' | 'push' | 'pull,push'): string {
  return `repository:${repo.repository}:${actions}`;
}

/** Encodes a repository path for a URL: each component escaped, slashes kept. */
export function repoPath(repo: Repo): string {
  return repo.repository.split('/').map(encodeURIComponent).join('/');
}
