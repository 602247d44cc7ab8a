#!/usr/bin/python3
"""Writes a made-up but plausible py-perf timeline (for the README screenshot): a Python script
that alternates computing and waiting on I/O, a build that loads the machine for a while, and
a helper process that comes and goes. Usage: make-demo-recording.py OUT.json"""
import json, math, random, sys

# Only one argument, a file name: "--help" once became a 1 MB file of that name.
if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
    asked = sys.argv[1:] in (["-h"], ["--help"])
    print("usage: make-demo-recording.py OUT.json", file=sys.stdout if asked else sys.stderr)
    sys.exit(0 if asked else 2)

random.seed(7)
start = 1763906530.0  # a fixed time, so the picture is reproducible
interval, n = 0.5, 1200  # 10 minutes
system, script, helper = [], [], []
rss = 180.0
for i in range(n):
    t = start + i * interval
    minute = i * interval / 60
    computing = (i // 50) % 3 != 2  # 25 s computing, then 12.5 s waiting on I/O
    build = 3.2 < minute < 6.1      # a parallel build loads the other cores
    script_cpu = (92 + random.uniform(-6, 6)) if computing else random.uniform(1, 7)
    background = 7 + 3 * math.sin(i / 37) + random.uniform(-2, 2)
    build_load = (58 + 14 * math.sin(i / 9) + random.uniform(-8, 8)) if build else 0
    cpu = min(100, max(0, background + script_cpu / 4 + build_load))
    rss = min(1400, rss + (1.1 if computing else -0.4) + random.uniform(-0.5, 0.5))
    mem = 41 + rss / 160 + (9 if build else 0) + random.uniform(-0.3, 0.3)
    # Four cores: the script keeps one busy, the build and the background spread over all.
    cores = [min(100, max(0, background + build_load + random.uniform(-5, 5))) for _ in range(4)]
    cores[1] = min(100, max(0, background / 2 + script_cpu * (0.55 if build else 1.0) + random.uniform(-2, 2)))
    cpu = sum(cores) / 4
    system.append({"timestamp": round(t, 3), "cpu_percent": round(cpu, 1), "memory_percent": round(mem, 1),
                   "cpu_percent_per_core": [round(c, 1) for c in cores],
                   "memory_available_mb": round(16000 * (1 - mem / 100), 1), "memory_used_mb": round(16000 * mem / 100, 1),
                   "load_avg_1m": round(0.6 + cpu / 30, 2), "load_avg_5m": round(0.5 + cpu / 40, 2),
                   "load_avg_15m": round(0.4 + cpu / 60, 2)})
    if build:
        script_cpu *= 0.55  # contention: the script gets fewer cycles while the build runs
    script.append({"timestamp": round(t, 3), "pid": 31337, "name": "python3", "cpu_percent": round(script_cpu, 1),
                   "memory_rss_mb": round(rss, 1), "memory_vms_mb": round(rss * 2.3, 1), "num_threads": 3,
                   "status": "running" if computing else "sleeping", "create_time": start - 4.0,
                   "cmdline": "python3 train.py --epochs 20"})
    if 140 <= i < 700:
        helper.append({"timestamp": round(t, 3), "pid": 31400, "name": "dataloader", "cpu_percent": round(22 + 10 * math.sin(i / 5) + random.uniform(-4, 4), 1),
                       "memory_rss_mb": 260.0, "memory_vms_mb": 610.0, "num_threads": 2, "status": "running",
                       "create_time": start + 70, "cmdline": "python3 -m dataloader --workers 2"})
doc = {"system": system, "processes": {"31337": script, "31400": helper},
       "metadata": {"platform": "Linux", "sample_interval": interval, "start_time": start, "end_time": start + (n - 1) * interval}}
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=2)
