#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: loadline's NVML readings beside nvidia-smi's, taken at the same
# moment, and the cost of one GPU sample. Exit 1 when the device count, names or memory total differ.
# Usage: bench/collect/gpu_check.sh [BUILD_DIR]
set -euo pipefail
BUILD=${1:-$(dirname "$0")/../../build}
command -v nvidia-smi >/dev/null || { echo "no nvidia-smi: not an NVIDIA machine" >&2; exit 2; }
smi=$(nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu --format=csv,noheader,nounits)
snap=$("$BUILD/bin/loadline-cli" snapshot --json)
echo "nvidia-smi:"; echo "$smi"
python3 - "$snap" "$smi" <<'PY'
import json, sys
gpus = [g for g in json.loads(sys.argv[1])["gpu"] if g["vendor"] == "nvidia"]
smi = [[c.strip() for c in line.split(",")] for line in sys.argv[2].strip().splitlines()]
print("loadline:")
ok = len(gpus) == len(smi)
for g, s in zip(gpus, smi):
    print(f"{g['index']}, {g['name']}, {g['utilization']}, {g['memory_used'] / 2**20:.0f}, "
          f"{g['memory_total'] / 2**20:.0f}, {g['temperature']}")
    ok &= g["name"] == s[1] and abs(g["memory_total"] / 2**20 - float(s[4])) <= 1
print("agree" if ok else "DISAGREE")
sys.exit(0 if ok else 1)
PY
"$BUILD/bin/collect_bench" --benchmark_filter=BM_GpuSample --benchmark_min_time=0.5 2>/dev/null | grep BM_ || true
