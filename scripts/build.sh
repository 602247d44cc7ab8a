#!/usr/bin/env bash
# Configures (once) and builds loadline into build/ (preset "dev"). Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${LOADLINE_PRESET:-dev}
builddir=build
case "$preset" in release) builddir=build-release ;; dev-asan) builddir=build-asan ;; esac
if [[ ! -f "$builddir/build.ninja" ]]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build "$builddir" -j "$(nproc)"
