// loadline-cli snapshot [--json]: one collection of everything (tracelet's collect()):
// CPU, per-core, load, memory, swap, filesystems, disk and network I/O, sensors, GPUs and the
// busiest processes. Rates and percents are measured over a short window (--window S).
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/format/jsonschema.h"
#include "cmdline.h"
#include "textcell.h"
#include "commands.h"
#include "core/collect/contention.h"
#include "core/collect/snapshot.h"

namespace loadline::cli {

namespace {

std::string bytes(double b) {
    if (std::isnan(b)) return "-";
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (std::fabs(b) >= 1024 && u < 4) {
        b /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", b, units[u]);
    return buf;
}

std::string num(double v, const char* fmt = "%.1f") {
    if (std::isnan(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

/** PSI and the --cgroup cgroup; nothing for sources this machine lacks. */
void printContention(const core::SystemSample& x) {
    if (x.pressure.any()) {
        std::printf("Pressure   ");
        for (int r = 0; r < core::kPressureResources; ++r) {
            const auto i = static_cast<std::size_t>(r);
            if (std::isnan(x.pressure.someTotalSeconds[i])) continue;
            std::printf(" %s some %s %%", core::pressureResourceName(r), num(x.pressure.somePercent[i]).c_str());
            if (!std::isnan(x.pressure.fullPercent[i]))
                std::printf(" full %s %%", num(x.pressure.fullPercent[i]).c_str());
            std::printf(";");
        }
        std::printf("  (share of time tasks stalled, /proc/pressure)\n");
    }
    const auto& c = x.cgroup;
    if (!c.path.empty()) {
        std::printf("Cgroup      %s: CPU %s %%", c.path.c_str(), num(c.cpuPercent).c_str());
        if (!std::isnan(c.nrThrottled))
            std::printf(", throttled in %s %% of periods (%s ms/s)", num(c.throttledPeriodsPercent).c_str(),
                        num(c.throttledMsPerS, "%.0f").c_str());
        if (!std::isnan(c.memoryCurrentBytes)) std::printf(", memory %s", bytes(c.memoryCurrentBytes).c_str());
        if (!std::isnan(c.memoryMaxBytes)) std::printf(" of %s", bytes(c.memoryMaxBytes).c_str());
        std::printf("\n");
    }
}

void printText(const core::Snapshot& s) {
    const core::SystemSample& x = s.system;
    std::printf("CPU         %s %%  (%d logical, %d physical)  load %s %s %s\n", num(x.cpuPercent).c_str(),
                x.cpuCountLogical, x.cpuCountPhysical, num(x.loadAvg1, "%.2f").c_str(), num(x.loadAvg5, "%.2f").c_str(),
                num(x.loadAvg15, "%.2f").c_str());
    std::printf("  per core ");
    for (std::size_t i = 0; i < x.cpuPercentPerCore.size(); ++i)
        std::printf(" cpu%zu %s %%", i,
                    std::isnan(x.cpuPercentPerCore[i]) ? "offline" : num(x.cpuPercentPerCore[i]).c_str());
    std::printf("\n");
    if (!std::isnan(x.cpuFreqMhz) || !std::isnan(x.cpuTemperatureC))
        std::printf("  frequency %s MHz, temperature %s °C\n", num(x.cpuFreqMhz, "%.0f").c_str(),
                    num(x.cpuTemperatureC).c_str());
    std::printf("Memory      %s used of %s (%s %%), %s available\n", bytes(x.memory.used).c_str(),
                bytes(x.memory.total).c_str(), num(x.memory.percent).c_str(), bytes(x.memory.available).c_str());
    std::printf("Swap        %s used of %s (%s %%)\n", bytes(x.memory.swapUsed).c_str(),
                bytes(x.memory.swapTotal).c_str(), num(x.memory.swapPercent).c_str());
    for (const auto& f : x.filesystems)
        std::printf("Filesystem  %-20s %s used of %s (%s %%) %s %s\n", f.mountPoint.c_str(), bytes(f.used).c_str(),
                    bytes(f.total).c_str(), num(f.percent).c_str(), f.fsType.c_str(), f.device.c_str());
    std::printf("Disk I/O    read %s/s, write %s/s (since boot: %s read, %s written)\n",
                bytes(x.diskReadBytesPerS).c_str(), bytes(x.diskWriteBytesPerS).c_str(), bytes(x.diskReadBytes).c_str(),
                bytes(x.diskWriteBytes).c_str());
    std::printf("Network     recv %s/s, sent %s/s (since boot: %s received, %s sent)\n",
                bytes(x.netRecvBytesPerS).c_str(), bytes(x.netSentBytesPerS).c_str(), bytes(x.netBytesRecv).c_str(),
                bytes(x.netBytesSent).c_str());
    if (x.gpus.empty()) std::printf("GPU         none\n");
    for (const auto& g : x.gpus)
        std::printf("GPU %d       %s (%s): %s %% busy, %s of %s, %s °C\n", g.index, g.name.c_str(), g.vendor.c_str(),
                    num(g.utilizationPercent, "%.0f").c_str(), bytes(g.memoryUsedBytes).c_str(),
                    bytes(g.memoryTotalBytes).c_str(), num(g.temperatureC, "%.0f").c_str());
    printContention(x);
    std::printf("Uptime      %s h, %zu processes\n", num(x.uptime / 3600.0).c_str(), s.processCount);
    if (!s.topProcesses.empty()) {
        std::printf("\n%7s  %-20s %6s %9s %8s  %-10s %s\n", "PID", "NAME", "CPU%", "RSS MiB", "THREADS", "STATUS",
                    "COMMAND");
        for (const auto& p : s.topProcesses)
            std::printf("%7d  %s %6s %9.1f %8.0f  %-10s %s\n", p.pid, tableCell(p.name, 20).c_str(),
                        num(p.cpuPercent).c_str(), p.rssBytes / 1048576.0, p.numThreads, p.status,
                        lastCell(p.cmdline, 60).c_str());
    }
}

}  // namespace

int runSnapshot(int argc, char** argv) {
    bool json = false;
    core::SnapshotOptions opts;
    long long top = static_cast<long long>(opts.topProcesses);
    CmdLine args(argv[0],
                 "Prints one collection of every metric (CPU, per core, load, memory, swap, filesystems, "
                 "disk and network I/O, sensors, GPUs, top processes). Percents and rates are measured "
                 "over --window seconds. Pressure stall information (PSI) is included where the kernel "
                 "has it.");
    args.flag({"--json"}, json, "print one JSON object for scripts instead of text")
        .count({"--top"}, top, 0, 100000, "N", "a count",
               "list the N busiest processes (default " + std::to_string(core::SnapshotOptions{}.topProcesses) +
                   "; 0 for none)")
        .option(
            {"--sort"}, "cpu|memory", "cpu or memory",
            [&](const std::string& v) {
                if (v == "cpu") opts.sort = core::ProcessSort::Cpu;
                else if (v == "memory") opts.sort = core::ProcessSort::Memory;
                else return false;
                return true;
            },
            "order the processes by CPU or by memory (default cpu)")
        .number({"--window"}, opts.window, 0.01, 60, "S", "seconds between 0.01 and 60",
                "seconds to measure percents and rates over (default 0.5)")
        .text({"--cgroup"}, opts.cgroup, "PATH", "a cgroup path",
              "add a cgroup v2's CPU use, throttling, memory and pressure");
    if (auto status = args.parse(argc, argv)) return *status;
    opts.topProcesses = static_cast<std::size_t>(top);
    if (!opts.cgroup.empty()) {
        std::string path, cgroupError;
        if (!core::succeeded(core::resolveCgroupDir(opts.roots, opts.cgroup, path), &cgroupError))
            return args.fail(cgroupError);
    }
    core::Snapshot snap;
    std::string error;
    if (!core::succeeded(core::collectSnapshot(snap, opts), &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    if (json) {
        nlohmann::json doc = core::snapshotToJson(snap);
        doc[core::kJsonSchemaKey] = core::kJsonSchemaVersion;
        std::printf("%s\n", doc.dump(2).c_str());
    } else printText(snap);
    return 0;
}

}  // namespace loadline::cli
