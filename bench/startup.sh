#!/usr/bin/env bash
# Start-up of `faultline`: what a short command costs before it does anything. For each program,
# the instructions executed (valgrind's callgrind: the same on a busy machine as on a quiet one)
# and the wall time per run over RUNS runs (default 200; noisy on a busy machine), for
# `faultline --version` and `faultline check` of a two-line history, beside a C++ hello world
# compiled here (the floor: the C++ runtime alone). BEFORE=PATH adds another build's figures
# (e.g. an older faultline) measured in the same run. Writes BENCHMARKS.md.
#   bench/startup.sh                          (from the repository root, after scripts/build)
#   BEFORE=/tmp/old/faultline bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=${FAULTLINE:-build/bin/faultline}
[ -x "$faultline" ] || { echo "bench/startup.sh: build first (scripts/build)" >&2; exit 3; }
command -v valgrind >/dev/null || { echo "bench/startup.sh: needs valgrind (Debian valgrind)" >&2; exit 3; }
runs=${RUNS:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
printf '#include <iostream>\nint main() { std::cout << "hello\\n"; }\n' >"$work/hello.cc"
g++ -O2 "$work/hello.cc" -o "$work/hello"
printf '%s\n' '{"process":0,"type":"invoke","f":"write","value":1}' '{"process":0,"type":"ok","f":"write","value":1}' >"$work/tiny.jsonl"

instructions() {  # instructions PROGRAM ARGS...
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
wall_ms() {  # wall_ms PROGRAM ARGS...: milliseconds per run
  local started ended
  started=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null; done
  ended=$(date +%s%N)
  awk -v ns=$((ended - started)) -v runs="$runs" 'BEGIN { printf "%.2f", ns / runs / 1e6 }'
}
row() {  # row LABEL PROGRAM ARGS...
  local label=$1
  shift
  echo "| $label | \`$(basename "$1") ${*:2}\` | $(instructions "$@" | awk '{ printf "%.1f M", $1 / 1e6 }') | $(wall_ms "$@") |"
}

{
  echo "<!-- startup: written by bench/startup.sh; do not edit by hand -->"
  echo "### Start-up"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`${BEFORE:+BEFORE=$BEFORE }RUNS=$runs bench/startup.sh\`. Instructions are counted by valgrind (callgrind) and"
  echo "do not depend on the load; wall times do."
  echo
  echo "| program | command | instructions | ms per run (wall) |"
  echo "|---|---|---|---|"
  row "C++ hello world" "$work/hello"
  row "faultline" "$faultline" --version
  row "faultline" "$faultline" check "$work/tiny.jsonl"
  if [ -n "${BEFORE:-}" ]; then
    row "before ($BEFORE)" "$BEFORE" --version
    row "before ($BEFORE)" "$BEFORE" check "$work/tiny.jsonl"
  fi
  echo "<!-- /startup -->"
} >"$work/section.md"
sed -i "s|$work/tiny.jsonl|tiny.jsonl|g; s|\`hello \`|\`hello\`|" "$work/section.md"
bench/replace_section.sh startup "$work/section.md"
cat "$work/section.md"
