#!/usr/bin/env python3
"""Writes the man pages and the bash and zsh completions of loadline and loadline-cli from the
programs' own definitions, at build time, so they cannot drift from the code:

  loadline-cli --help-json          the commands, the global options and the footer (exit status,
                                    examples, files) that 'loadline-cli --help' prints
  loadline-cli CMD --help-json      each command's option definitions as its parser (CLI11, in
                                    app/cli/cmdline.*) holds them, the very ones its --help is
                                    generated from: names, value placeholder, what a value must
                                    be, help text, whether repeatable; its positionals; its usage
                                    line, description and footer
  loadline --help                   the desktop app's options (QCommandLineParser's layout)

A help text (the desktop app's, and the description and footer texts of the definitions) is read
as blocks separated by blank lines: "Usage:" lines (with indented continuations), "Heading:"
blocks, option lines ("  -x, --long VALUE  text" with deeper-indented continuations) and plain
paragraphs.

Usage: gen-docs.py --cli PATH [--gui PATH] --version V --outdir DIR [--gui-extra FILE]
"""
import argparse
import collections
import datetime
import gzip
import json
import os
import re
import subprocess
import sys

# ------------------------------------------------------------------------------------------------
# Reading help texts


def run(argv, required=True):
    # offscreen: no display at build time; detect_leaks=0: an AddressSanitizer build's --help
    # must not fail the build over Qt's process-lifetime allocations.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COLUMNS="100", LC_ALL="C.UTF-8",
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0:
        message = f"gen-docs: '{' '.join(argv)}' exited with {p.returncode}: {p.stderr.strip()}"
        if required:
            sys.exit(message)
        print(message, file=sys.stderr)
        return None
    return p.stdout


class OptionLine:
    def __init__(self, names, value, text, pairs=None):
        self.names = names  # ["-o", "--output"]
        self.value = value  # "OUT.png", "cpu|memory" or None: the first value
        self.text = text
        self.pairs = pairs or [(n, None) for n in names]  # [("--width", "W"), ("--height", "H")]


def is_value_token(tok):
    """A metavar after an option name: FILE, OUT.png, cpu|memory, <seconds>, '-'."""
    return (tok == "-" or "|" in tok or re.fullmatch(r"<[^>]+>", tok) is not None
            or re.fullmatch(r"[A-Z][A-Za-z0-9_.]*(\.\.\.)?", tok) is not None)


def parse_option_line(line):
    """'  -o, --output OUT.png  where to write' -> OptionLine. Tolerates a single space before the
    text ('--width W, --height H logical size'): the spec ends at the first word that is neither
    an option name nor the value right after one."""
    stripped = line.strip()
    gap = re.search(r"\s{2,}", stripped)
    if gap:  # the usual layout: "SPEC  TEXT"; take it when SPEC is only names and values
        spec = parse_option_line(stripped[:gap.start()])
        if spec.names and not spec.text:
            spec.text = stripped[gap.end():]
            return spec
    toks = line.split()
    names, values, pairs, i = [], [], [], 0
    after_name = False
    while i < len(toks):
        tok = toks[i]
        bare = tok.rstrip(",")
        if re.fullmatch(r"--?[A-Za-z0-9][A-Za-z0-9-]*(=\S+)?", bare):
            v = None
            if "=" in bare:
                bare, v = bare.split("=", 1)
                values.append(v)
            names.append(bare)
            pairs.append((bare, v))
            after_name = v is None
        elif after_name and is_value_token(bare):
            values.append(bare)
            pairs[-1] = (pairs[-1][0], bare)
            after_name = False
        else:
            break
        i += 1
    value = values[0] if values else None
    return OptionLine(names, value, " ".join(toks[i:]), pairs)


def looks_like_option(text):
    """Whether a line starts with an option ("-o FILE", "--name=V", "-h, --help"), not with words
    that happen to begin with a dash where the help was wrapped ("-f; repeatable)")."""
    return re.match(r"--?[A-Za-z][\w-]*(,|\s|=|\[|<|$)", text) is not None


