#!/usr/bin/env bash
# How much Prometheus stores per node: a real `loadline-cli serve` agent and a real
# prometheus-node-exporter (default collectors) scraped every second for SECONDS, then the series
# count per job (count by (job) ({__name__!=""})) and bytes
# per sample from the chunks Prometheus has written to disk (chunks_head holds full 120-sample
# chunks, mmapped; the WAL is not counted: it is kept only ~2-3 h). Per day = series × 86,400 /
# interval × bytes per sample.
# usage: bench/fleet/storage_per_node.sh [BUILD_DIR] [SECONDS]   (SECONDS ≥ 250: two full chunks)
set -euo pipefail
BUILD=${1:-build}
SECONDS_RUN=${2:-260}
CLI=$(realpath "$BUILD/bin/loadline-cli")
WORK=$(mktemp -d /tmp/loadline-fleet-storage.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
AP=$(port); NP=$(port); PP=$(port)
"$CLI" serve --port "$AP" --interval 1 --match 'prometheus' >/dev/null 2>&1 & PIDS+=($!)
prometheus-node-exporter --web.listen-address=127.0.0.1:$NP >/dev/null 2>&1 & PIDS+=($!)
cat > "$WORK/p.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: loadline
    static_configs: [{targets: ['127.0.0.1:$AP']}]
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:$NP']}]
YML
prometheus --config.file="$WORK/p.yml" --storage.tsdb.path="$WORK/data" --web.listen-address=127.0.0.1:$PP \
  --log.level=warn >/dev/null 2>&1 & PIDS+=($!)
sleep "$SECONDS_RUN"
q() { curl -s -G "http://127.0.0.1:$PP/api/v1/query" --data-urlencode "query=$1"; }
JOBS=$(q 'count by (job) ({__name__!=""})')
CHUNKS=$(du -sb "$WORK/data/chunks_head" | cut -f1)
python3 - "$JOBS" "$CHUNKS" <<'PY'
import json, sys
jobs = {r["metric"]["job"]: float(r["value"][1]) for r in json.loads(sys.argv[1])["data"]["result"]}
chunk_bytes = float(sys.argv[2])
series = sum(jobs.values())
full = series * 240  # two full 120-sample chunks per series after >= 250 s at 1 s
bps = chunk_bytes / full
print(f"{series:.0f} series, chunks_head {chunk_bytes:.0f} bytes "
      f"= {bps:.2f} bytes/sample over {full:.0f} mmapped samples")
for job, n in sorted(jobs.items()):
    for interval in (1, 15):
        print(f"  {job}: {n:.0f} series, scraped every {interval:>2} s -> "
              f"{n * 86400 / interval * bps / 2**20:.1f} MiB per node per day")
PY
