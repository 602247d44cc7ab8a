#!/usr/bin/env bash
# Compares the per-tick collection cost (BM_Tick1Tracked, BM_Tick10Tracked: SystemCollector::collect
# plus ProcessReader::sample of 1 or 10 processes) of two collect_bench binaries, run in turns so
# that both see the same machine load: the minimum and median CPU time of each over
# ROUNDS x 10 repetitions.
#   bench/collect/compare_tick.sh OLD/collect_bench NEW/collect_bench [ROUNDS]
set -euo pipefail
old=$1 new=$2 rounds=${3:-3}
declare -A times units
for ((i = 0; i < rounds; i++)); do
  for b in "$old" "$new"; do
    while IFS=, read -r name cpu unit; do
      times["$b $name"]+=" $cpu"
      units[$name]=$unit
    done < <("$b" --benchmark_filter='BM_Tick(1|10)Tracked$' --benchmark_repetitions=10 \
      --benchmark_format=csv 2>/dev/null | awk -F, '/^"BM_Tick[0-9]+Tracked"/ {gsub(/"/, "", $1); gsub(/"/, "", $5); print $1 "," $4 "," $5}')
  done
done
for name in BM_Tick1Tracked BM_Tick10Tracked; do
  for b in "$old" "$new"; do
    echo "${times["$b $name"]}" | tr ' ' '\n' | grep . | sort -g |
      awk -v name="$name" -v bin="$b" -v unit="${units[$name]}" \
        '{v[NR] = $1} END {printf "%s %s: cpu min %.2f median %.2f %s (n=%d)\n", name, bin, v[1], v[int((NR + 1) / 2)], unit, NR}'
  done
done
