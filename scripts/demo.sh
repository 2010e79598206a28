#!/usr/bin/env bash
# The main job: installs and builds when needed, then runs the demo (which provisions the Pulumi CLI, cached).
set -euo pipefail
cd "$(dirname "$0")/.."
# Install when node_modules is missing or older than the lock file (npm writes node_modules/.package-lock.json).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci; fi
# Rebuild when any source or build setting is newer than the last build's last output, the bundled provider
# implementation (tsc rewrites every output file before it; a build that stopped between them must not count).
if [ ! -f dist/provider-impl.js ] || [ -n "$(find src package.json package-lock.json tsconfig.json tsconfig.build.json scripts/bundleProvider.js -newer dist/provider-impl.js -print -quit)" ]; then
  echo "building (sources changed since the last build)"
  npm run --silent build
fi
exec node scripts/demo.js
