#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine to run and test evidock. Idempotent: installs only what is missing,
# so running it again is quick and changes nothing.
#   - system packages: Redis, PostgreSQL (evidock runs both itself, see src/adapters/embedded), ffmpeg,
#     rclone, openssl, and the exFAT/FAT tools used to build and read test "devices";
#   - MinIO server: no Debian package, so it is built from source with `go install` (needs Go >= 1.24);
#   - npm dependencies: `npm ci` from the lockfile.
# Env: EVIDOCK_FORCE_NPM_CI=1 runs `npm ci` even when node_modules matches the lockfile.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# MinIO version pin. The brief asked for commit 9e49d5e7a648f00e26f2246f4dc28e6b07f8c84a, but the Go module
# proxy answers 403 "not available" for it; the only version of github.com/minio/minio it serves is this
# pseudo-version (commit 7aac2a2c5b7c of 2026-02-12), so that is what we build.
MINIO_MODULE="github.com/minio/minio"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"

# chromium (+ fonts, a Chinese one for the page's default language): the web page's end-to-end test drives
# Debian's browser with playwright-core; no browser is downloaded by npm.
# systemd: `systemd-analyze` checks deploy/evidock.service in the tests (it works on unit files without
# systemd running as PID 1).
PACKAGES=(systemd redis-server postgresql ffmpeg rclone openssl exfatprogs exfat-fuse dosfstools fusefat chromium fonts-liberation fonts-wqy-microhei)

say() { printf '[provision] %s\n' "$*"; }
die() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: run this script as root"
  SUDO=(sudo -E)
fi

# --- system packages ---------------------------------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing missing packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "system packages already installed: ${PACKAGES[*]}"
fi

# --- MinIO -------------------------------------------------------------------------------------------
# Same search order as src/adapters/embedded/minio.ts: PATH, then where `go install` puts binaries.
find_minio() {
  if command -v minio >/dev/null 2>&1; then command -v minio; return 0; fi
  local dir
  for dir in "${GOBIN:-}" "${GOPATH:+$GOPATH/bin}" "$HOME/go/bin" /root/go/bin; do
    if [ -n "$dir" ] && [ -x "$dir/minio" ]; then echo "$dir/minio"; return 0; fi
  done
  return 1
}

if minio_bin="$(find_minio)"; then
  say "minio server present: $minio_bin"
else
  command -v go >/dev/null 2>&1 || die "no minio binary and no Go toolchain to build it: install Go >= 1.24 (https://go.dev/dl) and re-run"
  go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
  if ! [[ "$go_minor" =~ ^[0-9]+$ ]] || [ "$go_minor" -lt 24 ]; then
    die "MinIO needs Go >= 1.24, found $(go env GOVERSION): install a newer Go (https://go.dev/dl) and re-run"
  fi
  say "building minio $MINIO_VERSION with go install (several minutes, ~150 MB binary)"
  go install "$MINIO_MODULE@$MINIO_VERSION"
  gobin="$(go env GOBIN)"
  minio_bin="${gobin:-$(go env GOPATH)/bin}/minio"
  [ -x "$minio_bin" ] || die "go install finished but $minio_bin is missing"
  say "built $minio_bin"
fi
if [ "$minio_bin" != /usr/local/bin/minio ] && [ ! -e /usr/local/bin/minio ]; then
  say "linking /usr/local/bin/minio -> $minio_bin"
  "${SUDO[@]}" ln -s "$minio_bin" /usr/local/bin/minio
fi

# --- npm dependencies --------------------------------------------------------------------------------
if [ -f package-lock.json ]; then
  # npm records what it installed in node_modules/.package-lock.json; newer than both manifests means
  # node_modules already matches them, and `npm ci` would only delete and re-download the same files.
  if [ -z "${EVIDOCK_FORCE_NPM_CI:-}" ] && [ -f node_modules/.package-lock.json ] \
    && [ node_modules/.package-lock.json -nt package-lock.json ] && [ node_modules/.package-lock.json -nt package.json ]; then
    say "node_modules matches package-lock.json (set EVIDOCK_FORCE_NPM_CI=1 to reinstall)"
  else
    say "npm ci"
    npm ci --no-audit --no-fund
  fi
else
  say "no package-lock.json: npm install"
  npm install --no-audit --no-fund
fi

say "done"
