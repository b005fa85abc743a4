#!/usr/bin/env bash
# Benchmarks the linearizability checker and writes the figures into BENCHMARKS.md.
#   bench/checker.sh            (from the repository root, after scripts/build)
# Each figure is the median of several runs of the whole command (wall time, process start
# included) and the largest peak RSS among them, measured with /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
corpus=${FAULTLINE_CORPUS:-../shared/corpus}
runs=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$faultline" ] || { echo "bench/checker.sh: build first (scripts/build)" >&2; exit 3; }
command -v /usr/bin/time >/dev/null || { echo "bench/checker.sh: needs /usr/bin/time (Debian package time)" >&2; exit 3; }

. bench/measure.sh  # measure NAME SHOWN COMMAND...

echo "generating synthetic histories in $work" >&2
"$faultline" generate --ops 1000000 --keys 1000 --clients 10 --model cas-register --indeterminate 0.05 --seed 1 \
  --output "$work/million.jsonl"
"$faultline" generate --ops 10000 --keys 1 --clients 10 --model cas-register --indeterminate 0.02 --seed 1 \
  --output "$work/single-key.jsonl"

results=()
results+=("$(measure "jepsen-etcd corpus, 102 files, one process" "faultline check \$CORPUS/jepsen-etcd/*.log" "$faultline" check "$corpus"/jepsen-etcd/*.log)")
results+=("$(measure "jepsen-etcd etcd_002 alone" "faultline check \$CORPUS/jepsen-etcd/etcd_002.log" "$faultline" check "$corpus"/jepsen-etcd/etcd_002.log)")
results+=("$(measure "jepsen-etcd etcd_007 alone" "faultline check \$CORPUS/jepsen-etcd/etcd_007.log" "$faultline" check "$corpus"/jepsen-etcd/etcd_007.log)")
results+=("$(measure "knossos-memstress corpus, 100 files" "faultline check --initial 0 \$CORPUS/knossos-memstress/*.edn" "$faultline" check --initial 0 "$corpus"/knossos-memstress/*.edn)")
results+=("$(measure "synthetic 1,000,000 ops, 1,000 keys, 10 clients, 5% info" "faultline check million.jsonl" "$faultline" check "$work/million.jsonl")")
results+=("$(measure "synthetic 10,000 ops, 1 key, 10 clients, 2% info" "faultline check single-key.jsonl" "$faultline" check "$work/single-key.jsonl")")

# The search alone, as the checker reports it (no process start, no file reading for the corpus).
search_ms=$({ "$faultline" check --json "$corpus"/jepsen-etcd/*.log || true; } | awk -F'"elapsed_ms":' '{ split($2, a, ","); s += a[1] } END { printf "%.1f", s }')

{
  echo "<!-- checker: written by bench/checker.sh; do not edit by hand -->"
  echo "### Linearizability checker"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), median of $runs runs, \`RUNS=$runs bench/checker.sh\`."
  echo "Wall time includes starting the process and reading the files. \$CORPUS is ../shared/corpus. The synthetic"
  echo "histories are written by \`faultline generate --ops 1000000 --keys 1000 --clients 10 --model cas-register"
  echo "--indeterminate 0.05 --seed 1\` and \`... --ops 10000 --keys 1 --clients 10 --indeterminate 0.02 --seed 1\`."
  echo "For comparison, the issue gives Porcupine 630-770 ms for the jepsen-etcd corpus and ~230 ms for etcd_002 on this"
  echo "machine (Porcupine was not run here)."
  echo
  echo "| history | wall (median) | peak RSS | command |"
  echo "|---|---|---|---|"
  for r in "${results[@]}"; do
    IFS='|' read -r name ms mb cmd <<<"$r"
    echo "| $name | $ms ms | $mb MB | \`$cmd\` |"
  done
  echo
  echo "Sum of per-file check times reported by \`faultline check --json\` over jepsen-etcd: $search_ms ms."
  echo "<!-- /checker -->"
} >"$work/section.md"

bench/replace_section.sh checker "$work/section.md"
cat "$work/section.md"
