#!/usr/bin/python3
"""psutil doing py-perf's per-tick work, for compare_psutil.sh.

py-perf's SystemMonitor tick: psutil.cpu_percent(), psutil.virtual_memory(), os.getloadavg(),
and for each tracked psutil.Process (kept between ticks) a oneshot() reading name, cpu_percent,
memory_info (rss, vms), num_threads, status, create_time and cmdline. The full scan is the
usual psutil "top": process_iter over every process with cpu_percent and memory_info, sorted.
Prints one JSON object: microseconds per tick for each case.
"""
import json
import os
import sys
import time

import psutil


def record(proc):
    with proc.oneshot():
        mem = proc.memory_info()
        return {
            "pid": proc.pid,
            "name": proc.name(),
            "cpu_percent": proc.cpu_percent(),
            "memory_rss_mb": mem.rss / 1048576,
            "memory_vms_mb": mem.vms / 1048576,
            "num_threads": proc.num_threads(),
            "status": proc.status(),
            "create_time": proc.create_time(),
            "cmdline": " ".join(proc.cmdline()),
        }


def tick(procs):
    s = {
        "timestamp": time.time(),
        "cpu_percent": psutil.cpu_percent(interval=None),
    }
    mem = psutil.virtual_memory()
    s["memory_percent"] = mem.percent
    s["memory_available_mb"] = mem.available / 1048576
    s["memory_used_mb"] = mem.used / 1048576
    s["load_avg_1m"], s["load_avg_5m"], s["load_avg_15m"] = os.getloadavg()
    return s, [record(p) for p in procs]


def scan():
    rows = [p.info for p in psutil.process_iter(["pid", "name", "cpu_percent", "memory_info"])]
    rows.sort(key=lambda r: r["cpu_percent"] or 0, reverse=True)
    return rows[:10]


def per_tick_us(fn, seconds):
    """(CPU microseconds, wall microseconds) per call."""
    fn()  # warm up (first cpu_percent, Process caches)
    n = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    while True:
        fn()
        n += 1
        el = time.perf_counter() - t0
        if el >= seconds and n >= 20:
            return (time.process_time() - c0) / n * 1e6, el / n * 1e6


def main():
    pids = [int(p) for p in sys.argv[1].split(",")]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    procs = [psutil.Process(p) for p in pids]
    out = {
        "tick_1_tracked_us": per_tick_us(lambda: tick(procs[:1]), seconds),
        "tick_10_tracked_us": per_tick_us(lambda: tick(procs[:10]), seconds),
        "full_scan_us": per_tick_us(scan, seconds),
        "processes": len(psutil.pids()),
        "psutil": psutil.__version__,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
