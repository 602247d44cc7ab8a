#!/usr/bin/env bash
# A real `loadline-cli record` at 0.5 s tracking 10 processes, once to FILE.llrec and once to
# FILE.json (journaled), side by side for DURATION seconds (default 120): bytes the recorder
# wrote (wchar and write_bytes of /proc/PID/io, read each second until it exits), extrapolated
# to an hour; its own CPU (--report-cpu); disk bytes per sample against the py-perf JSON.
#
# With BASELINE_CLI (a loadline-cli built before the store, e.g. from main) the same recording
# to JSON is run beside them with it: today's whole-file checkpoints every 10 s.
#
#   bench/store/record_footprint.sh [BUILD_DIR=build] [DURATION=120] [OUT_DIR=$(mktemp -d)] [BASELINE_CLI]
set -euo pipefail
build=${1:-build}
duration=${2:-120}
dir=${3:-$(mktemp -d)}
baseline=${4:-}
cli=$build/bin/loadline-cli
pids=()
for i in $(seq 10); do sleep 100000 & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
pidargs=()
for p in "${pids[@]}"; do pidargs+=(--pid "$p"); done
echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/'); ${duration} s at 0.5 s, 10 processes; in $dir"

watch_io() {  # PID LABEL: prints the last wchar/write_bytes seen before the process ended
  local pid=$1 label=$2 w=0 b=0 line
  while [[ -r /proc/$pid/io ]]; do
    line=$(cat /proc/"$pid"/io 2>/dev/null) || break
    w=$(awk '/^wchar/{print $2}' <<<"$line")
    b=$(awk '/^write_bytes/{print $2}' <<<"$line")
    sleep 1
  done
  echo "$label wchar=$w write_bytes=$b"
}

"$cli" record -o "$dir/run.llrec" --interval 0.5 --duration "$duration" --report-cpu "${pidargs[@]}" \
  2>"$dir/llrec.log" & a=$!
"$cli" record -o "$dir/run.json" --interval 0.5 --duration "$duration" --report-cpu "${pidargs[@]}" \
  2>"$dir/json.log" & b=$!
kinds=(llrec json)
watch_io $a llrec >"$dir/llrec.io" & wa=$!
watch_io $b json >"$dir/json.io" & wb=$!
waits=($a $b $wa $wb)
if [[ -n $baseline ]]; then
  "$baseline" record -o "$dir/base.json" --interval 0.5 --duration "$duration" --report-cpu "${pidargs[@]}" \
    2>"$dir/base.log" & c=$!
  watch_io $c base >"$dir/base.io" & wc=$!
  waits+=($c $wc); kinds+=(base)
fi
wait "${waits[@]}"
for kind in "${kinds[@]}"; do
  read -r _ w bw <"$dir/$kind.io"
  w=${w#wchar=}; bw=${bw#write_bytes=}
  # The rates are those of the recording's steady state (the last /proc read comes before the
  # final save, which happens once per recording: for JSON the file itself, at most
  # --max-samples samples).
  awk -v k="$kind" -v w="$w" -v b="$bw" -v d="$duration" 'BEGIN {
    printf "%-6s while recording: written (wchar) %.1f MB/hour; to storage (write_bytes) %.1f MB/hour\n", k, w*3600/d/1e6, b*3600/d/1e6 }'
  grep -h "recorder CPU" "$dir/$kind.log" | sed "s/^/$kind /"
done
echo "json final save (once, at the end): $(stat -c %s "$dir/run.json") bytes" 
samples=$(sqlite3 "$dir/run.llrec" 'select count(*) from tick')
llrec=$(stat -c %s "$dir/run.llrec"); json=$(stat -c %s "$dir/run.json")
jsamples=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['system']))" "$dir/run.json")
awk -v s="$samples" -v l="$llrec" -v j="$json" -v js="$jsamples" 'BEGIN {
  printf "disk per tick (system + 10 processes): .llrec %.0f bytes (%d ticks), py-perf JSON %.0f bytes (%d ticks)\n", l/s, s, j/js, js }'
