#!/usr/bin/env bash
# etcd's reads under partitions: the register workload with 1000 values (so that an unknown
# write of the same value cannot explain a stale read), a partition nemesis (network
# namespaces: root), 30 s per run, SEEDS seeds (default 5) for linearizable and for
# serializable reads. Prints each run's verdict and writes the counts to BENCHMARKS.md.
#   bench/etcd_reads.sh        (from the repository root, after scripts/build; as root)
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
[ -x "$faultline" ] || { echo "bench/etcd_reads.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/etcd_reads.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
seeds=${SEEDS:-5}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
common=(--target etcd --workload register --values 1000 --nemesis partition --time-limit 30)

row() {  # row READS
  local reads=$1 invalid=0 valid=0 ops=0
  for seed in $(seq 1 "$seeds"); do
    "$faultline" test "${common[@]}" --etcd-reads "$reads" --seed "$seed" --store "$store" --name "$reads" \
      >"$store/$reads-$seed.txt" 2>&1 || true
    local results="$store/$reads/latest/results.json"
    case $(jq -r '.checkers.linearizability.valid' "$results") in
      true) valid=$((valid + 1)) ;;
      false) invalid=$((invalid + 1)) ;;
    esac
    ops=$((ops + $(jq '.checkers.linearizability.ops // 0' "$results")))
    echo "  $reads seed $seed: $(jq -r '.checkers.linearizability | if .valid == false then "invalid: " + .anomaly.explanation else (.valid | tostring) end' "$results")" >&2
  done
  echo "| $reads | $valid of $seeds | $invalid of $seeds | $((ops / seeds)) |"
}

{
  echo "<!-- etcd-reads: written by bench/etcd_reads.sh; do not edit by hand -->"
  echo "### etcd: linearizable and serializable reads under partitions"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`SEEDS=$seeds bench/etcd_reads.sh\`: \`faultline test ${common[*]} --etcd-reads R --seed S\` for"
  echo "seeds 1..$seeds (etcd $(/usr/bin/etcd --version | sed -n 's/^etcd Version: //p'), 3 members, network namespaces)."
  echo
  echo "| reads | linearizable (valid) | stale reads found (invalid) | ops per run (mean) |"
  echo "|---|---|---|---|"
  row linearizable
  row serializable
  echo "<!-- /etcd-reads -->"
} >"$store/section.md"

bench/replace_section.sh etcd-reads "$store/section.md"
cat "$store/section.md"
