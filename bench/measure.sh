# Sourced by the benchmark scripts (bash). Needs $work (a scratch directory) and $runs.
#   measure NAME SHOWN COMMAND...   prints "NAME|median_ms|peak_rss_mb|SHOWN": the median wall
#                                   time of $runs runs of COMMAND (process start included) and
#                                   the largest peak RSS among them (/usr/bin/time). SHOWN is the
#                                   command as people type it. Exit codes 0-2 count as success.
#   median                          the median of the numbers on stdin, one a line

median() {
  sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

measure() {
  local name=$1 shown=$2; shift 2
  local times=() peak=0
  for _ in $(seq "$runs"); do
    local started ended
    started=$(date +%s%N)
    /usr/bin/time -q -f '%M' -o "$work/time" "$@" >"$work/out" 2>&1 || [ $? -le 2 ]
    ended=$(date +%s%N)
    times+=("$(((ended - started) / 1000000))")
    read -r kb <"$work/time"
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  echo "$name|$(printf '%s\n' "${times[@]}" | median)|$((peak / 1024))|$shown"
}
