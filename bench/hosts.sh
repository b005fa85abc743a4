#!/usr/bin/env bash
# What running over SSH costs per fault: the same test (the bundled Paxos node, kill, pause and
# partition, a fault every second) once on 3 "hosts" reached over SSH (scripts/test-hosts: network
# namespaces with their own root and sshd on this machine; faultline runs in the controller's
# namespace) and once on this machine with --network netns (signals and iptables applied
# locally), in one run of this script. For each nemesis action, the median time from its
# invocation to its completion in the history (what the nemesis waited for: a partition's rules
# loaded on every host, a kill's process gone, a restart's node answering its health check), and
# each run's wall time beyond its planned duration (host checks, upload, setup, bringing logs
# back). Writes its section of BENCHMARKS.md.
#   bench/hosts.sh            (from the repository root, after scripts/build; root, sshd)
#   TIME_LIMIT=20 bench/hosts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
faultline=$PWD/build/bin/faultline
[ -x "$faultline" ] || { echo "bench/hosts.sh: build first (scripts/build)" >&2; exit 3; }
command -v jq >/dev/null || { echo "bench/hosts.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
[ "$(id -u)" -eq 0 ] || { echo "bench/hosts.sh: needs root (scripts/test-hosts makes namespaces)" >&2; exit 3; }
time_limit=${TIME_LIMIT:-40}
store=$(mktemp -d)
hosts=$store/hosts.json
trap 'scripts/test-hosts down "$hosts" >/dev/null 2>&1 || true; rm -rf "$store"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
scripts/test-hosts up "$hosts" --name flhb --subnet 198.19.250 >"$store/up.txt"
common=(--nemesis kill,pause,partition --nemesis-interval 1 --time-limit "$time_limit" --seed 1)

run() {  # run NAME ARGS...: the test, its wall time in s to $store/NAME.wall
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$@" --name "$name" --store "$store" "${common[@]}" >"$store/$name.txt" 2>&1 || true
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >"$store/$name.wall"
}

# Median duration in ms of each nemesis action f (invocation to completion) in a history.
durations() {
  jq -s -r '[.[] | select(.process == "nemesis")] as $ops
    | [range(0; $ops | length) as $i | $ops[$i] | select(.type == "invoke")
       | {f, ms: (([$ops[$i + 1:][] | select(.type != "invoke")][0].time - .time) / 1e6)}]
    | group_by(.f) | map({key: .[0].f, value: ((map(.ms) | sort) as $s | $s[($s | length) / 2 | floor])})
    | from_entries' "$1"
}

run on-hosts ip netns exec flhb-ctl "$faultline" test --hosts "$hosts"
run local "$faultline" test --network netns
hosts_ms=$(durations "$store/on-hosts/latest/history.jsonl")
local_ms=$(durations "$store/local/latest/history.jsonl")
planned() { jq '.plan.warmup_s + .plan.faults_s + .plan.recovery_s' "$store/$1/latest/test.json"; }

{
  echo "<!-- hosts: written by bench/hosts.sh; do not edit by hand -->"
  echo "### --hosts: the cost of SSH per fault"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $load, with"
  echo "\`TIME_LIMIT=$time_limit bench/hosts.sh\`: \`faultline test ${common[*]}\` on 3 hosts made by"
  echo "scripts/test-hosts (each a network namespace with its own root directory and sshd; the controller"
  echo "in a namespace of its own) with \`--hosts\`, and on this machine with \`--network netns\`. Each"
  echo "figure is the median time from a nemesis action's invocation to its completion in the history."
  echo
  echo "| nemesis action | over SSH (ms) | local (ms) |"
  echo "|---|---|---|"
  for f in start-partition stop-partition kill restart pause resume; do
    echo "| $f | $(jq -r --arg f "$f" '.[$f] // "-" | if type == "number" then (. * 10 | round / 10) else . end' <<<"$hosts_ms") |" \
      "$(jq -r --arg f "$f" '.[$f] // "-" | if type == "number" then (. * 10 | round / 10) else . end' <<<"$local_ms") |"
  done
  echo
  printf 'Wall time beyond the planned %s s: over SSH %.1f s (checking 3 hosts, uploading faultline-node, bringing\n' \
    "$(planned on-hosts)" "$(awk -v w="$(cat "$store/on-hosts.wall")" -v p="$(planned on-hosts)" 'BEGIN { print w - p }')"
  printf 'logs and data back), locally %.1f s. Verdicts: over SSH %s, locally %s.\n' \
    "$(awk -v w="$(cat "$store/local.wall")" -v p="$(planned local)" 'BEGIN { print w - p }')" \
    "$(grep -o 'verdict: [a-z]*' "$store/on-hosts.txt" | cut -d' ' -f2)" "$(grep -o 'verdict: [a-z]*' "$store/local.txt" | cut -d' ' -f2)"
  echo "<!-- /hosts -->"
} >"$store/section.md"

bench/replace_section.sh hosts "$store/section.md"
cat "$store/section.md"