class Help:
    """One help text, split into usage, blocks and option lines, in order."""

    def __init__(self, text):
        self.usage = []  # synopsis lines after the program name
        self.items = []  # ("para", text) | ("heading", title, inline) | ("option", OptionLine) | ("item", key, text)
        lines = text.rstrip("\n").split("\n")
        i = 0
        in_heading = None
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                in_heading = None
                self.items.append(("blank",))
                i += 1
                continue
            if line.startswith("Usage:"):
                self.usage.append(line[len("Usage:"):].strip())
                i += 1
                while i < len(lines) and lines[i].startswith(" ") and lines[i].strip().startswith("["):
                    self.usage.append(lines[i].strip())
                    i += 1
                continue
            m = re.match(r"^([A-Z][A-Za-z ]*):(\s+(.*))?$", line)
            if m and not line.startswith(" "):
                in_heading = m.group(1)
                self.items.append(("heading", in_heading, (m.group(3) or "").strip()))
                i += 1
                continue
            indent = len(line) - len(line.lstrip(" "))
            if indent >= 1 and line.lstrip().startswith("-"):
                opt = parse_option_line(line)
                i += 1
                while i < len(lines) and lines[i].strip() and \
                        len(lines[i]) - len(lines[i].lstrip(" ")) > indent + 2 and \
                        not looks_like_option(lines[i].lstrip()):
                    opt.text += " " + lines[i].strip()
                    i += 1
                if opt.names:
                    self.items.append(("option", opt))
                    continue
            if indent >= 1 and (in_heading or re.search(r"\S\s{2,}\S", line.strip())):
                # "  key   text" rows: inside a heading (commands, exit codes, files, examples),
                # or a two-column table in a paragraph
                parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
                key, rest = parts[0], (parts[1] if len(parts) > 1 else "")
                i += 1
                while i < len(lines) and lines[i].strip() and \
                        len(lines[i]) - len(lines[i].lstrip(" ")) > indent + 2:
                    rest += " " + lines[i].strip()
                    i += 1
                self.items.append(("item", key, rest))
                continue
            self.items.append(("para", line.strip()))
            i += 1

    def options(self):
        return [it[1] for it in self.items if it[0] == "option"]

    def block(self, heading):
        """The ("item") rows under a heading."""
        rows, inside = [], False
        for it in self.items:
            if it[0] == "heading":
                inside = it[1] == heading
            elif it[0] == "blank":
                inside = False
            elif inside and it[0] == "item":
                rows.append((it[1], it[2]))
        return rows

    def usage_value(self, name):
        """The metavar the synopsis gives an option: '[--sort cpu|memory]' -> 'cpu|memory'."""
        for u in self.usage:
            m = re.search(r"(?<![\w-])" + re.escape(name) + r"(?:[ =]([^\s\]\[]+))?", u)
            if m and m.group(1) and is_value_token(m.group(1)):
                return m.group(1)
        return None


Opt = collections.namedtuple("Opt", "names value text expected note pairs")
DEFAULT_TEXT = {"--help": "show this help", "-h": "show this help"}


def definitions(cli, args):
    """The JSON that 'loadline-cli ARGS --help-json' prints."""
    return json.loads(run([cli] + args + ["--help-json"]))


def def_option(o):
    """An option of a --help-json dump as the man page and completions use it."""
    names, value = o["names"], o.get("value")
    pairs = [(n, None) for n in names[:-1]] + [(names[-1], value)]
    return Opt(names, value, o.get("help") or "", o.get("expects"), False, pairs)


class Command:
    def __init__(self, cli, name, summary):
        self.name, self.summary = name, summary
        self.defs = definitions(cli, [name])
        # The description and the footer read like a help text: paragraphs, "Heading:" lines
        # and "  KEY  TEXT" rows.
        self.help = Help("\n\n".join(t for t in (self.defs.get("description"), self.defs.get("footer")) if t))
        self.usage = " ".join(self.defs.get("usage", "").split())
        self.positionals = self.defs.get("positionals", [])
        self.takes_file = bool(self.positionals)

    def merged_options(self):
        """Every option, in definition order: (names, value, text, expected, note, pairs)."""
        return [def_option(o) for o in self.defs["options"]]


