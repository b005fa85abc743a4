#!/usr/bin/env bash
# Replay and shrink, measured (issue 21's acceptance):
# 1. A quorum-local-read run that found stale reads, replayed REPLAYS times (default 10) on the
#    same build, and REPLAYS times with the bug taken out (--bug ''): how often each is invalid.
#    Reads and writes only (--no-cas): quorum replication is linearizable for those (ABD), never
#    for cas, so without the bug a replay must be valid.
# 2. `faultline shrink` on SHRINKS (default 3) failing runs of paxos-reply-before-persist with
#    many kills: faults before and after, candidates tried, and the time it took.
# Writes BENCHMARKS.md.
#   bench/replay_shrink.sh                 (from the repository root, after scripts/build)
#   REPLAYS=3 SHRINKS=1 bench/replay_shrink.sh
#   FAULTLINE=/tmp/copy/faultline bench/replay_shrink.sh   (a copy, so that a build meanwhile cannot change it)
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=${FAULTLINE:-build/bin/faultline}
[ -x "$faultline" ] || { echo "bench/replay_shrink.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/replay_shrink.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
replays=${REPLAYS:-10} shrinks=${SHRINKS:-3}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
stale=(--protocol quorum --bug quorum-local-read --workload kv --keys 50 --values 1000 --no-cas --nemesis kill --nemesis-interval 0.8)
durability=(--bug paxos-reply-before-persist --workload set --nemesis kill --nemesis-interval 0.7 --nemesis-targets all --time-limit 20)

first_failing() {  # first_failing NAME ARGS...: the run directory of the first seed of 1..10 that is invalid
  local name=$1 seed
  shift
  for seed in $(seq 1 10); do
    if ! "$faultline" test "$@" --seed "$seed" --store "$store" --name "$name-$seed" >"$store/$name-$seed.txt" 2>&1 &&
      [ "$(jq -r .valid "$store/$name-$seed/latest/results.json")" = false ]; then
      readlink -f "$store/$name-$seed/latest"
      return
    fi
  done
  echo "bench/replay_shrink.sh: no seed of 1..10 failed: $*" >&2
  exit 2
}

replayed_invalid() {  # replayed_invalid RUN [replay flags]: how many of the replays are invalid
  local run=$1 invalid=0 i
  shift
  for i in $(seq 1 "$replays"); do
    "$faultline" replay "$run" --store "$store" --name "replay-$i" "$@" >"$store/replay.txt" 2>&1 || true
    [ "$(jq -r .valid "$store/replay-$i/latest/results.json")" = false ] && invalid=$((invalid + 1))
    echo "  replay $i $*: $(jq -r .valid "$store/replay-$i/latest/results.json")" >&2
  done
  echo "$invalid"
}

stale_run=$(first_failing stale "${stale[@]}")
with_bug=$(replayed_invalid "$stale_run")
without_bug=$(replayed_invalid "$stale_run" --bug '')

rows=""
found=0
for seed in $(seq 1 20); do
  [ "$found" -lt "$shrinks" ] || break
  name="durability-$seed"
  if "$faultline" test "${durability[@]}" --seed "$seed" --store "$store" --name "$name" >"$store/$name.txt" 2>&1 ||
    [ "$(jq -r .valid "$store/$name/latest/results.json")" != false ]; then
    continue
  fi
  found=$((found + 1))
  run=$(readlink -f "$store/$name/latest")
  started=$(date +%s)
  "$faultline" shrink "$run" --tries 3 --time-budget 900 >"$store/shrink-$seed.txt" 2>&1 || true
  took=$(($(date +%s) - started))
  before=$(sed -n 's/^shrinking .*: \([0-9]*\) faults\?, .*/\1/p' "$store/shrink-$seed.txt")
  after=$(sed -n 's/^minimal schedule: \([0-9]*\) faults\?$/\1/p' "$store/shrink-$seed.txt")
  candidates=$(grep -c '^candidate ' "$store/shrink-$seed.txt" || true)
  runs=$(grep -c '^  try ' "$store/shrink-$seed.txt" || true)
  echo "  shrink seed $seed: $before -> ${after:-?} faults in $took s" >&2
  rows+="| $seed | $before | ${after:-none} | $candidates | $runs | $took |"$'\n'
done

{
  echo "<!-- replay-shrink: written by bench/replay_shrink.sh; do not edit by hand -->"
  echo "### Replay and shrink"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`REPLAYS=$replays SHRINKS=$shrinks bench/replay_shrink.sh\`."
  echo
  echo "Replay: the first failing seed of \`faultline test ${stale[*]}\` ($(basename "$(dirname "$stale_run")")),"
  echo "replayed $replays times with \`faultline replay RUN\`, and $replays times without the bug (\`faultline replay RUN --bug ''\`):"
  echo
  echo "| replayed | invalid replays |"
  echo "|---|---|"
  echo "| same build, bug planted | $with_bug of $replays |"
  echo "| bug taken out | $without_bug of $replays |"
  echo
  echo "Shrink: \`faultline shrink RUN --tries 3 --time-budget 900\` on failing runs of"
  echo "\`faultline test ${durability[*]} --seed S\` (lost acknowledged adds). A fault is an action with the"
  echo "actions that end it: kills of two nodes restarted together count as one."
  echo
  echo "| seed | faults in the run | faults left | candidates | runs | seconds |"
  echo "|---|---|---|---|---|---|"
  printf '%s' "$rows"
  echo "<!-- /replay-shrink -->"
} >"$store/section.md"

bench/replace_section.sh replay-shrink "$store/section.md"
cat "$store/section.md"
