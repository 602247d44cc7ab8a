#!/usr/bin/env python3
"""Writes OpenMetrics text of one node_exporter-like node for `promtool tsdb create-blocks-from
openmetrics`: the families loadline's import reads (CPU seconds per core and mode, meminfo,
load, diskstats, netdev) plus `up`, every INTERVAL seconds over HOURS, ending at END.

usage: gen_node_openmetrics.py OUT END_EPOCH [--hours 24] [--interval 15] [--cpus 4] [--instance bench:9100]
"""
import argparse
import random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("end", type=float)
p.add_argument("--hours", type=float, default=24)
p.add_argument("--interval", type=float, default=15)
p.add_argument("--cpus", type=int, default=4)
p.add_argument("--instance", default="bench:9100")
a = p.parse_args()

n = int(a.hours * 3600 / a.interval)
times = [a.end - (n - 1 - i) * a.interval for i in range(n)]
lab = 'instance="%s",job="node"' % a.instance
rnd = random.Random(42)


def counter(rate_lo, rate_hi):
    v, out = rnd.uniform(1e4, 1e6), []
    for _ in times:
        v += rnd.uniform(rate_lo, rate_hi) * a.interval
        out.append(v)
    return out


def walk(start, lo, hi, step):
    v, out = start, []
    for _ in times:
        v = min(hi, max(lo, v + rnd.uniform(-step, step)))
        out.append(v)
    return out


with open(a.out, "w") as f:
    def family(name, series):
        f.write("# TYPE %s gauge\n" % name)  # types do not matter to the TSDB; gauge avoids suffix rules
        for labels, values in series:
            l = "{" + ",".join(x for x in (labels, lab) if x) + "}"
            for t, v in zip(times, values):
                f.write("%s%s %.6g %.3f\n" % (name, l, v, t))

    modes = {"user": (0.1, 0.6), "nice": (0, 0.01), "system": (0.05, 0.2), "idle": (0.2, 0.8),
             "iowait": (0, 0.05), "irq": (0, 0.01), "softirq": (0, 0.02), "steal": (0, 0.01)}
    family("node_cpu_seconds_total",
           [('cpu="%d",mode="%s"' % (c, m), counter(*r)) for c in range(a.cpus) for m, r in modes.items()])
    total = 16 * 2**30
    for name, values in [("node_memory_MemTotal_bytes", [total] * n),
                         ("node_memory_MemAvailable_bytes", walk(8 * 2**30, 1 * 2**30, 15 * 2**30, 5e7)),
                         ("node_memory_MemFree_bytes", walk(4 * 2**30, 1 * 2**30, 8 * 2**30, 5e7)),
                         ("node_memory_Buffers_bytes", walk(3e8, 1e8, 5e8, 1e6)),
                         ("node_memory_Cached_bytes", walk(4e9, 1e9, 6e9, 1e7)),
                         ("node_memory_SReclaimable_bytes", walk(3e8, 1e8, 5e8, 1e6)),
                         ("node_memory_SwapTotal_bytes", [2 * 2**30] * n),
                         ("node_memory_SwapFree_bytes", walk(2 * 2**30 - 1e7, 1e9, 2 * 2**30, 1e5)),
                         ("node_load1", walk(1.0, 0, 8, 0.2)), ("node_load5", walk(1.0, 0, 8, 0.05)),
                         ("node_load15", walk(1.0, 0, 8, 0.02)), ("up", [1] * n)]:
        family(name, [("", values)])
    for name, r in [("node_disk_read_bytes_total", (0, 5e6)), ("node_disk_written_bytes_total", (0, 5e6)),
                    ("node_disk_reads_completed_total", (0, 200)), ("node_disk_writes_completed_total", (0, 200))]:
        family(name, [('device="%s"' % d, counter(*r)) for d in ("sda", "nvme0n1")])
    for name, r in [("node_network_receive_bytes_total", (0, 1e6)), ("node_network_transmit_bytes_total", (0, 1e6)),
                    ("node_network_receive_packets_total", (0, 1e3)), ("node_network_transmit_packets_total", (0, 1e3))]:
        family(name, [('device="%s"' % d, counter(*r)) for d in ("lo", "eth0")])
    f.write("# EOF\n")
print("%d points per series" % n)
