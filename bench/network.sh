#!/usr/bin/env bash
# Benchmarks the network backends of the partition and packet nemeses and writes the figures
# into BENCHMARKS.md: the link proxies alone (apply/heal, added latency, stream throughput),
# and a 3-node cluster on loopback, behind the proxies and in network namespaces (as root).
#   bench/network.sh            (from the repository root, as root for netns; builds what it runs)
set -euo pipefail
cd "$(dirname "$0")/.."
proxy_bench=build/bin/faultline-proxy-bench
network_bench=build/bin/faultline-bench-network
scripts/build faultline faultline-node faultline-proxy-bench faultline-bench-network >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

proxy_command="$proxy_bench 5000 128"
network_command="$network_bench --rounds 3 --ops 1000 --seconds 3 --control-rounds 50"
echo "running: $proxy_command" >&2
$proxy_command | tee "$work/proxy.txt" >&2
echo "running: $network_command" >&2
$network_command | tee "$work/network.txt" >&2

field() {  # field FILE LINE_PATTERN SED_EXPRESSION
  grep -E "$2" "$1" | head -1 | sed -E "$3"
}

{
  echo "<!-- network: written by bench/network.sh; do not edit by hand -->"
  echo "### Network backends: partitions, packet faults, and what they cost a run"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, load average before the run $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "**A 3-node cluster on each network** (\`$network_command\`): quorum R=W=2 with fsync off, so"
  echo "that the network rather than the disk differs; one client's sequential writes (each one a"
  echo "round to two peers) for latency, 16 clients back to back for throughput; then 50 times: cut"
  echo "the link n1 -> n2, heal every link. Medians over 3 rounds, networks in alternating order."
  echo
  echo "| network | write p50 / p99 | added to a request vs loopback (p50 / p99) | throughput, 16 clients | cut one link p50 / p99 | heal all p50 / p99 |"
  echo "|---|---|---|---|---|---|"
  while read -r line; do
    name=$(sed -E 's/^network ([a-z]+):.*/\1/' <<<"$line")
    lat=$(sed -E 's/.*write p50 ([0-9]+) us p99 ([0-9]+) us.*/\1 \/ \2 µs/' <<<"$line")
    added=$(sed -E 's/.*added p50 ([-+0-9]+) us p99 ([-+0-9]+) us.*/\1 \/ \2 µs/' <<<"$line")
    rate=$(sed -E 's/.*16 clients ([0-9]+) ops\/s \(([0-9]+)% of loopback\).*/\1 ops\/s (\2%)/' <<<"$line")
    apply="-"; heal="-"
    if grep -q "cut one link" <<<"$line"; then
      apply=$(sed -E 's/.*cut one link p50 ([0-9]+) us p99 ([0-9]+) us.*/\1 \/ \2 µs/' <<<"$line")
      heal=$(sed -E 's/.*heal p50 ([0-9]+) us p99 ([0-9]+) us.*/\1 \/ \2 µs/' <<<"$line")
    fi
    echo "| $name | $lat | $added | $rate | $apply | $heal |"
  done < <(grep '^network ' "$work/network.txt")
  echo
  echo "**The link proxies alone** (\`$proxy_command\`): an echo server on loopback, reached directly"
  echo "and through one proxied link; apply and heal with 50 idle connections open through the proxy."
  echo
  echo "| | figure |"
  echo "|---|---|"
  echo "| apply: cut one link (p50 / p99) | $(field "$work/proxy.txt" '^apply' 's/.*p50 ([0-9.]+) us  p99 ([0-9.]+) us.*/\1 \/ \2 µs/') |"
  echo "| heal_all (p50 / p99) | $(field "$work/proxy.txt" '^heal_all' 's/.*p50 ([0-9.]+) us  p99 ([0-9.]+) us.*/\1 \/ \2 µs/') |"
  echo "| 100 B round trip, direct (p50 / p99) | $(field "$work/proxy.txt" 'direct  p50' 's/.*direct  p50 ([0-9.]+) us  p99 ([0-9.]+) us.*/\1 \/ \2 µs/') |"
  echo "| 100 B round trip, proxied (p50 / p99) | $(field "$work/proxy.txt" 'proxied p50' 's/.*proxied p50 ([0-9.]+) us  p99 ([0-9.]+) us.*/\1 \/ \2 µs/') |"
  echo "| added by the proxy (p50 / p99) | $(field "$work/proxy.txt" 'added   p50' 's/.*added   p50 ([-0-9.]+) us  p99 ([-0-9.]+) us.*/\1 \/ \2 µs/') |"
  echo "| echo stream, 128 MiB each way: direct / proxied | $(field "$work/proxy.txt" '^echo stream' 's/.*direct ([0-9]+) MiB\/s  proxied ([0-9]+) MiB\/s \(([0-9]+)%\).*/\1 \/ \2 MiB\/s (\3%)/') |"
  echo
  echo "What the figures mean. The proxy adds one user-space hop per message in each direction (a"
  echo "request to two peers pays it on both round trips), which shows as a fixed ~0.1 ms on a request;"
  echo "its control calls take effect in tens of microseconds because they only change state on the"
  echo "proxy thread. The netns backend adds little to a request (tens of µs: the kernel bridges"
  echo "veths), but every change runs \`ip netns exec ... iptables-restore\` once per affected node"
  echo "(a process start each): milliseconds to apply, and heal touches every node. Both are far"
  echo "below a nemesis interval (seconds). Latency faults are proxy-only: this kernel has no netem."
  echo "<!-- /network -->"
} >"$work/section.md"

bench/replace_section.sh network "$work/section.md"
cat "$work/section.md"
