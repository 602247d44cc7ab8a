#!/usr/bin/env bash
# Compares two builds benchmark by benchmark: every Google Benchmark binary present in both
# OLD_BUILD/bin and NEW_BUILD/bin runs ROUNDS times on each side, alternating OLD, NEW, NEW, OLD,
# OLD, NEW, … so that a change in the machine's load during the comparison hits both sides alike
# (on a shared VM with builds running, two back-to-back runs of the whole suite would mostly
# measure what else ran at the time). Prints a Markdown table on stdout, progress on stderr.
#
#   bench/compare-builds.sh OLD_BUILD NEW_BUILD [ROUNDS=3]
#   env: REPS=2          --benchmark_repetitions of each run
#        MIN_TIME=0.1    --benchmark_min_time of each run (benchmarks with a fixed iteration
#                        count, e.g. the sleeping collector ticks, ignore it)
#        ONLY=regex      only the binaries whose name matches
#        FILTER=regex    only the benchmarks whose full name matches (to re-run a suspect alone
#                        with more rounds and repetitions)
#        KEEP=1          keep each run's JSON (the directory is named on stderr)
#        EXCLUDE=Naive   benchmarks (full names) left out: the naive Qt Charts peer in
#                        timelineview_bench takes seconds to minutes a frame and measures Qt, not us
#
# Only the benchmark names present in both builds are run (one --benchmark_filter listing them
# exactly), so benchmarks added since OLD cost no time; they are listed as "new since the
# baseline", and OLD's names missing from NEW as "gone". Binaries in one build only are listed too.
#
# The figure of a benchmark is its CPU time per iteration; for a benchmark timed by
# SetIterationTime (name ending in /manual_time, e.g. contention_bench, which times each tick by
# the thread's CPU clock), it is that manual time, which is what the benchmark reports.
#
# For each benchmark: the median and the minimum of all repetitions of all rounds on each side,
# NEW/OLD of the minima and of the medians (above 1 = slower), the spread, and a verdict:
#   spread  = the larger of the two sides' (max − min) / median over all its repetitions (the
#             same [min–max] that bench/run-all.sh prints): how far apart the same binary lands
#             from one repetition and one run to the next on this machine right now;
#   worse   = both ratios above 1 + spread;   better = both below 1 / (1 + spread);
#   same    = anything else (the difference is within what the machine itself varies);
#   n/a     = one sample a side (ROUNDS × REPS = 1): there is no spread to judge against.
# Why both, and why the spread: load on a shared machine only ever adds time, so the minimum is
# the best estimate of the code's own cost, and a real slowdown raises it; but one lucky minimum
# can be a fluke, so the median (the typical run) has to agree. A shift smaller than the
# spread is what this machine does to the same binary between two runs, so it is not evidence
# of a change in the code. Two comparisons of one build with itself (load 2–8) gave ratios of
# minima from 0.78 to 1.29; judged against the narrower spread of per-round medians, 1 row of 22
# came out "worse"; the second, judged as above, had none of 11. A "worse" row is a lead, not a
# verdict: re-run that benchmark alone with more rounds and repetitions (ONLY=…, FILTER=…).
#
# Needs python3. Each side's source commit is read from its CMakeCache.txt's source directory.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
old=$(cd "$1" && pwd)
new=$(cd "$2" && pwd)
rounds=${3:-3}
for b in "$old" "$new"; do
  [[ -d $b/bin ]] || { echo "no $b/bin: build the benchmarks first" >&2; exit 1; }
done
export QT_QPA_PLATFORM=offscreen
export OLD_BUILD=$old NEW_BUILD=$new ROUNDS=$rounds
exec python3 - <<'PY'
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time

