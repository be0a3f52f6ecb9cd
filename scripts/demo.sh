#!/usr/bin/env bash
# The self-contained demo on a fresh machine: installs what it needs, then mirrors a multi-arch
# image between two local registries and checks every digest with skopeo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent demo
