#!/usr/bin/env bash
# Counts the instructions (valgrind callgrind, "Ir") that BM_LoadTimeline/100000 of two
# format_bench binaries executes inside loadRecordingFromString: a figure that other processes on
# the machine cannot disturb, to read beside compare_loader.sh's CPU times on a busy machine.
# Both runs make the same calls (one iteration at --benchmark_min_time=0.01); about 2 minutes.
#   bench/format/count_loader_instructions.sh OLD/format_bench NEW/format_bench
set -euo pipefail
old=$1 new=$2
dir=$(mktemp -d /tmp/loader-instructions.XXXXXX)
count() {  # BINARY OUT
  valgrind --tool=callgrind --callgrind-out-file="$2" --toggle-collect='loadline::core::loadRecordingFromString*' \
    "$1" --benchmark_filter='BM_LoadTimeline/100000$' --benchmark_min_time=0.01 >/dev/null 2>&1
  awk '/^summary:/ {print $2}' "$2"
}
a=$(count "$old" "$dir/old.out")
b=$(count "$new" "$dir/new.out")
echo "$old: $a instructions"
echo "$new: $b instructions"
awk -v a="$a" -v b="$b" 'BEGIN {printf "new/old: %+.2f %%\n", (b / a - 1) * 100}'
rm -rf "$dir"
