#!/usr/bin/env bash
# One command: install what is missing, build, and run every test through CTest; then the
# libFuzzer targets for a bounded time each and the core unit tests under ASan+UBSan.
# Extra arguments go to ctest (e.g. -R format). Each stage prints its wall time, and a stage that
# overruns its budget (seconds of wall time) is stopped and fails the run, so that CI (2 cores)
# stays well under an hour. Budgets and their measured times: README "Two commands".
#   LOADLINE_FUZZ_SECONDS=20   seconds per fuzz target (7 targets; 0 skips the fuzz stage)
#   LOADLINE_SKIP_ASAN=1       skips the sanitizer stage
#   LOADLINE_BUDGET_<STAGE>=S  overrides a stage's budget (DEPS, FORMAT, BUILD, CTEST, FUZZ, ASAN)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

declare -a stage_times=()
declare -A budget=([deps]=900 [format]=120 [build]=1800 [ctest]=1800 [fuzz]=600 [asan]=900)
stage() {  # NAME COMMAND...
  local name=$1; shift
  local upper=${name^^}
  local limit_var="LOADLINE_BUDGET_$upper"
  local limit=${!limit_var:-${budget[$name]}}
  local start=$SECONDS status=0
  echo "=== stage: $name (budget ${limit} s)"
  # A function runs in a child bash (with the same error handling) so that timeout can stop it
  # and everything it started.
  timeout -k 30 "$limit" bash -c "set -euo pipefail
$(declare -f "$1" 2>/dev/null || true)
\"\$@\"" _ "$@" || status=$?
  local took=$((SECONDS - start))
  stage_times+=("$name: ${took} s of ${limit} s")
  echo "=== stage: $name took ${took} s"
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "=== stage: $name overran its budget of ${limit} s" >&2
  fi
  return "$status"
}
report() { echo "=== stage times:"; for t in "${stage_times[@]}"; do echo "    $t"; done; }
trap report EXIT

stage deps ./scripts/install-deps.sh
# Every C++ source follows .clang-format (scripts/check-format.sh --fix reformats).
stage format ./scripts/check-format.sh --check
stage build ./scripts/build.sh
run_ctest() { (cd build && ctest --output-on-failure -j "$(nproc)" "$@"); }
stage ctest run_ctest "$@"

fuzz_seconds=${LOADLINE_FUZZ_SECONDS:-20}
if [ "$fuzz_seconds" != 0 ]; then
  stage fuzz ./scripts/run-fuzzers.sh "$fuzz_seconds"
fi

if [ "${LOADLINE_SKIP_ASAN:-0}" != 1 ]; then
  # The Qt-free core's unit tests (parsers, stores, tables, correlation, export) under
  # AddressSanitizer + UBSan: the code that reads what others wrote.
  asan() {
    local asan_tests=(serve_core_test serve_api_test seriestable_test decimate_test correlate_test export_test collect_parse_test store_test)
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
