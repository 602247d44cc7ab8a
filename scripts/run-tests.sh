#!/usr/bin/env bash
# One command: install what is missing, build, and run every test through CTest.
# Extra arguments go to ctest (e.g. -R format).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
cd build
exec ctest --output-on-failure -j "$(nproc)" "$@"
