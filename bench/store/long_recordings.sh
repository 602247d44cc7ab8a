#!/usr/bin/env bash
# Recordings of any length: every goal beside its figure today, from one run of each part.
#
#  1. Side by side for DURATION s (default 120) at 0.5 s, the same 10 sleeping processes tracked:
#     `loadline-cli record -o RUN.llrec`, `loadline-cli record -o RUN.json` (journaled) and
#     py-perf's SystemMonitor (pyperf_monitor.py: psutil doing its sampling into deque rings).
#     Bytes each recorder wrote (wchar and write_bytes of /proc/PID/io, read each second until it
#     exits) per hour; its own CPU over the run (--report-cpu: CLOCK_PROCESS_CPUTIME_ID from after
#     the start-up to the end; os.times for Python) as % of one core and per sample, and the CPU
#     of the loadline processes from exec to exit (/proc/PID/stat, start-up and final save included).
#  2. The writer's per-tick CPU and bytes at the 1,000th and the 1,000,000th tick
#     (loadline_store_bench on /dev/shm; TICKS, default 1000500, takes a few minutes).
#  3. With --open: open and frame times of a long store (bench/store/open_bench.sh, its defaults).
#
#   bench/store/long_recordings.sh [--duration S] [--ticks N] [--open] [BUILD_DIR=build]
set -euo pipefail
duration=120
ticks=1000500
open=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) duration=$2; shift 2 ;;
        --ticks) ticks=$2; shift 2 ;;
        --open) open=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
cli=$build/bin/loadline-cli
bench=$build/bin/loadline_store_bench
for f in "$cli" "$bench"; do
    [[ -x $f ]] || { echo "missing $f: cmake --build $build --target loadline-cli loadline_store_bench" >&2; exit 1; }
done
/usr/bin/python3 -c 'import psutil' 2>/dev/null || { echo "python3-psutil missing (scripts/install-deps.sh)" >&2; exit 1; }

dir=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 10); do sleep 1000000 & pids+=($!); done
pidargs=()
for p in "${pids[@]}"; do pidargs+=(--pid "$p"); done

echo "# $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); ${duration} s at 0.5 s, 10 tracked processes"

watch() {  # PID LABEL: wchar/write_bytes while recording (the last reading before the final
          # save, and the seconds it covers), and utime+stime (ticks) last seen before PID ended
    local pid=$1 label=$2 io st w=0 b=0 cpu=0 t=1 start=$SECONDS
    while [[ -r /proc/$pid/io ]]; do
        st=$(cat /proc/"$pid"/stat 2>/dev/null) || break
        cpu=$(awk '{sub(/.*\) /, ""); print $12 + $13}' <<<"$st")
        if (( SECONDS - start < duration - 1 )); then
            io=$(cat /proc/"$pid"/io 2>/dev/null) || break
            w=$(awk '/^wchar/{print $2}' <<<"$io")
            b=$(awk '/^write_bytes/{print $2}' <<<"$io")
            t=$(( SECONDS - start > 0 ? SECONDS - start : 1 ))
        fi
        sleep 0.2
    done
    echo "$label $w $b $cpu $t"
}

"$cli" record -o "$dir/run.llrec" --interval 0.5 --duration "$duration" --report-cpu "${pidargs[@]}" \
    2>"$dir/llrec.log" & a=$!
"$cli" record -o "$dir/run.json" --interval 0.5 --duration "$duration" --report-cpu "${pidargs[@]}" \
    2>"$dir/json.log" & b=$!
/usr/bin/python3 "$here/pyperf_monitor.py" "$duration" 0.5 "${pids[@]}" >"$dir/pyperf.log" 2>&1 & c=$!
watch $a llrec >"$dir/llrec.io" & wa=$!
watch $b json >"$dir/json.io" & wb=$!
watch $c pyperf >"$dir/pyperf.io" & wc=$!
wait $a $b $c $wa $wb $wc
echo "# load after the side-by-side run: $(cut -d' ' -f1-3 /proc/loadavg)"
hz=$(getconf CLK_TCK)

