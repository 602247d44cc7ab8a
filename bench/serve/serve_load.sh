#!/usr/bin/env bash
# Load test of `loadline-cli serve` on loopback with wrk (Debian's `wrk`): /api/system/metrics and
# /metrics, DURATION seconds each, while the sampler keeps ticking. Reports requests/s, p99 latency,
# errors, the server's RSS before and after, and the sampler's tick lateness. Then the same over
# HTTPS (a second server with a throwaway certificate made by openssl; wrk keeps its connections
# alive, so this measures TLS record costs, not handshakes). HTTPS=0 skips that run. Between the
# two, bench/serve/slow_drip.py: 200 connections dripping a byte a second from other loopback
# addresses while a well-behaved client asks every 0.2 s (DRIP=0 skips it).
# Usage: bench/serve/serve_load.sh [BUILD_DIR]   (env: DURATION=30 CONNECTIONS=32 THREADS=2 INTERVAL=0.5 HTTPS=1)
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
tls_server=
cleanup() {
  [[ -n $server ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [[ -n $tls_server ]] && kill -TERM "$tls_server" 2>/dev/null && wait "$tls_server" 2>/dev/null || true
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
measure() {  # measure BASE_URL LABEL: both endpoints, one line each
  local path out rps p99 non2xx sockerr cpu0 cpu1
  for path in /api/system/metrics /metrics; do
    cpu0=$(cpu_ticks)
    out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1$path")
    cpu1=$(cpu_ticks)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
    sockerr=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out"); sockerr=${sockerr:-0}
    printf '%-6s %-22s %10s req/s   p99 %8s   non-2xx %s   socket errors %s   server CPU %s s\n' "$2" "$path" "$rps" \
      "$p99" "$non2xx" "$sockerr" "$(/usr/bin/python3 -c "print(round(($cpu1-$cpu0)/$(getconf CLK_TCK),1))")"
  done
}
measure "$base" http
rss_after=$(rss)
read -r tick1 missed1 late max_late < <(lateness)
expected=$(/usr/bin/python3 -c "print(round(2*$duration/$interval))")
echo "server RSS: before ${rss_before} KiB, after ${rss_after} KiB"
echo "sampler: $((tick1 - tick0)) ticks during the run (schedule: ~$expected), $((missed1 - missed0)) schedule points missed, last lateness ${late}s, worst since start ${max_late}s"
if [[ ${DRIP:-1} == 1 ]]; then
  /usr/bin/python3 bench/serve/slow_drip.py "$port" --attackers 200 --drip 1 --seconds 20 || echo "slow drip: the client was NOT always answered"
fi

[[ ${HTTPS:-1} == 1 ]] || exit 0
command -v openssl >/dev/null || { echo "openssl is missing: scripts/install-deps.sh" >&2; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
  -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
kill -TERM "$server" && wait "$server" 2>/dev/null || true
server=
"$cli" serve --port 0 --portfile "$tmp/tlsport" --interval "$interval" --pid $$ \
  --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" 2>"$tmp/serve-tls.log" &
tls_server=$!
server=$tls_server  # rss and cpu_ticks read this one now
for _ in $(seq 300); do [[ -s $tmp/tlsport ]] && break; sleep 0.05; done
tbase=https://127.0.0.1:$(cat "$tmp/tlsport")
for _ in $(seq 300); do curl -sf --cacert "$tmp/cert.pem" "$tbase/api/system/metrics" >/dev/null && break; sleep 0.05; done
echo "HTTPS (TLS 1.3, keep-alive) on $tbase; load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t"$threads" -c"$connections" -d3s "$tbase/api/system/metrics" >/dev/null
rss_before=$(rss)
measure "$tbase" https
echo "server RSS (https): before ${rss_before} KiB, after $(rss) KiB"
server=
