#!/usr/bin/env zsh -f
# Completes a command line in a real interactive zsh (driven through zsh/zpty, compinit with the
# generated completion functions) and prints the terminal output (escape sequences and all).
# Usage: zsh -f zsh-complete.zsh FPATH_DIR WORKDIR 'loadline-cli export-png --metric '
zmodload zsh/zpty
local fdir=$1 work=$2 line=$3
zpty z 'zsh -f -i'
zpty -w z "PS1='READY> '; fpath=($fdir \$fpath); autoload -Uz compinit; compinit -u -d $work/.zcompdump; \
zstyle ':completion:*' list-prompt ''; loadline-cli() { :; }; loadline() { :; }; cd $work"
local out chunk i
for i in {1..100}; do  # wait for the prompt (up to 10 s)
  zpty -r -t z chunk 2>/dev/null && out+=$chunk
  [[ $out == *'READY> '* ]] && break
  sleep 0.1
done
zpty -w -n z "$line"$'\t'
out=""
for i in {1..20}; do  # collect what the completion prints (2 s)
  zpty -r -t z chunk 2>/dev/null && out+=$chunk
  sleep 0.1
done
zpty -d z
print -r -- "$out"
