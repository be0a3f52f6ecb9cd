#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, then type-checks, checks the
# layer boundaries, runs the unit tests and the integration tests against real registries and skopeo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
