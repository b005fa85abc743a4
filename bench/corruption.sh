#!/usr/bin/env bash
# --nemesis corrupt (one node at a time: SIGKILL, bits flipped in or a cut made to one of its data
# files, restart later): in how many of SEEDS seeds (default 20) the correct bundled node stays
# valid, and in how many the planted bug trust-damaged-log (damage taken for a torn last write,
# the node votes with what is left) gives an invalid run. Every run: the set workload (lost
# adds are what a forgotten promise or accept causes), a fault every second for 15 s; also with
# partitions among the faults (so that values get chosen by different majorities), over
# OTHER_SEEDS seeds (default 10). Writes its section of BENCHMARKS.md.
#   bench/corruption.sh       (from the repository root, after scripts/build)
#   SEEDS=3 OTHER_SEEDS=2 bench/corruption.sh
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
[ -x "$faultline" ] && [ -x build/bin/faultline-node ] || { echo "bench/corruption.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/corruption.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
seeds=${SEEDS:-20}
other_seeds=${OTHER_SEEDS:-10}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
common=(--workload set --nemesis-interval 1 --time-limit 15 --rate 100)

cell() {  # cell BUG PROTOCOL NEMESIS SEEDS: runs the seeds, prints a table row
  local bug=$1 protocol=$2 nemesis=$3 count=$4 invalid=0 valid=0 unknown=0 lost_total=0 faults_total=0 lost_state_total=0
  local name="$1-$2-${3//,/-}"
  local bug_flag=()
  [ "$bug" = none ] || bug_flag=(--bug "$bug")
  for seed in $(seq 1 "$count"); do
    "$faultline" test "${bug_flag[@]}" --protocol "$protocol" --nemesis "$nemesis" "${common[@]}" --seed "$seed" --store "$store" \
      --name "$name" >"$store/$name-$seed.txt" 2>&1 || true
    local run="$store/$name/latest" verdict lost faults lost_state
    verdict=$(jq -r 'if .valid == true then "valid" elif .valid == false then "invalid" else "unknown" end' "$run/results.json")
    lost=$(jq '.checkers.set.lost_count // 0' "$run/results.json")
    faults=$(jq -c 'select(.process == "nemesis" and .type == "info" and .f == "corrupt" and (has("error") | not))' \
      "$run/history.jsonl" | wc -l)
    # Restarts after which a node said its acknowledged state was lost (it then neither votes nor coordinates).
    lost_state=$(cat "$run"/nodes/*.log 2>/dev/null | grep -c "lost acknowledged state" || true)
    case "$verdict" in invalid) invalid=$((invalid + 1)) ;; valid) valid=$((valid + 1)) ;; *) unknown=$((unknown + 1)) ;; esac
    lost_total=$((lost_total + lost))
    faults_total=$((faults_total + faults))
    lost_state_total=$((lost_state_total + lost_state))
    echo "  $name seed $seed: $verdict, lost $lost, $faults corruptions, $lost_state starts with lost state" >&2
  done
  echo "| $bug | $protocol | $nemesis | $valid of $count | $invalid ($lost_total adds lost) | $unknown | $faults_total | $lost_state_total |"
}

{
  echo "<!-- corruption: written by bench/corruption.sh; do not edit by hand -->"
  echo "### Corruption: the correct node stays valid under --nemesis corrupt"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`SEEDS=$seeds OTHER_SEEDS=$other_seeds bench/corruption.sh\`: \`faultline test --bug BUG --protocol PROTOCOL"
  echo "--nemesis NEMESIS ${common[*]} --seed S\` for seeds 1..N (bug none: no \`--bug\`). A corrupt SIGKILLs one node,"
  echo "flips 1-3 bits in or cuts short one of its data files (the log or its durable-length record), and a restart"
  echo "follows; one node at a time, and (3 nodes, the default budget) always the same node once one was damaged."
  echo "\"Starts with lost state\": node starts that found acknowledged records missing and so served as"
  echo "non-voters (targets/bundled/README.md, \"Damaged data files\")."
  echo
  echo "| bug | protocol | nemesis | valid | invalid | unknown | corruptions | starts with lost state |"
  echo "|---|---|---|---|---|---|---|---|"
  cell none paxos corrupt "$seeds"
  cell trust-damaged-log paxos corrupt "$seeds"
  cell none paxos corrupt,partition "$other_seeds"
  cell trust-damaged-log paxos corrupt,partition "$other_seeds"
  echo "<!-- /corruption -->"
} >"$store/section.md"

bench/replace_section.sh corruption "$store/section.md"
cat "$store/section.md"
