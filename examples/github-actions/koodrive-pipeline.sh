#!/usr/bin/env bash
# Runs a Pulumi project that uses pulumi-koodrive against a throwaway koodrive-emulator, in CI or on a laptop:
#
#   1. start the emulator (fails within EMULATOR_READY_TIMEOUT seconds, with the reason, if it cannot listen)
#   2. a local file backend and passphrase in a scratch folder, and a fresh stack
#   3. connection config pointing at the emulator (token as a secret), then the project's own config (its
#      ci-config.sh, if it has one: `pulumi config set` lines for the stack just created, e.g. an access code)
#   4. seed the shares the project manages (the project's seed-emulator.mjs, if it has one)
#   5. pulumi preview, then pulumi up
#   6. inject a fault through the emulator's admin API (the next requests fail with 503)
#   7. pulumi up --refresh again: reads every share through the faults (the client retries) and must converge,
#      then pulumi preview --expect-no-changes proves nothing is left to do
# The emulator is stopped whatever happens (trap), so a failed run never leaves it holding the port; one that a
# killed earlier run (same KOODRIVE_CI_DIR) left running is stopped first. Two runs on one scratch folder, or on one
# project folder and stack, do not run at once: the second fails at once, saying which (where flock exists).
# The connection settings in the job's environment (endpoint, credentials, agent name, edition, proxy: meant for the
# real KooDrive; credentials there take precedence over stack config) are unset: this run talks to its own emulator
# only. Tuning settings (KOODRIVE_TIMEOUT_MS, KOODRIVE_MAX_RETRIES, KOODRIVE_REQUESTS_PER_SECOND, ...) still apply.
#
# Usage: koodrive-pipeline.sh [PROJECT_DIR]    (default: the current folder; it must have node_modules installed)
#
# Environment (all optional):
#   KOODRIVE_CI_DIR          scratch folder for state, pid file and emulator log (default: a new temp folder); keep
#                            $KOODRIVE_CI_DIR/emulator.log as a CI artifact: one line per request
#   PULUMI_STACK             stack to create (default: emulator-ci); its Pulumi.<stack>.yaml is recreated each run
#   EMULATOR_PORT            port for the emulator (default 0: any free port)
#   EMULATOR_READY_TIMEOUT   seconds the emulator may take to listen (default 30)
#   EMULATOR_ANSWERS         how much the emulator's answers carry: full (default), documented or lean (the leanest
#                            KooDrive's API pages show); run the pipeline with lean too, as KooDrive may answer so
#   KOODRIVE_USER_ID         owner of the seeded shares (default 1505084218764547200)
#   KOODRIVE_EMULATOR        command that runs the emulator CLI (default: npx --no-install koodrive-emulator)
#   PULUMI_ENGINE            command that runs preview and up (default: pulumi); this repository's test sets it to
#                            `node scripts/pulumi-inline.js`, which runs the same steps through the Automation API
set -euo pipefail

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "koodrive-pipeline: $*" >&2; exit 1; }

project_dir=${1:-.}
cd "$project_dir"