class TopLevel:
    """loadline-cli --help-json: its options and the footer's blocks (Exit status, Examples, Files)."""

    def __init__(self, cli):
        self.defs = definitions(cli, [])
        self.footer = Help(self.defs.get("footer", ""))
        self.commands = [(c["name"], c["summary"]) for c in self.defs.get("commands", [])]

    def options(self):
        return [def_option(o) for o in self.defs["options"]]

    def block(self, heading):
        return self.footer.block(heading)


# ------------------------------------------------------------------------------------------------
# troff


def esc(text):
    text = text.replace("\\", "\\e")
    text = re.sub(r"(?<![\w])-", r"\\-", text)  # option dashes are minus signs, "light-blue" is not
    return text


def esc_all(text):
    """For commands, option names and example command lines: every '-' a minus sign, so the
    rendered text can be copied into a shell."""
    return text.replace("\\", "\\e").replace("-", "\\-")


def line(text):
    t = esc(text)
    return "\\&" + t if t[:1] in (".", "'") else t


def opt_spec(pairs):
    """[("-o", None), ("--output", "OUT.png")] -> "-o, --output OUT.png" in bold and italics."""
    parts = []
    for n, v in pairs:
        part = f"\\fB{esc_all(n)}\\fR"
        if v:
            part += f" \\fI{esc(v.strip('<>'))}\\fR"
        parts.append(part)
    return ", ".join(parts)


def render_items(help_, out, skip_headings=()):
    """The paragraphs and two-column rows of a help text, in order, as troff (its option lines
    are listed after them, merged with the parser's table)."""
    pending_para = []
    skipping = False

    def flush():
        if pending_para:
            out.append(".PP")
            out.append(line(" ".join(pending_para)))
            pending_para.clear()

    for it in help_.items:
        if it[0] == "blank":
            flush()
            skipping = False
        elif it[0] == "heading":
            flush()
            skipping = it[1] in skip_headings
            if not skipping:
                pending_para.append(f"{it[1]}: {it[2]}".strip())
        elif skipping:
            continue
        elif it[0] == "para":
            pending_para.append(it[1])
        elif it[0] == "item":
            flush()
            out += [".TP", f"\\fB{esc(it[1])}\\fR", line(it[2])]
        elif it[0] == "option":
            flush()
    flush()


def man_header(name, version, summary, source="--help"):
    date = datetime.datetime.utcfromtimestamp(
        int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or datetime.datetime.utcnow().timestamp()
    ).strftime("%Y-%m-%d")
    return [
        f'.\\" Generated by packaging/gen-docs.py from {name} {source}; do not edit.',
        f'.TH {name.upper()} 1 "{date}" "loadline {version}" "User Commands"',
        ".SH NAME",
        f"{esc(name)} \\- {esc(summary)}",
    ]


def cli_man(cli, version, commands, top):
    out = man_header("loadline-cli", version, "headless commands of loadline: inspect, record and export "
                     "py-perf recordings, sample and serve this machine", "--help-json")
    out += [".SH SYNOPSIS", ".B loadline\\-cli", "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]", ".br",
            ".B loadline\\-cli", "\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR"]
    out += [".SH DESCRIPTION",
            "Each command reads or writes py\\-perf JSON recordings or samples this machine; "
            "\\fBloadline\\fR(1) is the desktop viewer. Run \\fBloadline\\-cli\\fR \\fICOMMAND\\fR "
            "\\fB\\-\\-help\\fR for a command's options.",
            ".SH OPTIONS"]
    for o in top.options():
        out += [".TP", opt_spec(o.pairs), line(o.text)]
    out.append(".SH COMMANDS")
    for c in commands:
        out += [f".SS {esc_all(c.name)}", line(c.summary[:1].upper() + c.summary[1:] + "."), ".PP"]
        synopsis = re.sub(r"^Usage:\s*", "", c.usage)
        synopsis = re.sub(r"^\S*loadline-cli( \S+)?\s*", "", synopsis)  # the program name
        out += [f".B loadline\\-cli {esc_all(c.name)}", esc_all(synopsis) if synopsis else ""]
        render_items(c.help, out)
        opts = c.merged_options()
        if opts:
            out += [".PP", "Options:"]
            out.append(".RS 4")
            for o in opts:
                out += [".TP", opt_spec(o.pairs), line(o.text) if o.text else ""]
            out.append(".RE")
        if c.positionals:
            out += [".PP", "Arguments:", ".RS 4"]
            for p in c.positionals:
                out += [".TP", f"\\fI{esc(p['name'])}\\fR", line(p.get("help") or "")]
            out.append(".RE")
    for heading, section in (("Exit status", "EXIT STATUS"), ("Examples", "EXAMPLES"), ("Files", "FILES")):
        rows = top.block(heading)
        if not rows:
            continue
        out.append(f".SH {section}")
        if heading == "Examples":
            for key, rest in rows:
                out += [".PP", ".nf", esc_all(f"{key} {rest}".strip()), ".fi"]
        else:
            for key, rest in rows:
                out += [".TP", f"\\fB{esc(key)}\\fR", line(rest)]
    out += [".SH SEE ALSO", "\\fBloadline\\fR(1), \\fBsystemctl\\fR(1)"]
    return "\n".join(x for x in out if x != "") + "\n"


