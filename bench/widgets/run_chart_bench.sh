#!/bin/sh
# Chart frame times at 1600x900 offscreen: loadline's decimated TimelineView and Qt Charts
# given every point (naive), in one run.
# Usage: bench/widgets/run_chart_bench.sh [BUILD_DIR [BENCHMARK ARGS...]]
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
cmake --build "$build" --target timelineview_bench
QT_QPA_PLATFORM=offscreen "$build/bin/timelineview_bench" --benchmark_min_time=0.5 \
    --benchmark_filter=-NaiveSlow --benchmark_counters_tabular=true "$@"
