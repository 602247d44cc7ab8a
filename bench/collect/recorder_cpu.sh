#!/usr/bin/env bash
# The recorder's own CPU use, as a user runs it: `loadline-cli record --interval I --duration D`
# tracking 10 sleeping processes, with the contention sources (PSI, run-queue wait, cgroups) and
# with --no-contention, side by side (both at once, so both see the same machine), several runs,
# medians. CPU is the recorder's CLOCK_PROCESS_CPUTIME_ID over the run (all its threads:
# sampler ticks, the main thread's checkpoints and wake-ups), from --report-cpu.
#
# Usage: bench/collect/recorder_cpu.sh [--runs N] [--duration S] [--interval S] [--floor]
#                                      [--also 'LABEL=CLI [ARGS]']... [BUILD_DIR]
#   --runs 3 --duration 120 --interval 0.5 by default (the long-recordings goal: < 0.1 % of one
#   core over 120 s at 0.5 s with 10 processes).
#   --also adds a recorder to every run, e.g. an older build:
#     --also 'old=/tmp/old/loadline-cli' --also 'old-nc=/tmp/old/loadline-cli --no-contention'
#   --floor also runs recorder_floor (bench/collect/recorder_floor.cpp) in its three modes beside
#   them: the CPU of only the wake-ups (floor-wake), + the same /proc reads (floor-read), + one
#   6 KB write and fdatasync a second (floor-commit): the machine's price for the work, under
#   which no recorder of the same samples and durability can go.
# Prints each run (with the load average before and after it) and the medians.
set -euo pipefail
RUNS=3
DURATION=120
INTERVAL=0.5
ALSO=()
FLOOR=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --interval) INTERVAL=$2; shift 2 ;;
        --also) ALSO+=("$2"); shift 2 ;;
        --floor) FLOOR=1; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$HERE/../../build}
CLI=$BUILD/bin/loadline-cli
[[ -x $CLI ]] || { echo "missing $CLI: cmake --build $BUILD --target loadline-cli" >&2; exit 1; }
FLOORBIN=$BUILD/bin/recorder_floor
if [[ $FLOOR == 1 && ! -x $FLOORBIN ]]; then
    echo "missing $FLOORBIN: cmake --build $BUILD --target recorder_floor" >&2
    exit 1
fi
floors=()
[[ $FLOOR == 1 ]] && floors=(wake read commit)

TMP=$(mktemp -d)
pids=()
cleanup() {
    kill "${pids[@]}" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
for _ in $(seq 10); do sleep 1000000 & pids+=($!); done
track=()
for p in "${pids[@]}"; do track+=(--pid "$p"); done

# Each recorder: a label, its binary and the options it gets after `record`.
labels=(contention no-contention)
bins=("$CLI" "$CLI")
extra=("" "--no-contention")
for a in "${ALSO[@]}"; do
    labels+=("${a%%=*}")
    spec=${a#*=}
    bins+=("${spec%% *}")
    [[ $spec == *" "* ]] && extra+=("${spec#* }") || extra+=("")
done

echo "machine: $(nproc) CPUs, $(uname -r), $(ls /proc | grep -c '^[0-9]') processes"
echo "each run: record --interval $INTERVAL --duration $DURATION, 10 tracked sleeping processes, recorders side by side"
for r in $(seq "$RUNS"); do
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    recorders=()
    for i in "${!labels[@]}"; do
        # shellcheck disable=SC2086  # the extra options are split on purpose
        "${bins[$i]}" record ${extra[$i]} -o "$TMP/out$i.json" --interval "$INTERVAL" --duration "$DURATION" \
            "${track[@]}" --report-cpu 2>"$TMP/log$r.$i" &
        recorders+=($!)
    done
    for f in "${floors[@]}"; do
        "$FLOORBIN" --mode "$f" --interval "$INTERVAL" --duration "$DURATION" --dir "$TMP" "${pids[@]}" \
            >"$TMP/floor$r.$f" 2>&1 &
        recorders+=($!)
    done
    wait "${recorders[@]}" || true
    after=$(cut -d' ' -f1-3 /proc/loadavg)
    line="run $r (load $before -> $after):"
    for i in "${!labels[@]}"; do
        pct=$(grep -o 'CLOCK_PROCESS_CPUTIME_ID: [0-9.]* s = [0-9.]* %' "$TMP/log$r.$i" | awk '{print $5}' || true)
        [[ -n $pct ]] || { echo "run $r ${labels[$i]}: no CPU figure:" >&2; cat "$TMP/log$r.$i" >&2; exit 1; }
        echo "$pct" >>"$TMP/pct.$i"
        line+="  ${labels[$i]} $pct %"
    done
    for f in "${floors[@]}"; do
        pct=$(grep -o "floor $f: [0-9.]* %" "$TMP/floor$r.$f" | awk '{print $3}' || true)
        [[ -n $pct ]] || { echo "run $r floor-$f: no CPU figure:" >&2; cat "$TMP/floor$r.$f" >&2; exit 1; }
        echo "$pct" >>"$TMP/pct.floor-$f"
        line+="  floor-$f $pct %"
    done
    echo "$line"
done
median() { sort -g "$1" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
echo "median over $RUNS runs (% of one core, CLOCK_PROCESS_CPUTIME_ID):"
for i in "${!labels[@]}"; do
    printf '  %-16s %s\n' "${labels[$i]}" "$(median "$TMP/pct.$i")"
done
for f in "${floors[@]}"; do printf '  %-16s %s\n' "floor-$f" "$(median "$TMP/pct.floor-$f")"; done
echo "goal (long recordings, 0.5 s, 10 processes, 120 s): < 0.1 %"
