#!/usr/bin/env bash
# Puts a benchmark's section into BENCHMARKS.md: replaces the lines from "<!-- NAME:" to
# "<!-- /NAME -->", or appends the section when there is none yet.
#   bench/replace_section.sh NAME SECTION_FILE      (from the repository root)
set -euo pipefail
name=$1 section=$2
touch BENCHMARKS.md
if grep -q "<!-- $name:" BENCHMARKS.md; then
  new=$(mktemp)
  awk -v section="$section" -v begin="<!-- $name:" -v end="<!-- /$name -->" '
    index($0, begin) == 1 { while ((getline line < section) > 0) print line; skip = 1; next }
    index($0, end) == 1 { skip = 0; next }
    !skip { print }' BENCHMARKS.md >"$new"
  cat "$new" >BENCHMARKS.md
  rm -f "$new"
else
  { [ -s BENCHMARKS.md ] && echo; cat "$section"; } >>BENCHMARKS.md
fi
