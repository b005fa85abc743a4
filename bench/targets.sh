#!/usr/bin/env bash
# What the controller drives through each target with the same workload and no faults: the
# kv workload on 100 keys, 50 clients asking for RATE operations per second (default 3000, more
# than either target serves on 2 cores, so the figure is what the target sustains), for 20 s.
# Records ok operations per second and the latency of ok operations (p50, p99) from each run's
# results.json, for the bundled Paxos node, etcd with linearizable reads and etcd with
# serializable reads, measured one after the other in one invocation; writes BENCHMARKS.md.
#   bench/targets.sh            (from the repository root, after scripts/build)
#   RATE=500 bench/targets.sh   (a rate both sustain: latency at equal load)
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
[ -x "$faultline" ] || { echo "bench/targets.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/targets.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
[ -x /usr/bin/etcd ] || { echo "bench/targets.sh: needs /usr/bin/etcd (scripts/install-deps installs etcd-server)" >&2; exit 3; }
rate=${RATE:-3000}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
common=(--workload kv --keys 100 --clients 50 --rate "$rate" --time-limit 20 --nemesis none --seed 1 --store "$store")

row() {  # row LABEL NAME ARGS...: runs one test, prints a table row
  local label=$1 name=$2
  shift 2
  "$faultline" test "$@" "${common[@]}" --name "$name" >"$store/$name.txt" 2>&1 || true
  jq -r --arg what "$label" '"| \($what) | \(.checkers.latency.ok_per_s | round) | \(.checkers.latency.all.p50_ms * 10 | round / 10) ms | \(.checkers.latency.all.p99_ms * 10 | round / 10) ms | \(.valid) |"' \
    "$store/$name/latest/results.json"
}

{
  echo "<!-- targets: written by bench/targets.sh; do not edit by hand -->"
  echo "### Targets: what the controller drives through each, same workload"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`RATE=$rate bench/targets.sh\`: \`faultline test ${common[*]//$store/STORE}\` per target, one after"
  echo "the other (3 nodes each on this machine, fsync on; clients, controller and nodes share the cores)."
  echo
  echo "| target | ok ops/s | p50 (ok ops) | p99 (ok ops) | verdict |"
  echo "|---|---|---|---|---|"
  row "bundled Paxos (\`--target bundled\`)" paxos --target bundled
  row "etcd $(/usr/bin/etcd --version | sed -n 's/^etcd Version: //p'), linearizable reads" etcd-linearizable --target etcd
  row "etcd, serializable reads" etcd-serializable --target etcd --etcd-reads serializable
  echo "<!-- /targets -->"
} >"$store/section.md"

bench/replace_section.sh targets "$store/section.md"
cat "$store/section.md"
