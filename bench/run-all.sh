#!/usr/bin/env bash
# Regenerates the whole benchmark table: every Google Benchmark binary of the build and every
# side-by-side script in bench/, each run RUNS times, reported as the median with the spread
# (min–max) of the runs, CPU time beside wall time, on the machine named at the top.
#
#   bench/run-all.sh [BUILD_DIR] [RUNS] > docs/benchmarks-run.md
#   env: ONLY=regex     run only the benches whose name matches (e.g. ONLY='format|serve')
#        SKIP_SCRIPTS=1 only the Google Benchmark binaries (minutes instead of ~an hour)
#
# Google Benchmark binaries (BUILD_DIR/bin/*_bench, bench_*) run with --benchmark_repetitions.
# The scripts print text; a line that has the same words in every run (numbers aside) is printed
# once with each number replaced by "median [min–max]", so every script's own table is summarised
# without a parser per script. Needs python3. Build with the release preset for published figures:
#   cmake --preset release && cmake --build build-release && bench/run-all.sh build-release 5
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-3}
only=${ONLY:-.}
[[ -d $build/bin ]] || { echo "no $build/bin: build first (cmake --build $build)" >&2; exit 1; }
work=$(mktemp -d /tmp/loadline-run-all.XXXXXX)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen

cat <<EOF
# Benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),
$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME"),
load average at start $(cut -d' ' -f1-3 /proc/loadavg). Build: \`$build\` ($(grep -m1 CMAKE_BUILD_TYPE "$build/CMakeCache.txt" | cut -d= -f2)),
commit $(git -C "$here" rev-parse --short HEAD). Each figure: median [min–max] of $runs runs.
Command: \`bench/run-all.sh $build $runs\`.

EOF

# --- Google Benchmark binaries ---------------------------------------------------------------
for exe in "$build"/bin/*_bench "$build"/bin/bench_*; do
  [[ -x $exe ]] || continue
  name=$(basename "$exe")
  [[ $name =~ $only ]] || continue
  json=$work/$name.json
  if ! "$exe" --benchmark_repetitions="$runs" --benchmark_min_time=0.2 --benchmark_format=json \
      >"$json" 2>"$work/$name.err"; then
    echo "## \`$name\`: FAILED"; echo; sed 's/^/    /' "$work/$name.err" | tail -5; echo; continue
  fi
  python3 - "$name" "$json" <<'PY'
import json, statistics, sys
name, path = sys.argv[1], sys.argv[2]
runs = {}
for b in json.load(open(path))["benchmarks"]:
    if b.get("run_type") == "aggregate":
        continue
    runs.setdefault(b["run_name"] if "run_name" in b else b["name"], []).append(b)
def fig(values, unit):
    med = statistics.median(values)
    return f"{med:.4g} [{min(values):.4g}–{max(values):.4g}] {unit}"
print(f"## `{name}` (`build/bin/{name} --benchmark_repetitions=N`)\n")
print("| benchmark | CPU time | wall time |")
print("|---|---|---|")
for bench, reps in runs.items():
    unit = reps[0]["time_unit"]
    print(f"| {bench} | {fig([r['cpu_time'] for r in reps], unit)} | {fig([r['real_time'] for r in reps], unit)} |")
print()
PY
done

[[ ${SKIP_SCRIPTS:-0} == 1 ]] && exit 0

# --- side-by-side scripts ----------------------------------------------------------------------
summarise() {  # NAME FILE... : one line per stable line shape, numbers as median [min–max]
  python3 - "$@" <<'PY'
import re, statistics, sys
name, files = sys.argv[1], sys.argv[2:]
number = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")
outputs = [open(f).read().splitlines() for f in files]
def shape(line):
    return number.sub("#", line)
shapes = [[shape(l) for l in out] for out in outputs]
print(f"## `{name}`\n")
print("```")
for i, line in enumerate(outputs[0]):
    s = shapes[0][i]
    matches = [out[sh.index(s)] for out, sh in zip(outputs, shapes) if s in sh]
    if len(matches) < len(outputs) or "#" not in s:
        print(line)
        continue
    columns = [[float(n.replace(",", "")) for n in number.findall(m)] for m in matches]
    parts, pos = [], 0
    for k, m in enumerate(number.finditer(line)):
        vals = [c[k] for c in columns]
        med = statistics.median(vals)
        lo, hi = min(vals), max(vals)
        text = f"{med:g}" if lo == hi else f"{med:g} [{lo:g}–{hi:g}]"
        parts.append(line[pos:m.start()] + text)
        pos = m.end()
    print("".join(parts) + line[pos:])
print("```\n")
PY
}
run_script() {  # NAME COMMAND...
  local name=$1; shift
  [[ $name =~ $only ]] || return 0
  local files=() i
  for ((i = 1; i <= runs; i++)); do
    if ! "$@" >"$work/$name.$i.out" 2>&1; then
      echo "## \`$name\`: FAILED (run $i)"; echo; tail -5 "$work/$name.$i.out" | sed 's/^/    /'; echo; return 0
    fi
    files+=("$work/$name.$i.out")
  done
  summarise "$name: $*" "${files[@]}"
}
run_script loader-vs-python "$here/bench/format/compare_python.sh"
run_script collectors-vs-psutil "$here/bench/collect/compare_psutil.sh" "$build"
run_script chart-frames "$here/bench/widgets/run_chart_bench.sh" "$build"
if command -v wrk >/dev/null; then run_script serve-load "$here/bench/serve/serve_load.sh" "$build"; fi
if command -v promtool >/dev/null; then run_script prometheus-import "$here/bench/fleet/import_24h.sh" "$build" 1; fi
for extra in "$here"/bench/*/run_*.sh; do  # benches added later follow the run_<name>.sh convention
  [[ -x $extra && $(basename "$extra") != run_chart_bench.sh ]] || continue
  run_script "$(basename "$extra" .sh)" "$extra" "$build"
done
