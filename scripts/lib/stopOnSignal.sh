# Sourced by scripts/test.sh. Ctrl-C, or a CI job's cancel (SIGTERM, often to npm alone, which passes it on to the
# script), stops every process the run started, then the script exits 130 or 143. Without it bash dies at once and
# leaves node --test running, with its pulumi CLIs and their provider processes still sending requests.
#
# bash runs a trap only between commands, not while a foreground command runs: each step therefore runs in the
# background, and bash waits for it. Job control (set -m) keeps the step's signals at their defaults (bash would
# otherwise start background steps with SIGINT ignored, and every process below would inherit that).
set -m
process_tree_js="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/processTree.js"

run_step() {
  "$@" &
  wait $!
}

stop_run() {
  trap - INT TERM
  echo "npm test: stopped by SIG$1: stopping every process it started" >&2
  node -e 'require(process.argv[1]).stopTree(Number(process.argv[2])).then((n) => console.error(`npm test: ${n} processes stopped`))' \
    "$process_tree_js" $$
  exit "$2"
}

trap 'stop_run INT 130' INT
trap 'stop_run TERM 143' TERM