def read_extra(path):
    """[SECTION] blocks (help2man's include format) for what --help does not say."""
    sections, cur = [], None
    if not path:
        return sections
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            m = re.fullmatch(r"\[([A-Z ]+)\]", raw)
            if m:
                cur = (m.group(1), [])
                sections.append(cur)
            elif cur is not None and not raw.startswith("#"):
                cur[1].append(raw)
    return sections


def gui_man(gui, version, extra):
    help_ = Help(run([gui, "--help"]))
    paras = [it[1] for it in help_.items if it[0] == "para"]
    out = man_header("loadline", version, paras[0].rstrip(".").lower() if paras else "load timeline viewer")
    synopsis = re.sub(r"^\S+\s*", "", " ".join(help_.usage))
    out += [".SH SYNOPSIS", f".B loadline", line(synopsis), ".SH DESCRIPTION"]
    out += [line(" ".join(paras))] if paras else []
    out.append(".SH OPTIONS")
    for o in help_.options():
        out += [".TP", opt_spec(o.pairs), line(o.text)]
    args = help_.block("Arguments")
    if args:
        out.append(".SH ARGUMENTS")
        for key, rest in args:
            out += [".TP", f"\\fI{esc(key)}\\fR", line(rest)]
    for title, body in extra:
        out.append(f".SH {title}")
        out += body
    return "\n".join(x for x in out if x != "") + "\n", help_


# ------------------------------------------------------------------------------------------------
# Completions

PID_OPTIONS = {"--pid"}


def value_kind(names, value, expected):
    """What a value completes to: ('choices', [...]), ('pid',), ('json',), ('png',), ('file',) or None."""
    if any(n in PID_OPTIONS for n in names):
        return ("pid",)
    if value and "|" in value:
        return ("choices", value.strip("<>").split("|"))
    v = (value or "").strip("<>")
    if v.lower().endswith(".json"):
        return ("json",)
    if v.lower().endswith(".png"):
        return ("png",)
    if v in ("FILE", "PREFIX", "DIR") or (expected and "file" in expected):
        return ("file",)
    return None


def command_specs(commands):
    specs = []
    for c in commands:
        opts = []
        for names, value, text, expected, note, _pairs in c.merged_options():
            if note:
                continue
            takes = value is not None  # as the definitions say
            opts.append((names, takes, value_kind(names, value, expected) if takes else None, text))
        specs.append((c, opts))
    return specs


