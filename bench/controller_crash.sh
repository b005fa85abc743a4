#!/usr/bin/env bash
# The controller killed with SIGKILL at TRIALS random moments of a run (default 100): the
# e2e test harness/crash_e2e_test.cc, which CI runs with 3. Each trial: a 6 s run of the bundled
# cluster under kill, pause and partitions (network namespaces as root, else the link proxies),
# killed at a moment drawn from 0.2-9 s; then no node process may survive, `faultline analyze`
# must come to a verdict (or say the run never started), and `faultline cleanup` must remove
# the run's namespaces. Writes BENCHMARKS.md.
#   bench/controller_crash.sh              (from the repository root, after scripts/build; root)
#   TRIALS=20 bench/controller_crash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
test_binary=build/tests/crash_e2e_test
[ -x "$test_binary" ] || { echo "bench/controller_crash.sh: build first (scripts/build)" >&2; exit 3; }
trials=${TRIALS:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
status=passed
FAULTLINE_BIN=$PWD/build/bin FAULTLINE_CRASH_TRIALS=$trials "$test_binary" -s >"$work/out.txt" 2>&1 || status=failed
took=$(($(date +%s) - started))
summary=$(grep '^controller crash:' "$work/out.txt" || echo "no summary (see the test's output)")
assertions=$(grep -E '^(All tests passed|test cases:|assertions:)' "$work/out.txt" | tr '\n' ' ')
{
  echo "<!-- controller-crash: written by bench/controller_crash.sh; do not edit by hand -->"
  echo "### The controller killed with SIGKILL"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`TRIALS=$trials bench/controller_crash.sh\` ($took s): $status. $summary. $assertions"
  echo "<!-- /controller-crash -->"
} >"$work/section.md"
bench/replace_section.sh controller-crash "$work/section.md"
cat "$work/section.md"
[ "$status" = passed ]
