#!/usr/bin/env bash
# Load test of `loadline-cli serve` on loopback with wrk (Debian's `wrk`): /api/system/metrics and
# /metrics, DURATION seconds each, while the sampler keeps ticking. Reports requests/s, p99 latency,
# errors, the server's RSS before and after, and the sampler's tick lateness.
# Usage: bench/serve/serve_load.sh [BUILD_DIR]   (env: DURATION=30 CONNECTIONS=32 THREADS=2 INTERVAL=0.5)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cli=$build/bin/loadline-cli
duration=${DURATION:-30}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
interval=${INTERVAL:-0.5}
command -v wrk >/dev/null || { echo "wrk is missing: LOADLINE_FULL_DEPS=1 scripts/install-deps.sh" >&2; exit 1; }
[[ -x $cli ]] || { echo "$cli is missing: build first" >&2; exit 1; }

tmp=$(mktemp -d)
server=
cleanup() {
  [[ -n $server ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"$cli" serve --port 0 --portfile "$tmp/port" --interval "$interval" --pid $$ 2>"$tmp/serve.log" &
server=$!
for _ in $(seq 300); do [[ -s $tmp/port ]] && break; sleep 0.05; done
port=$(cat "$tmp/port")
base=http://127.0.0.1:$port
for _ in $(seq 300); do curl -sf "$base/api/system/metrics" >/dev/null && break; sleep 0.05; done

rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
lateness() {
  curl -s "$base/api/system/metrics" | /usr/bin/python3 -c \
    'import json,sys; s=json.load(sys.stdin)["sampler"]; print(s["tick"], s["missed_ticks"], s["lateness_seconds"], s["max_lateness_seconds"])'
}
cpu_ticks() { awk '{print $14+$15}' "/proc/$server/stat"; }

echo "loadline-cli serve on $base, sampling every ${interval}s; wrk -t$threads -c$connections -d${duration}s"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm up with the same load (connection buffers and allocator pools reach their steady size), then measure.
wrk -t"$threads" -c"$connections" -d3s "$base/api/system/metrics" >/dev/null
wrk -t"$threads" -c"$connections" -d3s "$base/metrics" >/dev/null
rss_before=$(rss)
read -r tick0 missed0 _ _ < <(lateness)
for path in /api/system/metrics /metrics; do
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$base$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  sockerr=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out"); sockerr=${sockerr:-0}
  printf '%-22s %10s req/s   p99 %8s   non-2xx %s   socket errors %s\n' "$path" "$rps" "$p99" "$non2xx" "$sockerr"
done
rss_after=$(rss)
read -r tick1 missed1 late max_late < <(lateness)
expected=$(/usr/bin/python3 -c "print(round(2*$duration/$interval))")
echo "server RSS: before ${rss_before} KiB, after ${rss_after} KiB"
echo "sampler: $((tick1 - tick0)) ticks during the run (schedule: ~$expected), $((missed1 - missed0)) schedule points missed, last lateness ${late}s, worst since start ${max_late}s"
