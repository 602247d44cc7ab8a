#!/bin/sh
# A long .llrec recording in the window: generates stores of 1e5 and 1e6 ticks (system + 10
# processes, 0.06 s apart) through the writer, then times what opening one in the window does
# (load + first frame at 1600x900 offscreen, zoom/pan frame CPU, RSS). 1e7 ticks (a week at
# 0.06 s, the goal's size) is ~15 GB on disk and, read whole as the window does today, would not
# fit in this machine's memory: pass TICKS to try it where it does.
#
#   bench/store/open_bench.sh BUILD_DIR [DIR=/tmp] [TICKS...]
# Optionally, atop's raw log for comparison of bytes per sample (when atop is installed).
set -eu
build=${1:?usage: open_bench.sh BUILD_DIR [DIR] [TICKS...]}
dir=${2:-/tmp}
shift $(( $# >= 2 ? 2 : 1 ))
[ $# -gt 0 ] || set -- 100000 1000000
bench="$build/bin/loadline_store_open_bench"
echo "# $(uptime)"
for n in "$@"; do
    f="$dir/open-bench-$n.llrec"
    "$bench" generate "$f" "$n" 10 0.06
    QT_QPA_PLATFORM=offscreen "$bench" open "$f" 40
    rm -f "$f" "$f-wal" "$f-shm"
done
if command -v atop >/dev/null 2>&1; then
    # atop writes every process of every sample (zlib-compressed); the difference between a
    # 31- and an 11-sample log is 20 samples without the file header.
    a="$dir/open-bench-atop"
    atop -w "$a-11.raw" 1 11 >/dev/null 2>&1
    atop -w "$a-31.raw" 1 31 >/dev/null 2>&1
    s11=$(stat -c %s "$a-11.raw"); s31=$(stat -c %s "$a-31.raw")
    echo "atop raw log: $(( (s31 - s11) / 20 )) bytes per sample with $(ls /proc | grep -c '^[0-9]') processes in /proc"
    rm -f "$a-11.raw" "$a-31.raw"
fi
