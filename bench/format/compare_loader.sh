#!/usr/bin/env bash
# Compares BM_LoadTimeline/100000 (the py-perf loader on a 100,000-sample timeline in memory) of
# two format_bench binaries, run in turns so that both see the same machine load: the minimum
# and median CPU time of each over ROUNDS x 10 repetitions.
#   bench/format/compare_loader.sh OLD/format_bench NEW/format_bench [ROUNDS]
set -euo pipefail
old=$1 new=$2 rounds=${3:-3}
declare -A times
for ((i = 0; i < rounds; i++)); do
  for b in "$old" "$new"; do
    times[$b]+=" $("$b" --benchmark_filter='BM_LoadTimeline/100000$' --benchmark_repetitions=10 \
      --benchmark_format=csv 2>/dev/null | awk -F, '/^"BM_LoadTimeline\/100000"/ {printf "%s ", $4}')"
  done
done
for b in "$old" "$new"; do
  echo "${times[$b]}" | tr ' ' '\n' | grep . | sort -g |
    awk -v name="$b" '{v[NR] = $1} END {printf "%s: cpu ms min %.1f median %.1f (n=%d)\n", name, v[1], v[int((NR + 1) / 2)], NR}'
done
