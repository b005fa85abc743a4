#!/usr/bin/env bash
# The README's quorum comparison table from a run of suites/quorum-comparison.json: one row
# per configuration, one column per nemesis; each cell the verdict (bold when invalid; "(any)"
# when the suite records it without asserting it), the share of operations ok during faults,
# and the p99 latency.
#   bench/quorum_table.sh STORE/suites/quorum-comparison/<started>/summary.json
set -euo pipefail
summary=${1:?usage: bench/quorum_table.sh SUMMARY.json}
command -v jq >/dev/null || { echo "bench/quorum_table.sh: needs jq (scripts/install-deps installs it)" >&2; exit 3; }
jq -r '
  def cell: (if .verdict == "invalid" then "**invalid**" else .verdict end)
            + (if .expect == "any" then " (any)" else "" end)
            + (if .availability == null then "" else ", \(.availability * 100 | round)%" end)
            + (if .p99_ms == null then "" else ", \(if .p99_ms < 10 then (.p99_ms * 10 | round / 10) else (.p99_ms | round) end) ms" end);
  .nemeses as $nemeses
  | "| configuration | " + ($nemeses | join(" | ")) + " |",
    "|---|" + ($nemeses | map("---|") | join("")),
    (.rows[] as $row
     | "| " + $row.configuration + " | "
       + ([$nemeses[] as $n | (.cells[] | select(.configuration == $row.configuration and .workload == $row.workload and .nemesis == $n) | cell)] | join(" | "))
       + " |")
' "$summary"
