#!/usr/bin/env bash
# npm test: type-check and build (both packages), the jest suites (unit, client, provider, and the emulator package),
# then the real-engine tests (node --test, serially: each drives the pulumi CLI). Ends with one summary line over both
# runners.
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

step() { printf '\n==> %s\n' "$*"; }

step "type-check and build"
npm run --silent typecheck || exit 1
npm run --silent build || exit 1

step "jest: unit, client, provider tests and the koodrive-emulator package's tests"
npx jest --ci --json --outputFile="$results/jest.json"
jest_status=$?

step "Pulumi CLI (built from the Go module proxy on first use, then cached)"
bash scripts/ensure-pulumi.sh >/dev/null || exit 1

step "real-engine tests (node --test)"
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/engine.tap" test/engine/*.test.js
engine_status=$?

read -r jest_passed jest_failed < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' "$results/jest.json" 2>/dev/null || echo "0 1")
engine_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$results/engine.tap" | tail -n1)
engine_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$results/engine.tap" | tail -n1)
engine_passed=${engine_passed:-0}
engine_failed=${engine_failed:-1}

echo
echo "jest: $jest_passed passed, $jest_failed failed; engine: $engine_passed passed, $engine_failed failed"
echo "summary: $((jest_passed + engine_passed)) passed, $((jest_failed + engine_failed)) failed"
[ "$jest_status" -eq 0 ] && [ "$engine_status" -eq 0 ]