def bash_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def bash_cli(commands, top_opts):
    out = ["# bash completion for loadline-cli; generated by packaging/gen-docs.py from its --help-json.",
           "_loadline_cli_pids() { local p; for p in /proc/[0-9]*; do printf '%s\\n' \"${p#/proc/}\"; done; }",
           "_loadline_cli_files() {  # $1: a glob like '*.json', or empty for any file",
           "    local IFS=$'\\n' f",
           "    COMPREPLY+=($(compgen -d -- \"$cur\"))",
           "    if [[ -n $1 ]]; then",
           "        for f in $(compgen -f -- \"$cur\"); do [[ -d $f || $f == $1 ]] || continue; [[ -d $f ]] || COMPREPLY+=(\"$f\"); done",
           "    else",
           "        COMPREPLY+=($(compgen -f -- \"$cur\"))",
           "    fi",
           "    compopt -o filenames 2>/dev/null",
           "}",
           "_loadline_cli() {",
           "    local cur prev words cword",
           "    if declare -F _init_completion >/dev/null; then",
           "        local split",
           "        _init_completion -s || return  # -s: --opt=VALUE completes VALUE with prev=--opt",
           "    else  # without the bash-completion package",
           "        cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} words=(\"${COMP_WORDS[@]}\") cword=$COMP_CWORD",
           "        if [[ $prev == = && $cword -ge 2 ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi",
           "        if [[ $cur == = ]]; then prev=${COMP_WORDS[COMP_CWORD-1]} cur=; fi",
           "    fi",
           "    COMPREPLY=()",
           "    if ((cword == 1)); then",
           f"        COMPREPLY=($(compgen -W {bash_quote(' '.join([c.name for c in commands] + top_opts))} -- \"$cur\"))",
           "        return",
           "    fi",
           "    case ${words[1]} in"]
    for c, opts in command_specs(commands):
        flat = list(dict.fromkeys([n for names, *_ in opts for n in names] + ["--help"]))
        out.append(f"    {c.name})")
        value_cases = []
        for names, takes, kind, _ in opts:
            if not takes:
                continue
            pat = "|".join(names)
            if kind is None:
                action = "return"
            elif kind[0] == "choices":
                action = f"COMPREPLY=($(compgen -W {bash_quote(' '.join(kind[1]))} -- \"$cur\")); return"
            elif kind[0] == "pid":
                action = "COMPREPLY=($(compgen -W \"$(_loadline_cli_pids)\" -- \"$cur\")); return"
            elif kind[0] in ("json", "png"):
                action = f"_loadline_cli_files '*.{kind[0]}'; return"
            else:
                action = "_loadline_cli_files ''; return"
            value_cases.append(f"            {pat}) {action} ;;")
        if value_cases:
            out.append("        case $prev in")
            out += value_cases
            out.append("        esac")
        out.append("        if [[ $cur == -* ]]; then")
        out.append(f"            COMPREPLY=($(compgen -W {bash_quote(' '.join(flat))} -- \"$cur\"))")
        if c.takes_file:
            out.append("        else")
            out.append("            _loadline_cli_files '*.json'")
        out.append("        fi")
        out.append("        ;;")
    out += ["    esac", "}", "complete -F _loadline_cli loadline-cli", ""]
    return "\n".join(out)


def zsh_desc(text):
    t = text.split(". ")[0].rstrip(".")
    t = t.replace("[", "(").replace("]", ")").replace("\\", "\\\\").replace(":", "\\:")
    return t.replace("'", "'\\''")


def zsh_action(kind):
    if kind is None:
        return ":value: "
    if kind[0] == "choices":
        return f":value:({' '.join(kind[1])})"
    if kind[0] == "pid":
        return ":pid:_pids"
    if kind[0] == "json":
        return ":recording:_files -g \"*.json(-.)\""
    if kind[0] == "png":
        return ":image:_files -g \"*.png(-.)\""
    return ":file:_files"


def zsh_cli(commands):
    out = ["#compdef loadline-cli",
           "# zsh completion for loadline-cli; generated by packaging/gen-docs.py from its --help-json.",
           "_loadline-cli() {",
           "    local -a commands",
           "    commands=("]
    for c in commands:
        out.append(f"        '{c.name}:{zsh_desc(c.summary)}'")
    out += ["    )",
            "    if (( CURRENT == 2 )); then",
            "        _describe -t commands 'loadline-cli command' commands",
            "        _arguments '(- *)'{-h,--help}'[show help]' '(- *)'{-V,--version}'[show the version]'",
            "        return",
            "    fi",
            "    local cmd=$words[2]",
            "    shift words",
            "    (( CURRENT-- ))",
            "    case $cmd in"]
    for c, opts in command_specs(commands):
        out.append(f"    {c.name})")
        args = ["'(- *)'{-h,--help}'[show help]'"]
        for names, takes, kind, text in opts:
            action = zsh_action(kind) if takes else ""
            for n in names:
                if n not in ("-h", "--help"):  # the '(- *)' line above
                    args.append(f"'*{n}[{zsh_desc(text or n)}]{action}'")
        if c.takes_file:
            args.append("'1:recording:_files -g \"*.json(-.)\"'")
        out.append("        _arguments -s \\")
        out += [f"            {a} \\" for a in args[:-1]]
        out.append(f"            {args[-1]}")
        out.append("        ;;")
    out += ["    esac", "}", "_loadline-cli \"$@\"", ""]
    return "\n".join(out)