unset KOODRIVE_ENDPOINT KOODRIVE_ACCESS_TOKEN KOODRIVE_APP_ID KOODRIVE_APP_SECRET KOODRIVE_AGENT_NAME KOODRIVE_EDITION KOODRIVE_PROXY
scratch=${KOODRIVE_CI_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/koodrive-ci.XXXXXX")}
mkdir -p "$scratch"
pid_file=$scratch/emulator.pid
log_file=$scratch/emulator.log
stack=${PULUMI_STACK:-emulator-ci}
read -r -a emulator <<<"${KOODRIVE_EMULATOR:-npx --no-install koodrive-emulator}"
read -r -a engine <<<"${PULUMI_ENGINE:-pulumi}"
user_id=${KOODRIVE_USER_ID:-1505084218764547200}
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

command -v pulumi >/dev/null || fail "the pulumi CLI is not on PATH (install it: https://www.pulumi.com/docs/install/)"

# A second run on the same scratch folder would delete this one's state and stop its emulator; one on the same
# project folder and stack would rewrite its Pulumi.<stack>.yaml. The locks go when the run ends, even if killed.
if command -v flock >/dev/null; then
  exec 8>"$scratch/.lock"
  flock -n 8 || fail "another run is using $scratch (KOODRIVE_CI_DIR): give each concurrent run its own"
  project_lock="${TMPDIR:-/tmp}/koodrive-pipeline-$(printf '%s' "$(pwd -P)/$stack" | cksum | cut -d' ' -f1).lock"
  exec 9>"$project_lock"
  flock -n 9 || fail "another run is using stack $stack of $(pwd -P): give each concurrent run its own PULUMI_STACK"
fi
# An earlier run killed before its trap ran (same KOODRIVE_CI_DIR) may have left its emulator running.
if [ -f "$pid_file" ]; then "${emulator[@]}" stop --pid-file "$pid_file" --timeout 10 >/dev/null 2>&1 || true; fi
# The state and the log only ever describe this run's emulator: a previous run's (same KOODRIVE_CI_DIR) is of no use,
# and its lines at the end of a failed run would read as this run's.
rm -rf "$scratch/state" "$log_file"
mkdir -p "$scratch/state"

stop_emulator() {
  local status=$?
  # No pid file: no emulator was started (its start failed, and said why), so there is nothing to stop.
  if [ -f "$pid_file" ]; then
    "${emulator[@]}" stop --pid-file "$pid_file" --timeout 10 || echo "koodrive-pipeline: stopping the emulator failed (pid file $pid_file)" >&2
  fi
  # The stack settings file holds this run's secrets under a passphrase that ends with it: no use to anyone after.
  rm -f "Pulumi.$stack.yaml"
  if [ "$status" -ne 0 ] && [ -f "$log_file" ]; then
    echo "koodrive-pipeline: failed with exit code $status; last lines of $log_file:" >&2
    tail -n 20 "$log_file" >&2
  fi
  exit "$status"
}
trap stop_emulator EXIT

step "start the KooDrive emulator"
endpoint=$(KOODRIVE_EMULATOR_TOKEN=$token "${emulator[@]}" start --pid-file "$pid_file" --log-file "$log_file" \
  --ready-timeout "${EMULATOR_READY_TIMEOUT:-30}" --log-requests --port "${EMULATOR_PORT:-0}" --answers "${EMULATOR_ANSWERS:-full}")
echo "listening on $endpoint (answers: ${EMULATOR_ANSWERS:-full}; log: $log_file)"

step "local backend, passphrase and stack $stack"
export PULUMI_BACKEND_URL="file://$scratch/state"
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}
export PULUMI_SKIP_UPDATE_CHECK=true
# The stack's settings file from an earlier local run holds secrets under a passphrase that is gone: start afresh.
rm -f "Pulumi.$stack.yaml"
pulumi stack init "$stack" --secrets-provider passphrase --non-interactive

step "connection config for the emulator"
pulumi config set koodrive:endpoint "$endpoint"
pulumi config set koodrive:userId "$user_id"
pulumi config set koodrive:agentName ci
# Straight to the emulator on this machine: a job-wide proxy (HTTP_PROXY on a self-hosted runner) cannot reach it.
pulumi config set koodrive:proxy none
printf '%s' "$token" | pulumi config set --secret koodrive:accessToken

step "the project's own config"
# The stack is new on every run (above), so config the program requires cannot be set beforehand: ci-config.sh sets
# it, reading secrets from the job's environment (never from its command line).
if [ -f ci-config.sh ]; then
  KOODRIVE_ENDPOINT=$endpoint KOODRIVE_USER_ID=$user_id bash ci-config.sh
else
  echo "no ci-config.sh in $(pwd): the project needs no config of its own"
fi

step "seed the shares the project manages"
if [ -f seed-emulator.mjs ]; then
  KOODRIVE_ENDPOINT=$endpoint KOODRIVE_USER_ID=$user_id node seed-emulator.mjs
else
  echo "no seed-emulator.mjs in $(pwd): the project's shares must exist already"
fi

step "pulumi preview"
"${engine[@]}" preview --diff

step "pulumi up"
"${engine[@]}" up --yes

step "inject a fault: the next 2 KooDrive requests fail with 503"
curl -fsS --noproxy '*' -X PUT "$endpoint/__admin/faults" -H 'Content-Type: application/json' -d '{"failNext":2,"failStatus":503,"retryAfterSeconds":1}'
echo

step "pulumi up --refresh: reads every share through the faults and converges"
"${engine[@]}" up --yes --refresh
"${engine[@]}" preview --expect-no-changes

step "done: the stack converged against the emulator"
