#!/bin/sh
# A long .llrec recording in the window: generates stores of 1e6 and 1e7 ticks (system + 10
# processes, 0.06 s apart; 1e7 is a week, ~15 GB on disk, and takes a long while to generate)
# through the writer, then times what opening one in the window does: `open` is the window's path
# (a store of more than 200,000 ticks drawn from its consolidated levels, finer levels or ticks
# read on a worker for a narrow range): first frame at 1600x900 offscreen (CPU and wall),
# zoom/pan frame CPU on the GUI thread, the finer reads, RSS. `open-all` (stores up to 1e6 ticks
# only: it needs ~1.6 KB of memory per tick) reads every tick, as small stores open. Then the
# headless commands on the store: `loadline-cli export-png` (whole range, 1600x900) and
# `inspect`, wall and CPU time and peak RSS (GNU time); BEFORE_CLI=path/to/loadline-cli times
# another build the same way (e.g. one that reads every tick: set it only for stores that fit in
# memory, ~1.8 KB per tick).
#
#   [BEFORE_CLI=OLD/loadline-cli] bench/store/open_bench.sh BUILD_DIR [DIR=/tmp] [TICKS...]
# A store DIR/open-bench-N.llrec that exists already is used as it is (and kept).
# Optionally, atop's raw log for comparison of bytes per sample (when atop is installed).
set -eu
build=${1:?usage: open_bench.sh BUILD_DIR [DIR] [TICKS...]}
dir=${2:-/tmp}
shift $(( $# >= 2 ? 2 : 1 ))
[ $# -gt 0 ] || set -- 1000000 10000000
bench="$build/bin/loadline_store_open_bench"
cli="$build/bin/loadline-cli"
echo "# $(uptime)"
for n in "$@"; do
    f="$dir/open-bench-$n.llrec"
    keep=0
    if [ -e "$f" ]; then keep=1; else "$bench" generate "$f" "$n" 10 0.06; fi
    ls -l "$f"
    QT_QPA_PLATFORM=offscreen "$bench" open "$f" 40
    [ "$n" -gt 1000000 ] || QT_QPA_PLATFORM=offscreen "$bench" open-all "$f" 40
    if [ -x /usr/bin/time ]; then
        for c in "$cli" ${BEFORE_CLI:-}; do
            /usr/bin/time -f "$c export-png: %e s wall, %U s user + %S s sys CPU, %M KB peak RSS" \
                "$c" export-png "$f" -o "$dir/open-bench-$n.png" >/dev/null
            /usr/bin/time -f "$c inspect: %e s wall, %U s user + %S s sys CPU, %M KB peak RSS" \
                "$c" inspect "$f" >/dev/null
            rm -f "$dir/open-bench-$n.png"
        done
    fi
    echo "# $(uptime)"
    [ "$keep" = 1 ] || rm -f "$f" "$f-wal" "$f-shm"
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
