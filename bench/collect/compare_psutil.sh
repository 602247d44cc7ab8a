#!/usr/bin/env bash
# loadline's collectors against psutil doing py-perf's per-tick work, in ONE run, on the same
# ten sleeping processes; then the recorder's own CPU use (0.5 s interval, 10 tracked) from
# /proc/self/stat over 60 s (--quick: 10 s); the tick as the recorder runs it (cold, 0.5 s apart);
# a checkpoint at the 3,600-sample bound, full rewrite against TimelineCheckpoint.
# Usage: bench/collect/compare_psutil.sh [--quick] [BUILD_DIR]
set -euo pipefail
QUICK=0
if [[ "${1:-}" == "--quick" ]]; then QUICK=1; shift; fi
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$HERE/../../build}
BENCH=$BUILD/bin/collect_bench
CLI=$BUILD/bin/loadline-cli
PY=/usr/bin/python3
for f in "$BENCH" "$CLI"; do [[ -x $f ]] || { echo "missing $f: cmake --build $BUILD --target collect_bench loadline-cli" >&2; exit 1; }; done
$PY -c 'import psutil' || { echo "python3-psutil missing (scripts/install-deps.sh)" >&2; exit 1; }

pids=()
for i in $(seq 10); do sleep 100000 & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
PIDS=$(IFS=,; echo "${pids[*]}")
MIN_TIME=$([[ $QUICK == 1 ]] && echo 0.3 || echo 1)
PY_SECONDS=$([[ $QUICK == 1 ]] && echo 1 || echo 3)

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(ls /proc | grep -c '^[0-9]') processes"
LOADLINE_BENCH_PIDS=$PIDS "$BENCH" --benchmark_min_time=$MIN_TIME --benchmark_format=json >/tmp/loadline-collect-bench.$$.json 2>/dev/null
$PY "$HERE/psutil_tick.py" "$PIDS" "$PY_SECONDS" >/tmp/loadline-psutil-bench.$$.json

$PY - /tmp/loadline-collect-bench.$$.json /tmp/loadline-psutil-bench.$$.json <<'PYEOF'
import json, sys
ll = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
ps = json.load(open(sys.argv[2]))
scale = {"us": 1, "ns": 1e-3, "ms": 1e3}
def us(b, key):
    return b[key] * scale[b["time_unit"]]
rows = [("tick, 1 tracked process", "BM_Tick1Tracked", "tick_1_tracked_us"),
        ("tick, 10 tracked processes", "BM_Tick10Tracked", "tick_10_tracked_us"),
        ("full scan of all processes", "BM_FullScan", "full_scan_us")]
print(f"psutil {ps['psutil']}, {ps['processes']} processes; CPU time = user+system of the measuring thread/process")
print(f"{'case':30} {'loadline CPU us':>16} {'psutil CPU us':>14} {'ratio':>7}   {'loadline wall':>13} {'psutil wall':>12} {'ratio':>7}")
for label, b, p in rows:
    lc, lw = us(ll[b], "cpu_time"), us(ll[b], "real_time")
    pc, pw = ps[p]
    print(f"{label:30} {lc:16.1f} {pc:14.1f} {pc / lc:6.1f}x   {lw:13.1f} {pw:12.1f} {pw / lw:6.1f}x")
b = ll["BM_SamplerTick10Tracked"]
print(f"{'sampler tick, everything, 10':30} {us(b, 'cpu_time'):16.1f}   (all metrics, io, fds, timeline append; warm, back to back)")
cold = next(v for k, v in ll.items() if k.startswith("BM_SamplerTickCold10Tracked/500"))
print(f"{'  the same, 0.5 s apart (cold)':30} {us(cold, 'real_time'):16.1f}   (this thread's CPU per tick, as the recorder runs it)")
full = next(v for k, v in ll.items() if k.startswith("BM_CheckpointFullRewrite"))
inc = next(v for k, v in ll.items() if k.startswith("BM_CheckpointIncremental"))
print(f"checkpoint at 3,600 samples x 11 series ({full['file_MB']:.1f} MB, fsync'd): full rewrite "
      f"{us(full, 'cpu_time') / 1000:.1f} ms CPU, incremental {us(inc, 'cpu_time') / 1000:.1f} ms CPU "
      f"({us(full, 'cpu_time') / us(inc, 'cpu_time'):.1f}x less); one per 10 s = "
      f"{us(inc, 'cpu_time') / 1e6 / 10 * 100:.3f} % of a core")
PYEOF
rm -f /tmp/loadline-collect-bench.$$.json /tmp/loadline-psutil-bench.$$.json

DURATION=$([[ $QUICK == 1 ]] && echo 10 || echo 60)
OUT=$(mktemp --suffix=.json)
args=()
for p in "${pids[@]}"; do args+=(--pid "$p"); done
echo "recorder: loadline-cli record --interval 0.5 --duration $DURATION with 10 tracked processes ..."
"$CLI" record -o "$OUT" --interval 0.5 --duration "$DURATION" "${args[@]}" --report-cpu 2>&1 | grep -E "CPU|saved"
rm -f "$OUT"
