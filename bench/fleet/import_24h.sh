#!/usr/bin/env bash
# How long `loadline-cli import prometheus` takes for 24 h of one node at a 15 s step (5,760
# points × every column) against a local Prometheus whose TSDB was backfilled with
# `promtool tsdb create-blocks-from openmetrics` (node_exporter families, 4 CPUs, 15 s scrapes).
# usage: bench/fleet/import_24h.sh [BUILD_DIR] [RUNS]     (needs prometheus, promtool, python3)
set -euo pipefail
BUILD=${1:-build}
RUNS=${2:-5}
CLI=$(realpath "$BUILD/bin/loadline-cli")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/loadline-fleet-bench.XXXXXX)
PROM_PID=
cleanup() { [[ -n "$PROM_PID" ]] && kill "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

END=$(( $(date +%s) / 15 * 15 - 300 ))   # whole 15 s, 5 min ago (clear of the head block)
START=$(( END - 86400 + 15 ))
python3 "$HERE/gen_node_openmetrics.py" "$WORK/node.om" "$END" --hours 24 --interval 15 --cpus 4
promtool tsdb create-blocks-from openmetrics "$WORK/node.om" "$WORK/data" >/dev/null
echo "TSDB blocks: $(du -sb "$WORK/data" | cut -f1) bytes for 24 h of one node ($(grep -c '^node\|^up' "$WORK/node.om") samples)"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --storage.tsdb.retention.time=10y --web.listen-address=127.0.0.1:$PORT --log.level=warn 2>"$WORK/prom.log" &
PROM_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null && break; sleep 0.5; done

TCK=$(getconf CLK_TCK)
promcpu() { awk -v t="$TCK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$PROM_PID/stat"; }
for i in $(seq 0 "$RUNS"); do
  # run 0 warms Prometheus's page cache and its block index; runs 1..RUNS are reported
  before=$(promcpu)
  /usr/bin/time -f "%e s wall, %U s user, %S s sys (loadline-cli)" \
    "$CLI" import prometheus --url "http://127.0.0.1:$PORT" --instance bench:9100 \
      --from "$START" --to "$END" --step 15 -o "$WORK/out.json" 2>&1 | grep -v warning: | sed "s/^/run $i: /"
  echo "run $i: Prometheus CPU for this import: $(awk -v a="$before" -v b="$(promcpu)" 'BEGIN{printf "%.2f", b - a}') s"
done
python3 -c "import json,sys; d=json.load(open('$WORK/out.json')); print(len(d['system']), 'rows,', len(d['system'][0]), 'keys in the first row')"
