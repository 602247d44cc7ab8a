#!/usr/bin/env bash
# Builds every libFuzzer target with clang-14 (libFuzzer + ASan + UBSan) and runs each for
# SECONDS (default 30) on its corpus kept in the repository (seeded with the reproducers of the
# bugs found by hostile testing). New inputs the fuzzer finds go to a scratch copy, never into the
# repository. A crash, leak, sanitizer report or abort fails the script (and CI).
#   scripts/run-fuzzers.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
out=${FUZZ_OUT:-$(mktemp -d /tmp/loadline-fuzz.XXXXXX)}
mkdir -p "$out"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root")

build() {  # NAME SOURCES...
  local name=$1; shift
  [ -x "$out/$name" ] || clang++-14 "${flags[@]}" "$@" -o "$out/$name"
}
run() {  # NAME CORPUS_DIR [extra libFuzzer args]
  local name=$1 seeds=$2; shift 2
  rm -rf "$out/corpus-$name"; mkdir -p "$out/corpus-$name"
  cp "$seeds"/* "$out/corpus-$name/"
  local start=$SECONDS
  "$out/$name" "$out/corpus-$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=0 "$@" >"$out/$name.log" 2>&1 || { tail -40 "$out/$name.log"; echo "fuzzer $name FAILED" >&2; exit 1; }
  echo "fuzzer $name: $(grep -c . <(ls "$out/corpus-$name")) inputs, $((SECONDS - start)) s, no findings"
}

serve="$root/core/serve"
build framer_fuzzer "$root/tests/serve/fuzz/framer_fuzzer.cpp" "$serve/requestframer.cpp"
i=1
for p in services metrics pipelines alerts; do
  build "${p}_fuzzer" -DLOADLINE_FUZZ_PAYLOAD=$i "$root/tests/serve/fuzz/payload_fuzzer.cpp" \
    "$serve/pushpayloads.cpp" "$serve/pushstores.cpp"
  i=$((i + 1))
done
build loader_fuzzer "$root/tests/format/fuzz/loader_fuzzer.cpp" \
  "$root"/core/format/{filebytes,sigbusguard,jsoncursor,jsonstring,recordingreader,recordingwriter,timelinetext,atomicfile}.cpp \
  "$root"/core/timeline/{seriestable,timeline}.cpp

run framer_fuzzer "$root/tests/serve/fuzz/corpus/framer" -max_len=8192
for p in services metrics pipelines alerts; do
  run "${p}_fuzzer" "$root/tests/serve/fuzz/corpus/$p" -max_len=65536
done
mkdir -p "$out/seeds-loader"
cp "$root"/tests/data/format/good/*.json "$root"/tests/data/format/bad/*.json "$out/seeds-loader/"
run loader_fuzzer "$out/seeds-loader" -max_len=65536
