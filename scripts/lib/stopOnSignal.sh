# Sourced by scripts/test.sh. Ctrl-C, or a CI job's cancel (SIGTERM, often to npm alone, which passes it on to the
# script), stops every process the run started, then the script exits 130 or 143. Without it bash dies at once and
# leaves node --test running, with its pulumi CLIs and their provider processes still sending requests.
#
# bash runs a trap only between commands, not while a foreground command runs: each step therefore runs in the
# background, and bash waits for it. A background step would start with SIGINT and SIGQUIT ignored (and every process
# below would inherit that), so the step's subshell puts them back before it execs: Ctrl-C reaches the steps too, and
# they stay in the terminal's process group (and in a CI runner's, for its process-group kill).
#
# Every process the run starts inherits a marker in its environment, and the clean-up stops the processes that carry
# it: a Ctrl-C ends some of them at once, and their children, re-parented, are no longer below this script.
process_tree_js="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/processTree.js"
test_run_marker="npm-test-$$-${RANDOM}${RANDOM}"
export KOODRIVE_TEST_RUN="${KOODRIVE_TEST_RUN:+$KOODRIVE_TEST_RUN,}$test_run_marker"

run_step() {
  (
    trap - INT QUIT
    exec "$@"
  ) &
  wait $!
}

stop_run() {
  # Further signals are ignored, not defaulted: Ctrl-C reaches this script twice (from the terminal, and from npm,
  # which passes it on), and the second must not end the script before it has stopped the processes.
  trap '' INT TERM
  echo "npm test: stopped by SIG$1: stopping every process it started" >&2
  node -e 'require(process.argv[1]).stopMarked("KOODRIVE_TEST_RUN", process.argv[2], [Number(process.argv[3])]).then((n) => console.error(`npm test: ${n} processes stopped`))' \
    "$process_tree_js" "$test_run_marker" $$
  exit "$2"
}

trap 'stop_run INT 130' INT
trap 'stop_run TERM 143' TERM
