#!/usr/bin/env bash
# The C++ sources against .clang-format (clang-format 14, Debian's clang-format-14).
#   scripts/check-format.sh [--check]   lists the files that differ from the format; exit 1 if any
#   scripts/check-format.sh --fix       reformats them in place
#   scripts/check-format.sh --stat      how many lines --fix would change, per file and in all
# Files: the tracked *.cpp and *.h under core/ widgets/ app/ tests/ bench/ (or the files given
# after the option, e.g. scripts/check-format.sh --check core/timeline/decimate.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:---check}
[[ $# -gt 0 ]] && shift
case $mode in
  --check | --fix | --stat) ;;
  *) echo "usage: $0 [--check | --fix | --stat] [FILE...]" >&2; exit 2 ;;
esac

formatter=
for candidate in clang-format-14 clang-format; do
  if command -v "$candidate" >/dev/null && "$candidate" --version | grep -q 'version 14\.'; then
    formatter=$candidate
    break
  fi
done
if [[ -z $formatter ]]; then
  echo "check-format: clang-format 14 not found (scripts/install-deps.sh installs clang-format-14)" >&2
  exit 2
fi

if (($# > 0)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files -- core widgets app tests bench | grep -E '\.(cpp|h)$')
fi
((${#files[@]} > 0)) || { echo "check-format: no files" >&2; exit 2; }

if [[ $mode == --fix ]]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 20 -P "$(nproc)" "$formatter" -i --style=file
  exit 0
fi

# One formatter run per file, in parallel; each prints "CHANGED_LINES FILE" (0 when it is clean).
# Changed lines: lines of the file that --fix would remove or rewrite (diff's '-' lines).
count_one() {
  local formatter=$1 file=$2 n
  n=$("$formatter" --style=file "$file" | diff -U0 "$file" - | awk 'NR > 2 && /^-/ {n++} END {print n + 0}')
  echo "$n $file"
}
export -f count_one
results=$(printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P "$(nproc)" bash -c 'count_one "$0" "$1"' "$formatter")

bad=$(awk '$1 > 0' <<<"$results" | sort -k2)
if [[ $mode == --stat ]]; then
  [[ -n $bad ]] && sort -rn <<<"$bad"
  awk '{lines += $1; if ($1 > 0) files++} END {printf "%d lines in %d of %d files would change\n", lines, files, NR}' <<<"$results"
  exit 0
fi
if [[ -n $bad ]]; then
  echo "check-format: these files differ from .clang-format (scripts/check-format.sh --fix reformats them):" >&2
  awk '{print "  " $2 " (" $1 " lines)"}' <<<"$bad" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files follow .clang-format"
