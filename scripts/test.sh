#!/usr/bin/env bash
# npm test: lint and format check, type checks (TypeScript and the JavaScript), build (both packages), the jest
# suites (unit, client, provider, and the koodrive-emulator package), then the node --test suites serially (each
# drives the pulumi CLI or npm): the real-engine tests, the examples and the GitHub Actions recipe as users run them,
# the packed package on the SDK versions users run, and the README snippets. A lint, format or type finding does not stop the tests; every failure fails the run.
# Ends with one summary line over all runners.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/stopOnSignal.sh

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

step() { printf '\n==> %s\n' "$*"; }

step "lint and format check (Biome)"
static_failed=0 # lint, format and type-check findings: counted as failures, but the tests still run
run_step npm run --silent lint || static_failed=$((static_failed + 1))
run_step npm run --silent format:check || static_failed=$((static_failed + 1))

step "type checks (TypeScript, and the JavaScript with checkJs), then build"
run_step npm run --silent typecheck || static_failed=$((static_failed + 1))
run_step npm run --silent build || exit 1

step "jest: unit, client, provider tests and the koodrive-emulator package's tests"
run_step npx jest --ci --json --outputFile="$results/jest.json"
jest_status=$?

step "Pulumi CLI (built from the Go module proxy on first use, then cached)"
run_step bash scripts/ensure-pulumi.sh >/dev/null || exit 1

step "node --test: real engine, examples, GitHub Actions recipe, packed package on Node 20 and 22, README snippets"
run_step node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/node.tap" \
  test/engine/*.test.js test/examples/*.test.js test/packaging/*.test.js test/docs/*.test.js
node_status=$?

read -r jest_passed jest_failed < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' "$results/jest.json" 2>/dev/null || echo "0 1")
node_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$results/node.tap" | tail -n1)
node_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$results/node.tap" | tail -n1)
node_passed=${node_passed:-0}
node_failed=${node_failed:-1}

echo
echo "lint/format/types: $static_failed failed; jest: $jest_passed passed, $jest_failed failed; node --test: $node_passed passed, $node_failed failed"
echo "summary: $((jest_passed + node_passed)) passed, $((jest_failed + node_failed + static_failed)) failed"
[ "$static_failed" -eq 0 ] && [ "$jest_status" -eq 0 ] && [ "$node_status" -eq 0 ]
