#!/usr/bin/env bash
# Benchmarks the controller's clients against the bundled cluster with and without recording
# the history, and writes the figures into BENCHMARKS.md.
#   bench/record.sh            (from the repository root, after scripts/build)
set -euo pipefail
cd "$(dirname "$0")/.."
bench=build/bin/faultline-bench-record
[ -x "$bench" ] || { echo "bench/record.sh: build first (scripts/build)" >&2; exit 3; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # run NAME ARGS...: one measurement, its output kept for the table
  local name=$1; shift
  echo "running: $bench $*" >&2
  "$bench" "$@" | tee "$work/$name.txt" >&2
}
run quorum-nofsync --protocol quorum --no-fsync --seconds 4 --rounds 3
run paxos --protocol paxos --seconds 4 --rounds 3

row() {  # row NAME LABEL COMMAND
  local median
  median=$(grep '^median' "$work/$1.txt")
  local plain recorded overhead
  plain=$(sed -E 's/.*not recording ([0-9]+) ops\/s.*/\1/' <<<"$median")
  recorded=$(sed -E 's/.*, recording ([0-9]+) ops\/s.*/\1/' <<<"$median")
  overhead=$(sed -E 's/.*overhead (-?[0-9.]+)%.*/\1/' <<<"$median")
  echo "| $2 | $plain | $recorded | $overhead% | \`$3\` |"
}

{
  echo "<!-- record: written by bench/record.sh; do not edit by hand -->"
  echo "### Controller throughput and the cost of recording"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores: 3 bundled nodes on loopback, 16 clients on the kv"
  echo "workload (100 keys) back to back, no rate limit; rounds alternate not recording and recording"
  echo "every invocation and completion to history.jsonl (as \`faultline test\` does); medians of 3 rounds of 4 s."
  echo
  echo "| cluster | ops/s not recording | ops/s recording | recording overhead | command |"
  echo "|---|---|---|---|---|"
  row quorum-nofsync "quorum, fsync off (the controller is the bottleneck)" "$bench --protocol quorum --no-fsync --seconds 4 --rounds 3"
  row paxos "Paxos, fsync on (the disk is the bottleneck)" "$bench --protocol paxos --seconds 4 --rounds 3"
  echo "<!-- /record -->"
} >"$work/section.md"

touch BENCHMARKS.md
if grep -q '<!-- record:' BENCHMARKS.md; then
  awk -v section="$work/section.md" '
    /<!-- record:/ { while ((getline line < section) > 0) print line; skip = 1; next }
    /<!-- \/record -->/ { skip = 0; next }
    !skip { print }' BENCHMARKS.md >"$work/new.md"
  mv "$work/new.md" BENCHMARKS.md
else
  { echo; cat "$work/section.md"; } >>BENCHMARKS.md
fi
cat "$work/section.md"
