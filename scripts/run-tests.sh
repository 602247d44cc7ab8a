#!/usr/bin/env bash
# One command: install what is missing, build, and run every test through CTest; then the
# libFuzzer targets for a bounded time each and the core unit tests under ASan+UBSan.
# Extra arguments go to ctest (e.g. -R format). Each stage prints its wall time.
#   LOADLINE_FUZZ_SECONDS=30   seconds per fuzz target (default 0: the fuzz stage is skipped)
#   LOADLINE_SKIP_ASAN=0       runs the sanitizer stage (default 1: skipped)
# The fuzz and sanitizer stages are opt-in until they have run end to end on a fresh machine
# within CI's budget (the fuzz stage needs clang-14, which install-deps.sh does not install yet).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

declare -a stage_times=()
stage() {  # NAME COMMAND...
  local name=$1; shift
  local start=$SECONDS
  echo "=== stage: $name"
  "$@"
  local took=$((SECONDS - start))
  stage_times+=("$name: ${took} s")
  echo "=== stage: $name took ${took} s"
}
report() { echo "=== stage times:"; for t in "${stage_times[@]}"; do echo "    $t"; done; }
trap report EXIT

stage deps ./scripts/install-deps.sh
stage build ./scripts/build.sh
run_ctest() { (cd build && ctest --output-on-failure -j "$(nproc)" "$@"); }
stage ctest run_ctest "$@"

fuzz_seconds=${LOADLINE_FUZZ_SECONDS:-0}
if [ "$fuzz_seconds" != 0 ]; then
  stage fuzz ./scripts/run-fuzzers.sh "$fuzz_seconds"
fi

if [ "${LOADLINE_SKIP_ASAN:-1}" != 1 ]; then
  # The Qt-free core's unit tests (parsers, stores, tables, correlation, export) under
  # AddressSanitizer + UBSan: the code that reads what others wrote.
  asan_tests=(serve_core_test serve_api_test seriestable_test decimate_test correlate_test export_test collect_parse_test)
  asan() {
    cmake --preset dev-asan -DLOADLINE_BUILD_GUI=OFF -DLOADLINE_BUILD_BENCH=OFF >/dev/null
    cmake --build build-asan -j "$(nproc)" --target "${asan_tests[@]}"
    local t
    for t in "${asan_tests[@]}"; do
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        build-asan/bin/"$t" --gtest_brief=1
    done
  }
  stage asan asan
fi
