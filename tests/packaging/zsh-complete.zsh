#!/usr/bin/env zsh -f
# Completes a command line in a real interactive zsh (driven through zsh/zpty, compinit with the
# generated completion functions) and prints the terminal output (escape sequences and all).
# Usage: zsh -f zsh-complete.zsh FPATH_DIR WORKDIR 'loadline-cli export-png --metric '
zmodload zsh/zpty
local fdir=$1 work=$2 line=$3
zpty z 'zsh -f -i'
zpty -w z "PS1='READ''Y> '; fpath=($fdir \$fpath); autoload -Uz compinit; compinit -u -d $work/.zcompdump; \
zstyle ':completion:*' list-prompt ''; loadline-cli() { :; }; loadline() { :; }; cd $work"
local out chunk i
for i in {1..300}; do  # wait for the prompt (up to 30 s); the typed PS1='READ''Y> ' does not match
  zpty -r -t z chunk 2>/dev/null && out+=$chunk
  [[ $out == *'READY> '* ]] && break
  sleep 0.1
done
# TAB, then (once zle has finished completing: it handles keys in order) Ctrl-U and a command
# whose output, "42-done", marks the end; the typed text never contains it.
zpty -w -n z "$line"$'\t'
zpty -w z $'\x15'"print -r -- \$((6*7))-done"
out=""
for i in {1..300}; do  # up to 30 s on a loaded machine
  zpty -r -t z chunk 2>/dev/null && out+=$chunk
  [[ $out == *42-done* ]] && break
  sleep 0.1
done
zpty -d z
print -r -- "$out"