def gui_completions(help_):
    opts = [(o.names, o.value, o.text) for o in help_.options()]
    flat = [n for names, _, _ in opts for n in names]
    bash = ["# bash completion for loadline; generated by packaging/gen-docs.py from its --help.",
            "_loadline() {",
            "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} IFS=$'\\n' f",
            "    COMPREPLY=()",
            "    case $prev in"]
    zsh = ["#compdef loadline",
           "# zsh completion for loadline; generated by packaging/gen-docs.py from its --help.",
           "_arguments -s \\"]
    for names, value, text in opts:
        if not value:
            continue
        choices = re.findall(r"(\w+), (\w+) or (\w+)", text)
        pat = "|".join(names)
        if choices:
            bash.append(f"        {pat}) COMPREPLY=($(compgen -W '{' '.join(choices[0])}' -- \"$cur\")); return ;;")
        else:
            bash.append(f"        {pat}) return ;;")
    bash += ["    esac",
             "    if [[ $cur == -* ]]; then",
             f"        COMPREPLY=($(compgen -W '{' '.join(flat)}' -- \"$cur\"))",
             "    else",
             "        COMPREPLY=($(compgen -d -- \"$cur\"))",
             "        for f in $(compgen -f -- \"$cur\"); do [[ -d $f || $f != *.json ]] || COMPREPLY+=(\"$f\"); done",
             "        compopt -o filenames 2>/dev/null",
             "    fi",
             "}",
             "complete -F _loadline loadline", ""]
    for names, value, text in opts:
        choices = re.findall(r"(\w+), (\w+) or (\w+)", text)
        action = ""
        if value:
            action = f":{value.strip('<>')}:({' '.join(choices[0])})" if choices else f":{value.strip('<>')}: "
        for n in names:
            rep = "*" if "repeatable" in text else ""
            zsh.append(f"    '{rep}{n}[{zsh_desc(text)}]{action}' \\")
    zsh.append("    '*:recording:_files -g \"*.json(-.)\"'")
    zsh.append("")
    return "\n".join(bash), "\n".join(zsh)


# ------------------------------------------------------------------------------------------------


def write(path, text, gz=False):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    if gz:  # gzip -9n: no name, no time stamp (reproducible, as Debian policy asks)
        with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as z:
            z.write(text.encode("utf-8"))
        os.replace(tmp, path + ".gz")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--gui")
    ap.add_argument("--gui-extra")
    ap.add_argument("--version", required=True)
    ap.add_argument("--outdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)

    top = TopLevel(a.cli)
    rows = top.commands
    if not rows:
        sys.exit("gen-docs: loadline-cli --help-json lists no commands")
    commands = [Command(a.cli, name, summary) for name, summary in rows]
    top_opts = [n for o in top.options() for n in o.names]
    write(os.path.join(a.outdir, "loadline-cli.1"), cli_man(a.cli, a.version, commands, top), gz=True)
    write(os.path.join(a.outdir, "loadline-cli.bash"), bash_cli(commands, top_opts))
    write(os.path.join(a.outdir, "_loadline-cli"), zsh_cli(commands))
    if a.gui:
        man, help_ = gui_man(a.gui, a.version, read_extra(a.gui_extra))
        write(os.path.join(a.outdir, "loadline.1"), man, gz=True)
        bash, zsh = gui_completions(help_)
        write(os.path.join(a.outdir, "loadline.bash"), bash)
        write(os.path.join(a.outdir, "_loadline"), zsh)


if __name__ == "__main__":
    main()
