#!/usr/bin/env bash
# Times loadline's loader against Python's json module on the same py-perf timeline, in one run:
# wall time, ratio, and peak RSS of each against the file size (goals: 5x Python's speed, RSS < 1.5x file).
#
#   bench/format/compare_python.sh [FILE] [SAMPLES]
#
# FILE defaults to /tmp/loadline-bench-pyperf.json and is generated (SAMPLES system samples and
# two processes of the same length, json.dump(indent=2) layout; 1,000,000 gives ~1 GB) when absent.
# Needs a built tree: cmake --preset release && cmake --build build-release
# (or set LOADLINE_BIN_DIR; build/bin is used when build-release/bin does not exist).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
file=${1:-/tmp/loadline-bench-pyperf.json}
samples=${2:-1000000}
bin=${LOADLINE_BIN_DIR:-}
if [[ -z $bin ]]; then
  if [[ -x $here/build-release/bin/loadline_load_file ]]; then bin=$here/build-release/bin; else bin=$here/build/bin; fi
fi
py=/usr/bin/python3

if [[ ! -f $file ]]; then
  echo "generating $file ($samples samples) ..."
  "$bin/loadline_gen_pyperf" --samples "$samples" "$file"
fi
# The generator must write what json.dump(indent=2) writes: check on a small file.
small=$(mktemp /tmp/loadline-gen-check.XXXXXX.json)
trap 'rm -f "$small"' EXIT
"$bin/loadline_gen_pyperf" --samples 50 "$small"
"$py" -c 'import json,sys; t=open(sys.argv[1]).read(); assert json.dumps(json.loads(t), indent=2) == t, "layout differs"' "$small"

size=$(stat -c %s "$file")
cat "$file" > /dev/null  # both runs start with the file in the page cache

# measure CMD...: prints "wall_seconds cpu_seconds peak_kb" of CMD (a child of a small Python
# timer). CPU time (user + system) is reported too: on a shared, busy machine it is the steadier.
measure() {
  "$py" - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{time.monotonic() - t:.3f} {ru.ru_utime + ru.ru_stime:.3f} {ru.ru_maxrss}")
PY
}

read -r ll_s ll_cpu ll_kb < <(measure "$bin/loadline_load_file" "$file")
read -r py_s py_cpu py_kb < <(measure "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$file")

"$py" - "$file" "$size" "$ll_s" "$ll_cpu" "$ll_kb" "$py_s" "$py_cpu" "$py_kb" <<'PY'
import sys
f, size = sys.argv[1], int(sys.argv[2])
ll_s, ll_cpu, ll_kb, py_s, py_cpu, py_kb = map(float, sys.argv[3:])
mb = size / 1e6
print(f"file: {f}  {mb:.0f} MB")
print(f"{'':20}{'wall (s)':>10}{'cpu (s)':>10}{'MB/s wall':>11}{'peak RSS (MB)':>15}{'RSS/file':>10}")
for name, s, cpu, kb in (("loadline loader", ll_s, ll_cpu, ll_kb), ("python3 json.load", py_s, py_cpu, py_kb)):
    print(f"{name:20}{s:10.2f}{cpu:10.2f}{mb / s:11.0f}{kb / 1024:15.0f}{kb * 1024 / size:10.2f}")
print(f"loadline is {py_s / ll_s:.1f}x faster than Python's json in wall time, {py_cpu / ll_cpu:.1f}x in CPU time;"
      f" its peak memory is {ll_kb * 1024 / size:.2f}x the file size (Python: {py_kb * 1024 / size:.2f}x)")
PY
