#!/usr/bin/env bash
# One command: install what is missing, build, and start the loadline desktop app.
# Arguments are passed to the app (e.g. a recording to open).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
exec ./build/bin/loadline "$@"
