#!/usr/bin/env bash
# Screenshot of the loadline window under a virtual X server (xvfb-run + ImageMagick import),
# the way it looks on a real desktop (window manager-less X11, Fusion style).
# Usage: scripts/screenshot.sh OUT.png [loadline arguments...]
# The sleep is only how long the window gets to open and draw: a tool, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "$1"); shift
size=${LOADLINE_SCREENSHOT_SIZE:-1440x880}
wait=${LOADLINE_SCREENSHOT_WAIT:-4}
# Fresh settings, so the picture does not depend on this user's saved window layout.
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
xvfb-run -a -s "-screen 0 ${size}x24" bash -c '
  out=$1; wait=$2; size=$3; shift 3
  # Without a window manager the window keeps its own geometry: make it fill the screen.
  ./build/bin/loadline -geometry "${size}+0+0" "$@" &
  pid=$!
  sleep "$wait"
  import -window root "$out"
  kill "$pid"
' _ "$out" "$wait" "$size" "$@"
echo "wrote $out"