old, new = os.environ["OLD_BUILD"], os.environ["NEW_BUILD"]
rounds = int(os.environ["ROUNDS"])
reps = int(os.environ.get("REPS", "2"))
min_time = os.environ.get("MIN_TIME", "0.1")
only = re.compile(os.environ.get("ONLY", "."))
exclude = os.environ.get("EXCLUDE", "Naive")
exclude_re = re.compile(exclude) if exclude else None
include_re = re.compile(os.environ.get("FILTER", "."))
work = tempfile.mkdtemp(prefix="loadline-compare-builds.")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def commit_of(build):
    """The source tree's commit (and whether it had uncommitted changes) from CMakeCache.txt."""
    src = None
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("CMAKE_HOME_DIRECTORY:"):
                    src = line.split("=", 1)[1].strip()
    except OSError:
        return "unknown"
    if not src:
        return "unknown"
    try:
        head = subprocess.run(["git", "-C", src, "rev-parse", "--short=10", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", src, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def is_google_benchmark(path):
    """A Google Benchmark binary links libbenchmark (or has its flags compiled in when static)."""
    try:
        out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
        if "libbenchmark" in out:
            return True
        with open(path, "rb") as f:
            return b"benchmark_list_tests" in f.read()
    except OSError:
        return False


def binaries(build):
    found = {}
    d = os.path.join(build, "bin")
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        if not (os.path.isfile(p) and os.access(p, os.X_OK)):
            continue
        if not (name.endswith("_bench") or name.startswith("bench_")):
            continue
        if only.search(name) and is_google_benchmark(p):
            found[name] = p
    return found


def list_tests(exe):
    r = subprocess.run([exe, "--benchmark_list_tests"], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise RuntimeError(f"{exe} --benchmark_list_tests failed: {r.stderr.strip()[-300:]}")
    # A benchmark name has no blanks; anything else is what a binary prints on its own at exit
    # (contention_bench's summary table).
    return [l.strip() for l in r.stdout.splitlines() if re.fullmatch(r"\S+", l.strip())]


def to_ns(value, unit):
    return value * {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]


def run_once(exe, regex, out_path, err_path):
    cmd = [exe, f"--benchmark_filter={regex}", f"--benchmark_repetitions={reps}",
           f"--benchmark_min_time={min_time}", f"--benchmark_out={out_path}",
           "--benchmark_out_format=json"]
    with open(err_path, "w") as err:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}; see {err_path}")
    figures, errors = {}, {}
    with open(out_path) as f:
        for b in json.load(f)["benchmarks"]:
            if b.get("run_type") == "aggregate":
                continue
            name = b.get("run_name", b["name"])
            if b.get("error_occurred"):
                errors[name] = b.get("error_message", "error")
                continue
            key = "real_time" if name.endswith("/manual_time") else "cpu_time"
            figures.setdefault(name, []).append(to_ns(b[key], b["time_unit"]))
    return figures, errors


def fmt(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


started = time.time()
load_start = loadavg()
old_bins, new_bins = binaries(old), binaries(new)
common = [n for n in old_bins if n in new_bins]
log(f"load average at start {load_start}; binaries in both: {', '.join(common)}")

rows, new_only, gone, failed, per_binary = [], [], [], [], []
for bi, name in enumerate(common):
    tests = {}
    for side, exe in (("old", old_bins[name]), ("new", new_bins[name])):
        tests[side] = [t for t in list_tests(exe)
                       if include_re.search(t) and not (exclude_re and exclude_re.search(t))]
    both = [t for t in tests["old"] if t in tests["new"]]
    new_only += [(name, t) for t in tests["new"] if t not in tests["old"]]
    gone += [(name, t) for t in tests["old"] if t not in tests["new"]]
    if not both:
        continue
    regex = "^(" + "|".join(re.escape(t) for t in both) + ")$"
    samples = {"old": {}, "new": {}}       # side -> name -> all repetitions
    errors = {}
    t0, load0 = time.time(), loadavg()
    for r in range(rounds):
        order = ("old", "new") if r % 2 == 0 else ("new", "old")
        for side in order:
            exe = old_bins[name] if side == "old" else new_bins[name]
            base = os.path.join(work, f"{name}.{side}.{r}")
            log(f"[{bi + 1}/{len(common)}] {name} round {r + 1}/{rounds} {side} (load {loadavg()})")
            try:
                figures, errs = run_once(exe, regex, base + ".json", base + ".err")
            except RuntimeError as e:
                failed.append(f"{name} ({side}, round {r + 1}): {e}")
                continue
            for k, v in errs.items():
                errors.setdefault(k, {}).setdefault(v, []).append(side)
            for k, v in figures.items():
                samples[side].setdefault(k, []).extend(v)
    per_binary.append((name, len(both), time.time() - t0, load0, loadavg()))
    for t in both:
        key = t
        if key not in samples["old"] or key not in samples["new"]:
            why = "; ".join(f"{' and '.join(s for s in ('old', 'new') if s in sides)}: {msg}"
                            for msg, sides in errors.get(t, {}).items())
            rows.append((name, t, None, why or "no figures (the run failed)"))
            continue
        stats = {}
        for side in ("old", "new"):
            v = samples[side][key]
            med = statistics.median(v)
            stats[side] = dict(med=med, min=min(v), n=len(v),
                               spread=(max(v) - min(v)) / med if med > 0 else 0.0)
        spread = max(stats["old"]["spread"], stats["new"]["spread"])
        rmin = stats["new"]["min"] / stats["old"]["min"] if stats["old"]["min"] > 0 else float("nan")
        rmed = stats["new"]["med"] / stats["old"]["med"] if stats["old"]["med"] > 0 else float("nan")
        if min(stats["old"]["n"], stats["new"]["n"]) < 2:
            verdict = "n/a (one sample a side: no spread)"
        elif rmin > 1 + spread and rmed > 1 + spread:
            verdict = "**worse**"
        elif rmin < 1 / (1 + spread) and rmed < 1 / (1 + spread):
            verdict = "better"
        else:
            verdict = "same"
        rows.append((name, t, dict(old=stats["old"], new=stats["new"], rmin=rmin, rmed=rmed,
                                   spread=spread, verdict=verdict), None))

load_end = loadavg()
elapsed = time.time() - started
print(f"# Benchmarks, {os.path.basename(old)} vs {os.path.basename(new)}, "
      f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}\n")
print(f"- OLD: `{old}`, commit {commit_of(old)}")
print(f"- NEW: `{new}`, commit {commit_of(new)}")
print(f"- {rounds} rounds per binary, alternating OLD NEW / NEW OLD; each run "
      f"`--benchmark_repetitions={reps} --benchmark_min_time={min_time}`"
      + (f", benchmarks matching `{exclude}` left out" if exclude else ""))
print(f"- machine: {os.cpu_count()} CPUs; load average at start {load_start}, at end {load_end}; "
      f"took {elapsed / 60:.1f} min")
print("- figure: CPU time per iteration (manual time for `/manual_time` benchmarks); "
      "median and minimum over all repetitions of all rounds; ratio = NEW / OLD; "
      "spread = larger side's (max − min) / median over all its repetitions\n")
print("| binary | benchmark | OLD median | OLD min | NEW median | NEW min | ratio of minima | "
      "ratio of medians | spread | verdict |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, t, s, err in rows:
    if s is None:
        print(f"| {name} | {t} | | | | | | | | error: {err} |")
        continue
    o, n = s["old"], s["new"]
    print(f"| {name} | {t} | {fmt(o['med'])} | {fmt(o['min'])} | {fmt(n['med'])} | {fmt(n['min'])} | "
          f"{s['rmin']:.3f} | {s['rmed']:.3f} | {s['spread'] * 100:.1f} % | {s['verdict']} |")
counts = {}
for _, _, s, _ in rows:
    if s:
        counts[s["verdict"]] = counts.get(s["verdict"], 0) + 1
print("\nVerdicts: " + ", ".join(f"{v.strip('*')} {c}" for v, c in sorted(counts.items())) + "\n")

print("Per binary (wall time of all its rounds, load average before → after):\n")
for name, n, secs, l0, l1 in per_binary:
    print(f"- `{name}`: {n} benchmarks, {secs:.0f} s, load {l0} → {l1}")
print()
only_old = sorted(set(old_bins) - set(new_bins))
only_new = sorted(set(new_bins) - set(old_bins))
if only_new or new_only:
    print("New since the baseline (not compared):\n")
    for b in only_new:
        print(f"- binary `{b}`")
    for b, t in new_only:
        print(f"- `{b}` {t}")
    print()
if only_old or gone:
    print("Gone (in OLD only):\n")
    for b in only_old:
        print(f"- binary `{b}`")
    for b, t in gone:
        print(f"- `{b}` {t}")
    print()
if failed:
    print("Failed runs:\n")
    for f in failed:
        print(f"- {f}")
    print()
if failed or os.environ.get("KEEP"):
    log(f"raw output (one JSON per run) kept in {work}")
else:
    shutil.rmtree(work, ignore_errors=True)
PY
