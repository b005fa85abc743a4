#!/usr/bin/env bash
# Benchmarks the report: generation time, size and peak memory of `faultline report` for 10k-
# and 100k-op histories, and how long the page takes to load in headless Chromium; writes the
# figures into BENCHMARKS.md.
#   bench/report.sh          (from the repository root, after scripts/build; RUNS=7 ROUNDS=5)
# Load time, two ways, for each page:
#   loaded: the page's own figure, performance.now() in its load event (navigation start to
#           load: reading the file, parsing, every script including dygraphs drawing both
#           charts and the first timeline page), which it writes into <html data-loaded-ms>;
#           read with --dump-dom. Median over the rounds.
#   wall:   wall time of `chromium --headless --dump-dom` on the report minus the same on an
#           empty page, both with a fresh profile, alternating which goes first (AB BA ...);
#           the median of the differences. Includes what the load event does not: layout
#           after load, serializing the DOM.
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=build/bin/faultline
runs=${RUNS:-7}
rounds=${ROUNDS:-5}
chromium=${FAULTLINE_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$faultline" ] || { echo "bench/report.sh: build first (scripts/build)" >&2; exit 3; }
command -v /usr/bin/time >/dev/null || { echo "bench/report.sh: needs /usr/bin/time (Debian package time)" >&2; exit 3; }
[ -n "$chromium" ] || { echo "bench/report.sh: needs Chromium (Debian package chromium) or FAULTLINE_CHROMIUM" >&2; exit 3; }

. bench/measure.sh  # measure NAME SHOWN COMMAND..., median

chromium_flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --disable-extensions --disable-default-apps --no-pings
  "--host-resolver-rules=MAP * ~NOTFOUND")

# dump PAGE: prints "WALL_MS LOADED_MS" (LOADED_MS: the page's data-loaded-ms, or - for none).
dump() {
  local profile started ended loaded
  profile=$(mktemp -d "$work/profile.XXXXXX")
  started=$(date +%s%N)
  "$chromium" "${chromium_flags[@]}" --user-data-dir="$profile" --dump-dom "file://$1" >"$work/dom.html" 2>/dev/null
  ended=$(date +%s%N)
  rm -rf "$profile"
  loaded=$({ grep -o 'data-loaded-ms="[0-9.]*"' "$work/dom.html" || true; } | head -1 | tr -dc '0-9.')
  echo "$(((ended - started) / 1000000)) ${loaded:--}"
}

# load_time PAGE: prints "LOADED_MEDIAN_MS|WALL_DIFFERENCE_MEDIAN_MS".
load_time() {
  local page=$1 loaded=() differences=()
  dump "$work/empty.html" >/dev/null  # warm the disk cache for both
  dump "$page" >/dev/null
  for round in $(seq "$rounds"); do
    local a b
    if [ $((round % 2)) -eq 1 ]; then a=$(dump "$work/empty.html"); b=$(dump "$page")
    else b=$(dump "$page"); a=$(dump "$work/empty.html"); fi
    loaded+=("${b#* }")
    differences+=("$((${b% *} - ${a% *}))")
  done
  echo "$(printf '%s\n' "${loaded[@]}" | median)|$(printf '%s\n' "${differences[@]}" | median)"
}

echo '<!DOCTYPE html><html><head><title>empty</title></head><body></body></html>' >"$work/empty.html"
rows=()
for ops in 10000 100000; do
  run="$work/run-$ops"
  mkdir -p "$run/nodes"
  echo "generating and checking a $ops-op history in $run" >&2
  "$faultline" generate --ops "$ops" --keys 1 --clients 10 --seed 1 --output "$run/history.jsonl" 2>/dev/null
  echo '{"protocol": "paxos", "workload": "register", "name": "bench", "seed": 1}' >"$run/test.json"
  "$faultline" analyze "$run" >/dev/null || [ $? -le 2 ]
  IFS='|' read -r _ generate_ms peak_mb _ < <(measure "report $ops" "faultline report RUN_DIR" "$faultline" report "$run")
  size_mb=$(awk -v bytes="$(stat -c %s "$run/report.html")" 'BEGIN { printf "%.1f", bytes / 1e6 }')
  echo "measuring the load of $run/report.html in $chromium" >&2
  IFS='|' read -r loaded_ms wall_ms < <(load_time "$run/report.html")
  rows+=("| $(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$ops") | $generate_ms ms | $size_mb MB | $peak_mb MB | $loaded_ms ms | $wall_ms ms |")
done

{
  echo "<!-- report: written by bench/report.sh; do not edit by hand -->"
  echo "### Reports"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), load average before the run $(cut -d' ' -f1-3 /proc/loadavg),"
  echo "with \`RUNS=$runs ROUNDS=$rounds bench/report.sh\`, $("$chromium" --version 2>/dev/null | head -1)."
  echo "Each history is \`faultline generate --ops N --keys 1 --clients 10 --seed 1\` (no fault windows), checked"
  echo "by \`faultline analyze\`; then \`faultline report RUN_DIR\` is timed alone (median of $runs runs, process start"
  echo "included; peak RSS the largest of them). Goals (issue 6): at 100,000 ops, generation <= 2 s, the file"
  echo "<= 15 MB, the load in headless Chromium <= 3 s."
  echo
  echo "| ops | generation | report.html | peak memory | load: page's figure | load: wall minus empty page |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "*Load, page's figure*: \`performance.now()\` in the page's load event (navigation start to load:"
  echo "reading the file, parsing, every script, dygraphs drawing both charts, the first timeline page),"
  echo "which the page writes into \`<html data-loaded-ms>\`, read with \`chromium --headless --dump-dom\`;"
  echo "median of $rounds rounds. *Wall minus empty page*: wall time of \`chromium --headless --dump-dom\` on"
  echo "the report minus the same on an empty page, fresh profile each, alternating which goes first;"
  echo "median of $rounds differences (adds layout after load and serializing the DOM). Chromium ran with"
  echo "the browser test's flags (\`--no-sandbox --disable-gpu\`, no name resolves)."
  echo "<!-- /report -->"
} >"$work/section.md"

bench/replace_section.sh report "$work/section.md"
cat "$work/section.md"
