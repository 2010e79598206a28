#!/usr/bin/env bash
# Runs the real-engine tests (test/engine) once per Pulumi CLI version, for the compatibility statement in the
# README: users run whatever CLI their pipeline pins, and `npm test` runs only the one ensure-pulumi.sh builds.
# Not part of `npm test`: each version is built from the Go module proxy once (about 5 minutes on 2 cores, cached in
# .tools/pulumi-<version>), and each engine suite takes about 8 minutes here, 3 more for each test that times out.
#
#   npm run test:cli-versions                      # the versions below
#   npm run test:cli-versions -- v3.200.0 v3.276.0 # these instead
#
# Ends with one line per version (tests ran, passed, failed and timed out, or why it did not run) and exits non-zero
# if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/stopOnSignal.sh

# The oldest CLI ensure-pulumi.sh accepts (3.180.0 to 3.186.0 hang on a failed preview or up through the Automation
# API, pulumi/pulumi#20151), and the newest the Go module proxy served on 2026-12-01.
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(v3.187.0 v3.276.0)

run_step npm run --silent build || exit 1
summary=()
failed=0
for version in "${versions[@]}"; do
  printf '\n==> Pulumi CLI %s\n' "$version"
  root=$PWD/.tools/pulumi-$version
  if ! PULUMI_CLI_ROOT=$root PULUMI_CLI_VERSION=$version run_step bash scripts/ensure-pulumi.sh >/dev/null; then
    summary+=("$version: not built (see above)")
    failed=$((failed + 1))
    continue
  fi
  # The spec report goes to a file that `tail` shows as it grows: --test-force-exit ends node before a reporter's
  # file stream is flushed, and run_step's command cannot be piped (see stopOnSignal.sh).
  report=$(mktemp)
  tail -n +1 -f "$report" &
  follower=$!
  # The tests call ensure-pulumi.sh themselves: without the version it would rebuild the folder as the default one.
  # A test that hangs on some CLI (with 3.186.0 a failed preview or up never ends) fails after 3 minutes, and
  # --test-force-exit ends its file, whose Automation API server the hung CLI still holds open.
  PULUMI_CLI_ROOT=$root PULUMI_CLI_VERSION=$version run_step node --test --test-concurrency=1 --test-timeout=180000 \
    --test-force-exit --test-reporter=spec test/engine/*.test.js >"$report" 2>&1
  status=$?
  sleep 1
  kill "$follower" 2>/dev/null
  count() { sed -n "s/^ℹ $1 \([0-9]*\)\$/\1/p" "$report" | tail -n1; }
  tests=$(count tests) passed=$(count pass) fails=$(count fail) cancelled=$(count cancelled)
  rm -f "$report"
  ran=$("$root/bin/pulumi" version 2>/dev/null)
  if [ "$ran" != "$version" ]; then
    summary+=("$version: not tested (the tests ran pulumi ${ran:-of unknown version})")
    failed=$((failed + 1))
    continue
  fi
  summary+=("$version: ${tests:-?} tests ran: ${passed:-0} passed, ${fails:-?} failed, ${cancelled:-?} timed out")
  [ "$status" -eq 0 ] || failed=$((failed + 1))
done

echo
printf 'engine tests by Pulumi CLI version\n'
printf '  %s\n' "${summary[@]}"
[ "$failed" -eq 0 ]
