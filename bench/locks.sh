#!/usr/bin/env bash
# Locks with leases, with and without fencing: `--workload lock` on etcd and on the bundled
# Paxos node under pauses and partitions, SEEDS seeds each (default 10), 30 s per run, clients
# waiting up to 5 s per request (longer than etcd's 2 s minimum lease, as Jepsen's clients
# wait: a holder stalled by a paused or cut-off member can outlive its lease). For each cell:
# in how many seeds holders overlapped and updates were lost, with the totals. Writes BENCHMARKS.md.
#   bench/locks.sh            (from the repository root, after scripts/build; root, for netns)
#   SEEDS=3 bench/locks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
[ -x "$faultline" ] || { echo "bench/locks.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/locks.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
seeds=${SEEDS:-10}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
common=(--workload lock --nemesis pause,partition --nemesis-interval 3 --time-limit 30 --request-timeout 5)

cell() {  # cell TARGET FENCING: runs the seeds, prints a table row
  local target=$1 fencing=$2 overlapped=0 lost=0 overlaps=0 lost_total=0 unknown=0 name="$1-$2"
  for seed in $(seq 1 "$seeds"); do
    "$faultline" test --target "$target" --lock-fencing "$fencing" "${common[@]}" --seed "$seed" --store "$store" \
      --name "$name" >"$store/$name-$seed.txt" 2>&1 || true
    local results="$store/$name/latest/results.json"
    local o l
    o=$(jq '.checkers["lock holders"].overlapping_sections // 0' "$results")
    l=$(jq '.checkers.set.lost_count // 0' "$results")
    [ "$(jq -r '.checkers.set.valid' "$results")" = "unknown" ] && unknown=$((unknown + 1))
    [ "$o" -gt 0 ] && overlapped=$((overlapped + 1))
    [ "$l" -gt 0 ] && lost=$((lost + 1))
    overlaps=$((overlaps + o)) lost_total=$((lost_total + l))
    echo "  $name seed $seed: overlapping sections $o, lost $l" >&2
  done
  echo "| $target | $fencing | $overlapped of $seeds ($overlaps sections) | $lost of $seeds ($lost_total elements) | $unknown |"
}

{
  echo "<!-- locks: written by bench/locks.sh; do not edit by hand -->"
  echo "### Locks: overlapping holders and lost updates, with and without fencing"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`SEEDS=$seeds bench/locks.sh\`: \`faultline test --target TARGET --lock-fencing F ${common[*]} --seed S\`"
  echo "for seeds 1..$seeds (etcd partitions through network namespaces)."
  echo
  echo "| target | fencing | seeds where holders overlapped | seeds with lost updates | set unknown |"
  echo "|---|---|---|---|---|"
  cell etcd none
  cell etcd token
  cell bundled none
  cell bundled token
  echo "<!-- /locks -->"
} >"$store/section.md"

bench/replace_section.sh locks "$store/section.md"
cat "$store/section.md"
