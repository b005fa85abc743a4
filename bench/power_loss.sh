#!/usr/bin/env bash
# Power loss against the planted bug paxos-skip-fsync (acceptor state written but never
# fsynced): in how many of SEEDS seeds (default 10) `--nemesis power-loss` catches it, and
# that the other faults do not (kill alone keeps the page cache; pause, partition, packet and
# clock faults lose nothing); and in how many of CORRECT_SEEDS seeds (default 20) the correct
# node stays valid under power loss. Every run: the set workload, the whole cluster faulty at
# once, a fault every second for 15 s. Writes its section of BENCHMARKS.md.
#   bench/power_loss.sh       (from the repository root, after scripts/build; root and /dev/fuse)
#   SEEDS=3 CORRECT_SEEDS=3 bench/power_loss.sh
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
[ -x "$faultline" ] && [ -x build/bin/faultline-lazyfs ] ||
  { echo "bench/power_loss.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/power_loss.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
seeds=${SEEDS:-10}
correct_seeds=${CORRECT_SEEDS:-20}
store=$(mktemp -d)
# Runs unmount their own disks; a run that died leaves mounts that faultline cleanup detaches.
trap '"$faultline" cleanup >/dev/null 2>&1 || true; rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
common=(--workload set --nemesis-targets all --nemesis-interval 1 --time-limit 15 --rate 100)

cell() {  # cell BUG NEMESIS SEEDS: runs the seeds, prints a table row
  local bug=$1 nemesis=$2 count=$3 invalid=0 valid=0 unknown=0 lost_total=0 name="$1-${2//,/-}"
  local bug_flag=()
  [ "$bug" = none ] || bug_flag=(--bug "$bug")
  for seed in $(seq 1 "$count"); do
    "$faultline" test "${bug_flag[@]}" --nemesis "$nemesis" "${common[@]}" --seed "$seed" --store "$store" \
      --name "$name" >"$store/$name-$seed.txt" 2>&1 || true
    local results="$store/$name/latest/results.json" verdict lost
    verdict=$(jq -r 'if .valid == true then "valid" elif .valid == false then "invalid" else "unknown" end' "$results")
    lost=$(jq '.checkers.set.lost_count // 0' "$results")
    case "$verdict" in invalid) invalid=$((invalid + 1)) ;; valid) valid=$((valid + 1)) ;; *) unknown=$((unknown + 1)) ;; esac
    lost_total=$((lost_total + lost))
    echo "  $name seed $seed: $verdict, lost $lost" >&2
  done
  echo "| $bug | $nemesis | $invalid of $count ($lost_total adds lost) | $valid | $unknown |"
}

{
  echo "<!-- power-loss: written by bench/power_loss.sh; do not edit by hand -->"
  echo "### Power loss: paxos-skip-fsync is caught by power loss and by no other fault"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`SEEDS=$seeds CORRECT_SEEDS=$correct_seeds bench/power_loss.sh\`: \`faultline test --bug BUG --nemesis NEMESIS"
  echo "${common[*]} --seed S\` for seeds 1..N (bug none: no \`--bug\`). A power loss SIGKILLs the nodes it picks, drops what their"
  echo "faultline-lazyfs disks hold un-fsynced (nemesis/lazyfs/README.md), remounts them; a restart follows."
  echo
  echo "| bug | nemesis | seeds invalid | valid | unknown |"
  echo "|---|---|---|---|---|"
  cell paxos-skip-fsync power-loss "$seeds"
  cell paxos-skip-fsync kill "$seeds"
  cell paxos-skip-fsync pause,partition,packet,clock "$seeds"
  cell none power-loss "$correct_seeds"
  echo "<!-- /power-loss -->"
} >"$store/section.md"

bench/replace_section.sh power-loss "$store/section.md"
cat "$store/section.md"
