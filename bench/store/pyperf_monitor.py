#!/usr/bin/python3
"""py-perf's SystemMonitor as it records, for long_recordings.sh: its own CPU over a run.

A thread samples every INTERVAL seconds what py-perf's SystemMonitor samples (psutil.cpu_percent(),
psutil.virtual_memory(), os.getloadavg(); for each tracked psutil.Process, kept between ticks,
name, cpu_percent, memory_info, num_threads, status, create_time and cmdline under oneshot())
into deque(maxlen=3600) rings, as py-perf keeps them. It saves nothing while recording (py-perf
writes the JSON when asked). Prints one line: the process's CPU (user+system, os.times) from the
monitor's start to its stop, over the wall time, and the ticks taken.

Usage: pyperf_monitor.py DURATION INTERVAL PID...
"""
import collections
import os
import sys
import threading
import time

import psutil


def main():
    duration, interval = float(sys.argv[1]), float(sys.argv[2])
    procs = [psutil.Process(int(p)) for p in sys.argv[3:]]
    system = collections.deque(maxlen=3600)
    per_process = {p.pid: collections.deque(maxlen=3600) for p in procs}
    stop = threading.Event()
    ticks = 0

    def sample():
        nonlocal ticks
        now = time.time()
        mem = psutil.virtual_memory()
        load = os.getloadavg()
        system.append({"timestamp": now, "cpu_percent": psutil.cpu_percent(), "memory_percent": mem.percent,
                       "memory_available_mb": mem.available / 1048576, "memory_used_mb": mem.used / 1048576,
                       "load_avg_1m": load[0], "load_avg_5m": load[1], "load_avg_15m": load[2]})
        for p in procs:
            try:
                with p.oneshot():
                    m = p.memory_info()
                    per_process[p.pid].append({
                        "timestamp": now, "pid": p.pid, "name": p.name(), "cpu_percent": p.cpu_percent(),
                        "memory_rss_mb": m.rss / 1048576, "memory_vms_mb": m.vms / 1048576,
                        "num_threads": p.num_threads(), "status": p.status(), "create_time": p.create_time(),
                        "cmdline": " ".join(p.cmdline())})
            except psutil.Error:
                pass
        ticks += 1

    def loop():
        # py-perf's loop: sample, then sleep the interval.
        while not stop.wait(interval):
            sample()

    psutil.cpu_percent()
    for p in procs:
        p.cpu_percent()
    t0 = os.times()
    w0 = time.monotonic()
    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    time.sleep(duration)
    stop.set()
    thread.join()
    t1 = os.times()
    wall = time.monotonic() - w0
    cpu = (t1.user - t0.user) + (t1.system - t0.system)
    print(f"py-perf SystemMonitor CPU {cpu:.3f} s over {wall:.1f} s = {cpu / wall * 100:.4f} % of one core "
          f"(os.times, 10 ms ticks); {ticks} samples; {cpu / max(ticks, 1) * 1e6:.0f} us/sample")


if __name__ == "__main__":
    main()
