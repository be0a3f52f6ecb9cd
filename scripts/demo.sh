#!/usr/bin/env bash
# The self-contained demo on a fresh machine: installs what it needs, starts a local "upstream" registry
# seeded with a multi-arch image and a local mirror registry, runs `copycat sync` and `copycat verify` over
# an example workload (demo/workload.yaml), checks every digest with skopeo, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent demo
