#!/usr/bin/env bash
# The main job: installs and builds if needed, then runs the demo (which provisions the Pulumi CLI, cached).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/@pulumi/pulumi ] || npm ci
[ -f dist/resource/providerImpl.js ] || npm run build
exec node scripts/demo.js
