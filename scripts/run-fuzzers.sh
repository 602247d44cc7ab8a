#!/usr/bin/env bash
# Builds every libFuzzer target with clang-14 (libFuzzer + ASan + UBSan) and runs each for
# SECONDS (default 30) on its corpus kept in the repository (seeded with the reproducers of the
# bugs found by hostile testing: bare-LF headers, huge Content-Length, pipelined requests,
# 1e308 timestamps, "../" ids, thousands of columns). New inputs the fuzzer finds go to a scratch
# copy, never into the repository. A crash, leak, sanitizer report, timeout (10 s for one input)
# or abort fails the script (and CI).
#   scripts/run-fuzzers.sh [SECONDS]
# Targets: framer (the HTTP framing guard, core/serve/requestframer), one per push payload
# parser (services, metrics, pipelines, alerts; core/serve/pushpayloads + pushstores), summary
# (a pushed performance summary: the loader as serve runs it) and loader (py-perf files, with a
# save/load round trip).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
out=${FUZZ_OUT:-$(mktemp -d /tmp/loadline-fuzz.XXXXXX)}
mkdir -p "$out"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root")
jobs=$(nproc)

# Objects are compiled once and shared by the targets that use them (in parallel).
compile() {  # SOURCE OBJECT [extra flags]
  local src=$1 obj=$2; shift 2
  [ -f "$obj" ] || clang++-14 "${flags[@]}" "$@" -c "$src" -o "$obj"
}
serve="$root/core/serve"
# The loader's modules whole (core/format and what it links: base, timeline, and the .llrec store
# it opens), so a new source file there needs no change here.
format_sources=("$root"/core/base/*.cpp "$root"/core/format/*.cpp "$root"/core/timeline/*.cpp "$root"/core/store/*.cpp)
start=$SECONDS
units=()  # "SOURCE OBJECT [FLAG]"
for src in "$serve"/requestframer.cpp "$serve"/pushpayloads.cpp "$serve"/pushstores.cpp "${format_sources[@]}"; do
  units+=("$src $out/lib-$(basename "$src" .cpp).o")
done
units+=("$root/tests/serve/fuzz/framer_fuzzer.cpp $out/framer_fuzzer.o")
i=1
for p in services metrics pipelines alerts; do
  units+=("$root/tests/serve/fuzz/payload_fuzzer.cpp $out/${p}_fuzzer.o -DLOADLINE_FUZZ_PAYLOAD=$i")
  i=$((i + 1))
done
units+=("$root/tests/format/fuzz/loader_fuzzer.cpp $out/loader_fuzzer.o"
        "$root/tests/format/fuzz/loader_fuzzer.cpp $out/summary_fuzzer.o -DLOADLINE_FUZZ_SUMMARY")
for u in "${units[@]}"; do
  # shellcheck disable=SC2086  # "SOURCE OBJECT [FLAG]" splits into its words
  compile $u &
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
done
while (( $(jobs -rp | wc -l) > 0 )); do wait -n; done
link() {  # NAME OBJECTS...
  local name=$1; shift
  [ -x "$out/$name" ] || clang++-14 "${flags[@]}" "$@" -o "$out/$name"
}
link framer_fuzzer "$out/framer_fuzzer.o" "$out/lib-requestframer.o" "$out/lib-result.o"
for p in services metrics pipelines alerts; do
  link "${p}_fuzzer" "$out/${p}_fuzzer.o" "$out/lib-pushpayloads.o" "$out/lib-pushstores.o" "$out/lib-result.o"
done
format_objects=()
for src in "${format_sources[@]}"; do format_objects+=("$out/lib-$(basename "$src" .cpp).o"); done
link loader_fuzzer "$out/loader_fuzzer.o" "${format_objects[@]}" -lsqlite3
link summary_fuzzer "$out/summary_fuzzer.o" "${format_objects[@]}" -lsqlite3
echo "fuzz targets built in $((SECONDS - start)) s"

run() {  # NAME [SEED_DIR...] -- [extra libFuzzer args]
  local name=$1; shift
  rm -rf "$out/corpus-$name"; mkdir -p "$out/corpus-$name"
  while [ "$1" != -- ]; do cp "$1"/* "$out/corpus-$name/"; shift; done
  shift
  local begin=$SECONDS
  "$out/$name" "$out/corpus-$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/$name-" -print_final_stats=0 "$@" >"$out/$name.log" 2>&1 || { tail -40 "$out/$name.log"; echo "fuzzer $name FAILED (inputs in $out)" >&2; exit 1; }
  echo "fuzzer $name: $(ls "$out/corpus-$name" | wc -l) inputs, $((SECONDS - begin)) s, no findings"
}

run framer_fuzzer "$root/tests/serve/fuzz/corpus/framer" -- -max_len=8192
for p in services metrics pipelines alerts; do
  run "${p}_fuzzer" "$root/tests/serve/fuzz/corpus/$p" -- -max_len=65536
done
fixtures=("$root"/tests/data/format/good "$root"/tests/data/format/bad)
run loader_fuzzer "$root/tests/format/fuzz/corpus/loader" "${fixtures[@]}" -- -max_len=65536
run summary_fuzzer "$root/tests/format/fuzz/corpus/loader" "${fixtures[@]}" -- -max_len=65536
