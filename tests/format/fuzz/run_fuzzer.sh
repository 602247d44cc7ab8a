#!/usr/bin/env bash
# Builds the py-perf loader fuzzer with clang-14 (libFuzzer + ASan + UBSan, coverage on the
# loader itself) and runs it from the fixtures for SECONDS (default 60). Not part of CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
seconds=${1:-60}
out=${FUZZ_OUT:-/tmp/loadline-fuzz}
mkdir -p "$out/corpus"
cp "$root"/tests/data/format/good/*.json "$root"/tests/data/format/bad/*.json "$out/corpus/"
clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I"$root" \
  "$root"/tests/format/fuzz/loader_fuzzer.cpp \
  "$root"/core/format/{filebytes,jsoncursor,recordingreader,recordingwriter,atomicfile}.cpp \
  "$root"/core/timeline/{seriestable,timeline}.cpp -o "$out/loader_fuzzer"
"$out/loader_fuzzer" "$out/corpus" -max_total_time="$seconds" -max_len=65536 -dict=<(printf '"\\"system\\""\n"\\"processes\\""\n"\\"metadata\\""\n"\\"timestamp\\""\n"\\"function_timings\\""\n"\\"system_timeline\\""\n"\\"session_id\\""\n"/*"\n"*/"\n"//"\n"NaN"\n"Infinity"\n')
