#!/usr/bin/env bash
# Makes sure the Debian packages the integration tests run for real are installed:
#   docker-registry (CNCF distribution 2.8, the registry under test), skopeo (the independent
#   oracle), openssl (issues the token server's certificate), chromium (the status page's browser
#   test, driven by playwright-core), unzip (unpacks the helm binary the chart tests run).
# Idempotent and quiet: does nothing when every binary is already on PATH. Otherwise runs
# `apt-get update` + `apt-get install -y` for the missing packages only (as root, or via
# passwordless sudo), then stops the docker-registry service the package may have auto-started,
# because tests start their own registries on ephemeral ports.
set -euo pipefail

log() { printf 'ensure-system-deps: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# binary:package pairs
required=(docker-registry:docker-registry skopeo:skopeo openssl:openssl chromium:chromium unzip:unzip)

missing=()
for pair in "${required[@]}"; do
  binary=${pair%%:*}
  package=${pair#*:}
  command -v "$binary" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

command -v apt-get >/dev/null 2>&1 ||
  die "missing ${missing[*]} and apt-get is not available; install them by hand (Debian/Ubuntu packages: ${missing[*]})"

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  die "missing ${missing[*]}; run this script as root (or with passwordless sudo) to apt-get install them"
fi

log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_log=$(mktemp)
trap 'rm -f "$apt_log"' EXIT
"${as_root[@]}" apt-get update -qq >"$apt_log" 2>&1 ||
  { cat "$apt_log" >&2; die "apt-get update failed"; }
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1 ||
  { cat "$apt_log" >&2; die "apt-get install ${missing[*]} failed"; }

for pair in "${required[@]}"; do
  binary=${pair%%:*}
  command -v "$binary" >/dev/null 2>&1 || die "$binary is still not on PATH after installing ${missing[*]}"
done

# The docker-registry package ships a systemd unit and an init script and may start a registry on
# :5000 at install time. Stop (and disable) it: only when we just installed the package, and only
# through the init system, never by killing processes by name.
for package in "${missing[@]}"; do
  [ "$package" = docker-registry ] || continue
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    "${as_root[@]}" systemctl stop docker-registry.service >/dev/null 2>&1 || true
    "${as_root[@]}" systemctl disable docker-registry.service >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/docker-registry ]; then
    "${as_root[@]}" /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
  fi
done

log "installed ${missing[*]}: $(docker-registry --version 2>/dev/null | head -n1); $(skopeo --version 2>/dev/null)"
