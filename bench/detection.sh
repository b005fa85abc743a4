#!/usr/bin/env bash
# How reliably the harness finds each planted bug, how soon, and whether the correct
# configurations ever raise a false alarm: runs suites/planted-bugs.json (10 seeds x 30 s per
# bug) and suites/correct-configurations.json (20 seeds x 30 s, every fault at once), and
# writes the figures into BENCHMARKS.md. About an hour with PARALLEL=1, half with 2.
#   PARALLEL=2 bench/detection.sh        (from the repository root, after scripts/build)
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
[ -x "$faultline" ] || { echo "bench/detection.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/detection.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
parallel=${PARALLEL:-2}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)

run_suite() {  # run_suite FILE: runs it, prints the path of its summary.json
  local name
  name=$(jq -r .name "$1")
  echo "running: $faultline suite $1 --parallel $parallel" >&2
  "$faultline" suite "$1" --store "$store" --parallel "$parallel" >&2 || true
  ls -d "$store/suites/$name"/*/summary.json | tail -1
}
bugs=$(run_suite suites/planted-bugs.json)
correct=$(run_suite suites/correct-configurations.json)

{
  echo "<!-- detection: written by bench/detection.sh; do not edit by hand -->"
  echo "### Detection: planted bugs found, and false alarms"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`PARALLEL=$parallel bench/detection.sh\` (\`faultline suite suites/planted-bugs.json\` and"
  echo "\`suites/correct-configurations.json\`, $parallel runs at a time). Goal (issue 7): every planted bug"
  echo "found in at least 9 of 10 seeds; no false alarm in the correct configurations over 20 seeds."
  echo
  echo "| planted bug | found in | median time to the first anomalous op | how (suites/planted-bugs.json) |"
  echo "|---|---|---|---|"
  jq -r '.cells[] | "| `\(.configuration)` | \(.invalid_runs) of \(.runs | length) seeds | \(if .first_anomaly_s == null then "-" else "\(.first_anomaly_s * 10 | round / 10) s" end) | \(.runs[0].reproduce | sub("faultline test "; "") | sub(" --seed [0-9]+$"; "")) |"' "$bugs"
  echo
  echo "| correct configuration, every fault at once | false alarms | unknown | ok/s (median) |"
  echo "|---|---|---|---|"
  jq -r '.cells[] | "| \(.configuration) | \(.invalid_runs) of \(.runs | length) | \([.runs[] | select(.verdict != "valid" and .verdict != "invalid")] | length) | \(.ok_per_s // 0 | round) |"' "$correct"
  echo
  echo "The time to the first anomalous operation is when it began, from the start of the run (which"
  echo "has a warm-up of a sixth of the time limit before the first fault): the operation the"
  echo "linearizability checker cannot place, or the acknowledged add of the first lost element."
  echo "<!-- /detection -->"
} >"$store/section.md"

bench/replace_section.sh detection "$store/section.md"
cat "$store/section.md"
