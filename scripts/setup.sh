#!/usr/bin/env bash
# Installs what copycat's demo and tests need on a fresh Debian machine: the Debian packages
# (docker-registry, skopeo, openssl) when missing, and the npm dependencies (which bring Node 24
# through the `node` devDependency) when node_modules is missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh

if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

node_version=$(node_modules/.bin/node --version)
case "$node_version" in
  v2[4-9].*|v[3-9][0-9].*) ;;
  *) echo "setup: expected Node 24+ from the node devDependency, got $node_version" >&2; exit 1 ;;
esac