declare -A mbh cpu pertick whole
for kind in llrec json pyperf; do
    read -r _ w bw t secs <"$dir/$kind.io"
    # Bytes while recording (read until a second before the end: not the JSON's single final
    # save), per hour of the seconds they cover.
    mbh[$kind]=$(awk -v w="$w" -v d="$secs" 'BEGIN { printf "%.1f", w * 3600 / d / 1e6 }')
    whole[$kind]=$(awk -v t="$t" -v hz="$hz" -v d="$duration" 'BEGIN { printf "%.4f", t / hz / d * 100 }')
    echo "$kind: written $(awk -v w="$w" -v bw="$bw" -v d="$secs" 'BEGIN {
        printf "%.1f MB/hour (wchar), %.1f MB/hour to storage (write_bytes)", w*3600/d/1e6, bw*3600/d/1e6 }')"
done
for kind in llrec json; do
    line=$(grep -h "recorder CPU" "$dir/$kind.log") || { cat "$dir/$kind.log" >&2; exit 1; }
    echo "$kind: ${line#*: }"
    cpu[$kind]=$(grep -o 'CLOCK_PROCESS_CPUTIME_ID: [0-9.]* s = [0-9.]* %' <<<"$line" | awk '{print $5}')
    s=$(grep -o 'CLOCK_PROCESS_CPUTIME_ID: [0-9.]* s' <<<"$line" | awk '{print $2}')
    n=$(grep -o '[0-9]* samples' <<<"$line" | tail -1 | awk '{print $1}')
    pertick[$kind]=$(awk -v s="$s" -v n="$n" 'BEGIN { printf "%.0f", s / n * 1e6 }')
done
line=$(cat "$dir/pyperf.log")
echo "pyperf: $line"
cpu[pyperf]=$(grep -o '= [0-9.]* %' <<<"$line" | awk '{print $2}')
pertick[pyperf]=$(grep -o '[0-9]* us/sample' <<<"$line" | awk '{print $1}')
echo "whole process from exec to exit (/proc/PID/stat, 10 ms ticks): .llrec ${whole[llrec]} %, -o .json ${whole[json]} %, python3 ${whole[pyperf]} %"

echo "# writer per tick as the recording grows ($bench /dev/shm $ticks 10)"
"$bench" /dev/shm "$ticks" 10 | tee "$dir/store.txt"
at() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$dir/store.txt"; }

if [[ $open == 1 ]]; then
    echo "# open and frame times (bench/store/open_bench.sh $build)"
    "$here/open_bench.sh" "$build" "${TMPDIR:-/tmp}"
fi

met() { awk -v v="$1" -v g="$2" 'BEGIN { print (v + 0 < g + 0) ? "yes" : "NO" }'; }
echo
echo "goal (long recordings, 0.5 s, 10 processes)            | figure today"
printf '%-55s | %s MB/h (.llrec), %s MB/h (-o .json, + the JSON once at the end): %s, %s\n' \
    "< 50 MB written per hour whatever the output type" "${mbh[llrec]}" "${mbh[json]}" \
    "$(met "${mbh[llrec]}" 50)" "$(met "${mbh[json]}" 50)"
printf '%-55s | %s %% (.llrec), %s %% (-o .json); %s / %s us per sample: %s, %s\n' \
    "recorder's own CPU < 0.1 % of one core over ${duration} s" "${cpu[llrec]}" "${cpu[json]}" \
    "${pertick[llrec]}" "${pertick[json]}" "$(met "${cpu[llrec]}" 0.1)" "$(met "${cpu[json]}" 0.1)"
printf '%-55s | %s %% of one core, %s us per sample (same run)\n' "  py-perf SystemMonitor on the same work" \
    "${cpu[pyperf]}" "${pertick[pyperf]}"
if [[ -n $(at 1000000 2) ]]; then
    printf '%-55s | %s vs %s us CPU, %s vs %s bytes per tick\n' "per-tick cost at the 1,000th = the 1,000,000th sample" \
        "$(at 1000 2)" "$(at 1000000 2)" "$(at 1000 3)" "$(at 1000000 3)"
else
    printf '%-55s | %s us CPU, %s bytes per tick at the 1,000th (run with --ticks 1000500 for the 1,000,000th)\n' \
        "per-tick cost at the 1,000th = the 1,000,000th sample" "$(at 1000 2)" "$(at 1000 3)"
fi
[[ $open == 1 ]] || printf '%-55s | %s\n' "1e7 samples: first frame < 1 s, frames <= 16 ms, RSS < 300 MB" \
    "not run (--open runs bench/store/open_bench.sh)"
