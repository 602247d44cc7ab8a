#!/usr/bin/env bash
# The generated man pages and completions against the built programs: every command that
# 'loadline-cli --help' lists has its man page section, every option the parser of each command
# accepts (its definitions: --help-json) is in the page and in both completions, man reports no warnings, and
# the bash completion really completes (commands, --metric values, PIDs for --pid, .json FILEs).
# Usage: check-docs.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
cli=$build/bin/loadline-cli
gen=$build/packaging/generated
fail=0
with_bc=0
mode() { ((with_bc)) && echo " (with bash-completion)"; }
problem() { echo "FAIL: $*$(mode)" >&2; fail=1; }

for f in "$gen/loadline-cli.1" "$gen/loadline-cli.bash" "$gen/_loadline-cli"; do
  [[ -s $f ]] || { echo "FAIL: $f missing (build the loadline_docs target)" >&2; exit 1; }
done

# man --warnings: groff's warnings (bad requests, lines it cannot break, unknown escapes) go to stderr.
for page in "$gen"/*.1; do
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null || true)
  [[ -z $warnings ]] || problem "man --warnings $page: $warnings"
done

# The commands, read the way the generator reads them: "Commands:" rows up to a blank line.
mapfile -t commands < <("$cli" --help | awk '/^Commands:/{on=1; next} on && /^$/{exit} on {print $1}')
((${#commands[@]} >= 5)) || problem "loadline-cli --help lists only ${#commands[@]} commands"
page=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$gen/loadline-cli.1" 2>/dev/null)
for cmd in "${commands[@]}"; do
  grep -qFx ".SS $(sed 's/-/\\-/g' <<<"$cmd")" "$gen/loadline-cli.1" || problem "man page has no section for '$cmd'"
  grep -q "^    $cmd)" "$gen/loadline-cli.bash" || problem "bash completion has no case for '$cmd'"
  grep -q "^        '$cmd:" "$gen/_loadline-cli" || problem "zsh completion does not list '$cmd'"
  # The command's section of the rendered page: from its heading to the next one.
  section=$(awk -v c="$cmd" '$0 ~ "^   "c"$" {on=1; next} on && /^   [a-z]/ && !/^    / {exit} on && /^[A-Z]/ {exit} on {print}' <<<"$page")
  [[ -n $section ]] || { problem "rendered man page has no section '$cmd'"; continue; }
  # The command's option definitions, as its --help is generated from them (CLI11, app/cli/cmdline.*).
  if ! defs=$("$cli" "$cmd" --help-json 2>/dev/null); then
    problem "'loadline-cli $cmd --help-json' fails: declare the command's options with CmdLine (app/cli/cmdline.h) so its help, man page and completions list them"
    continue
  fi
  mapfile -t names < <(python3 -c 'import json, sys; [print(n) for o in json.load(sys.stdin)["options"] for n in o["names"]]' <<<"$defs")
  ((${#names[@]} >= 2)) || problem "'loadline-cli $cmd --help-json' lists only ${#names[@]} option names"
  for n in "${names[@]}"; do
    grep -qe "$n\b" <<<"$section" || problem "man page section '$cmd' misses option $n"
    grep -qe "$n\b" "$gen/loadline-cli.bash" || problem "bash completion misses $cmd $n"
    [[ $n == -h || $n == --help ]] || grep -qe "'\*$n\[" "$gen/_loadline-cli" || problem "zsh completion misses $cmd $n"
  done
done
for heading in "EXIT STATUS" "EXAMPLES" "FILES" "OPTIONS" "COMMANDS"; do
  grep -q "^$heading" <<<"$page" || problem "loadline-cli(1) has no $heading section"
done

# bash completion, driven the way bash drives it (without the bash-completion package too).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/run.json" "$tmp/notes.txt"
# COMP_WORDS as bash splits them ("--metric=m" is "--metric" "=" "m"); with_bc=1 also loads
# the bash-completion package's helpers (_init_completion), as an interactive shell would.
complete_words() {  # prints COMPREPLY for the command line "$@" (the last word is being completed)
  (
    cd "$tmp"
    # shellcheck disable=SC1091
    ((with_bc)) && source /usr/share/bash-completion/bash_completion
    # shellcheck disable=SC1090
    source "$gen/loadline-cli.bash"
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_LINE=${COMP_LINE// = /=}
    COMP_POINT=${#COMP_LINE}
    compopt() { :; }  # only valid while bash itself is completing
    _loadline_cli
    printf '%s\n' "${COMPREPLY[@]}"
  )
}
check_bash_completion() {
  got=$(complete_words loadline-cli ex)
  for c in export-png export-trace export-csv; do grep -qx "$c" <<<"$got" || problem "'loadline-cli ex<TAB>' lacks $c: $got"; done
  got=$(complete_words loadline-cli export-png run.json --metric '')
  # The values export-png's own help gives for --metric ("--metric cpu|memory|...").
  want=$("$cli" export-png --help | grep -o -- '--metric [a-z|]*' | head -1 | cut -d' ' -f2 | tr '|' '\n' | sort | tr '\n' ' ')
  [[ $want == *"cpu memory "* ]] || problem "export-png --help names no cpu|memory values for --metric: '$want'"
  [[ $(sort <<<"$got" | tr '\n' ' ') == "$want" ]] || problem "--metric completes to '$got', not $want"
  sleep 30 & pid=$!
  got=$(complete_words loadline-cli record --pid "${pid:0:2}")
  kill "$pid"
  grep -qx "$pid" <<<"$got" || problem "--pid ${pid:0:2}<TAB> lacks the running process $pid"
  got=$(complete_words loadline-cli inspect '')
  grep -qx run.json <<<"$got" || problem "inspect <TAB> lacks run.json: $got"
  grep -qx notes.txt <<<"$got" && problem "inspect <TAB> offers notes.txt (not .json)"
  got=$(complete_words loadline-cli export-png run.json --me)
  grep -qx -- --metric <<<"$got" || problem "'export-png --me<TAB>' lacks --metric: $got"
  got=$(complete_words loadline-cli snapshot --sort = m)
  [[ $got == memory ]] || problem "'snapshot --sort=m<TAB>' completes to '$got', not memory"
}
check_bash_completion
if [[ -f /usr/share/bash-completion/bash_completion ]]; then
  with_bc=1
  check_bash_completion
  with_bc=0
fi

# zsh: the files parse, and a real interactive zsh (zsh/zpty) completes with them.
if command -v zsh >/dev/null; then
  for f in "$gen"/_loadline*; do zsh -n "$f" || problem "zsh -n $f"; done
  mkdir "$tmp/fpath"
  cp "$gen"/_loadline* "$tmp/fpath/"
  zcomplete() {  # what zsh shows after TAB at the end of "$1", escape sequences removed
    zsh -f "$(dirname "$0")/zsh-complete.zsh" "$tmp/fpath" "$tmp" "$1" 2>&1 |
      sed 's/\x1b\[[0-9;?]*[A-Za-z]/ /g' | tr '\r\a' '\n\n'
  }
  got=$(zcomplete 'loadline-cli export-png --metric ')
  grep -qw cpu <<<"$got" && grep -qw memory <<<"$got" || problem "zsh: --metric<TAB> lists no cpu, memory: $got"
  got=$(zcomplete 'loadline-cli inspect ')
  grep -q run.json <<<"$got" || problem "zsh: inspect <TAB> lacks run.json: $got"
  grep -q notes.txt <<<"$got" && problem "zsh: inspect <TAB> offers notes.txt"
  got=$(zcomplete 'loadline-cli snapshot --so')
  grep -q -- '--sort' <<<"$got" || problem "zsh: snapshot --so<TAB> does not complete --sort: $got"
  got=$(zcomplete 'loadline-cli export-c')
  tr -d ' \t\n' <<<"$got" | grep -q 'export-csv' || problem "zsh: export-c<TAB> does not complete export-csv: $got"
  got=$(zcomplete 'loadline --theme ')
  grep -qw dark <<<"$got" || [[ ! -f $gen/_loadline ]] || problem "zsh: loadline --theme <TAB> lacks dark: $got"
fi
for f in "$gen"/*.bash; do bash -n "$f" || problem "bash -n $f"; done

if ((fail)); then exit 1; fi
echo "man pages and completions match ${#commands[@]} commands of $cli"
