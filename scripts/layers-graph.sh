#!/bin/sh
# The module dependency picture of docs/layers.md: the project's own libraries and the two
# programs (no tests, benchmarks or external libraries), from CMake's --graphviz, drawn by dot.
#   scripts/layers-graph.sh BUILD_DIR OUTPUT   (writes OUTPUT.dot and OUTPUT.svg)
# BUILD_DIR must be configured. Needs graphviz (dot) for the .svg.
set -eu
build=$1
out=$2
cat > "$build/CMakeGraphVizOptions.cmake" <<'OPTIONS'
set(GRAPHVIZ_GRAPH_NAME "loadline")
set(GRAPHVIZ_EXTERNAL_LIBS FALSE)
set(GRAPHVIZ_CUSTOM_TARGETS FALSE)
set(GRAPHVIZ_GENERATE_PER_TARGET FALSE)
set(GRAPHVIZ_GENERATE_DEPENDERS FALSE)
set(GRAPHVIZ_IGNORE_TARGETS "_test$" "^tst_" "_bench$" "^bench_" "^chart_shots$" "^fake_nvml$"
    "^stuck_loader_quit$" "^loadline_gen_pyperf$" "^loadline_load_file$" "LINK_LIBRARY" "^Qt")
OPTIONS
tmp=$(mktemp -d)
cmake "--graphviz=$tmp/graph.dot" "$build" > /dev/null
rm -f "$build/CMakeGraphVizOptions.cmake"
# Bottom-up like the layers: dependencies below their users.
sed 's/^digraph "loadline" {/digraph "loadline" {\n    rankdir = BT;/' "$tmp/graph.dot" > "$out.dot"
rm -rf "$tmp"
if command -v dot > /dev/null; then dot -Tsvg "$out.dot" -o "$out.svg"; fi
