#pragma once
// Pure parsers of system-wide /proc files (no I/O; tested on strings). Each fills a caller-owned
// struct so a sampler can reuse it every tick without allocating. All return false on text that
// is not the expected file (the struct is then unspecified).

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"

namespace loadline::core {

/** One "cpu" line of /proc/stat, in clock ticks. https://man7.org/linux/man-pages/man5/proc_stat.5.html */
struct CpuTimes {
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0, guest = 0,
                  guestNice = 0;
    /** All time, as psutil counts it: guest and guest_nice are already inside user and nice. */
    std::uint64_t total() const { return user + nice + system + idle + iowait + irq + softirq + steal; }
    /** Busy time (psutil on Linux: total - idle - iowait). */
    std::uint64_t busy() const { return total() - idle - iowait; }
};

/** /proc/stat. https://man7.org/linux/man-pages/man5/proc_stat.5.html */
struct ProcStat {
    CpuTimes total;
    /** Indexed by CPU number. A CPU without a line (offline) has online[i] == 0. */
    std::vector<CpuTimes> perCpu;
    std::vector<std::uint8_t> online;
    int onlineCount = 0;
    std::uint64_t bootTime = 0;  // btime, epoch seconds
    std::uint64_t contextSwitches = 0;
    std::uint64_t processesCreated = 0;
    std::uint64_t procsRunning = 0;
    std::uint64_t procsBlocked = 0;
};
/** Parses /proc/stat into out, reusing its vectors (they only grow). */
bool parseProcStat(std::string_view text, ProcStat& out);
/** Parses the numbers after "cpu"/"cpuN" (label already removed). */
bool parseCpuFields(std::string_view fields, CpuTimes& out);

/** The /proc/meminfo fields psutil's virtual_memory()/swap_memory() use, in bytes.
 *  https://man7.org/linux/man-pages/man5/proc_meminfo.5.html */
struct MemInfo {
    std::uint64_t total = 0, free = 0, available = 0, buffers = 0, cached = 0, sReclaimable = 0, shmem = 0,
                  swapTotal = 0, swapFree = 0, swapCached = 0;
    bool hasAvailable = false;  // MemAvailable exists since Linux 3.14
};
bool parseMemInfo(std::string_view text, MemInfo& out);

/** psutil 5.9's Linux definitions (psutil/_pslinux.py virtual_memory/swap_memory), in bytes. */
struct MemoryUsage {
    double total = 0, available = 0, used = 0, free = 0, percent = 0;
    double swapTotal = 0, swapUsed = 0, swapFree = 0, swapPercent = 0;
};
/**
 * used = total - free - buffers - (cached + SReclaimable) (total - free if that is negative);
 * available = MemAvailable clamped to [0, total] (free + buffers + cached without it);
 * percent = (total - available) / total * 100; swap used = total - free.
 */
MemoryUsage computeMemoryUsage(const MemInfo& m);

/** /proc/loadavg. https://man7.org/linux/man-pages/man5/proc_loadavg.5.html */
struct LoadAvg {
    double load1 = 0, load5 = 0, load15 = 0;
    std::uint64_t runnable = 0, threads = 0;
};
bool parseLoadAvg(std::string_view text, LoadAvg& out);
/** The same three averages from sysinfo(2), rounded as /proc/loadavg prints them (threads = procs);
 *  kind Io with sysinfo's errno if it fails. */
Status loadAvgFromSysinfo(LoadAvg& out);
/** One sysinfo(2) `loads[]` value (fixed point, 16 fraction bits) as /proc/loadavg prints it. */
double loadFromSysinfoFixedPoint(unsigned long load);

/** /proc/uptime: seconds since boot and summed idle seconds of all CPUs. proc_uptime(5). */
struct Uptime {
    double uptime = 0, idle = 0;
};
bool parseUptime(std::string_view text, Uptime& out);

/** One line of /proc/diskstats. name points into the parsed text.
 *  https://www.kernel.org/doc/html/latest/admin-guide/iostats.html */
struct DiskStatLine {
    std::string_view name;
    std::uint64_t reads = 0, sectorsRead = 0, writes = 0, sectorsWritten = 0, ioMillis = 0;
};
/** Calls f(const DiskStatLine&) for each well-formed line; returns the count. */
template <class F>
int forEachDiskStat(std::string_view text, F&& f);
/** The same for the lines whose device name want(std::string_view) accepts: the counters of the
 *  others (partitions, loop devices: most lines) are not parsed. */
template <class Want, class F>
int forEachDiskStat(std::string_view text, Want&& want, F&& f);
bool parseDiskStatLine(std::string_view line, DiskStatLine& out);
/** The two halves of parseDiskStatLine: major, minor and name (pos then points after the name),
 *  and the counters from pos on. */
bool parseDiskStatName(std::string_view line, DiskStatLine& out, std::size_t& pos);
bool parseDiskStatCounters(std::string_view line, std::size_t pos, DiskStatLine& out);

/** One interface of /proc/net/dev. name points into the parsed text. proc_net(5) */
struct NetDevLine {
    std::string_view name;
    std::uint64_t rxBytes = 0, rxPackets = 0, rxErrors = 0, rxDrops = 0;
    std::uint64_t txBytes = 0, txPackets = 0, txErrors = 0, txDrops = 0;
};
bool parseNetDevLine(std::string_view line, NetDevLine& out);
template <class F>
int forEachNetDev(std::string_view text, F&& f);

/** A CPU list as in /sys/devices/system/cpu/online ("0-3,5,7-8"); calls f(int cpu). */
template <class F>
bool forEachInCpuList(std::string_view text, F&& f);

// ---- template definitions ----

template <class Want, class F>
int forEachDiskStat(std::string_view text, Want&& want, F&& f) {
    int n = 0;
    std::size_t pos = 0;
    std::string_view line;
    DiskStatLine d;
    while (pos < text.size()) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        line = text.substr(pos, e - pos);
        pos = e + 1;
        std::size_t at = 0;
        if (parseDiskStatName(line, d, at) && want(d.name) && parseDiskStatCounters(line, at, d)) {
            f(static_cast<const DiskStatLine&>(d));
            ++n;
        }
    }
    return n;
}

template <class F>
int forEachDiskStat(std::string_view text, F&& f) {
    return forEachDiskStat(
        text, [](std::string_view) { return true; }, std::forward<F>(f));
}

template <class F>
int forEachNetDev(std::string_view text, F&& f) {
    int n = 0;
    std::size_t pos = 0;
    NetDevLine d;
    while (pos < text.size()) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(pos, e - pos);
        pos = e + 1;
        if (parseNetDevLine(line, d)) {
            f(static_cast<const NetDevLine&>(d));
            ++n;
        }
    }
    return n;
}

template <class F>
bool forEachInCpuList(std::string_view text, F&& f) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t e = text.find(',', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string_view part = text.substr(pos, e - pos);
        pos = e + 1;
        while (!part.empty() && (part.back() == '\n' || part.back() == ' ')) part.remove_suffix(1);
        if (part.empty()) continue;
        std::size_t dash = part.find('-');
        std::uint64_t a = 0, b = 0;
        auto num = [](std::string_view t, std::uint64_t& v) {
            if (t.empty()) return false;
            v = 0;
            for (char c : t) {
                if (c < '0' || c > '9') return false;
                v = v * 10 + static_cast<std::uint64_t>(c - '0');
            }
            return true;
        };
        if (dash == std::string_view::npos) {
            if (!num(part, a)) return false;
            b = a;
        } else if (!num(part.substr(0, dash), a) || !num(part.substr(dash + 1), b) || b < a || b - a > 65536) {
            return false;
        }
        for (std::uint64_t c = a; c <= b; ++c) f(static_cast<int>(c));
    }
    return true;
}

}  // namespace loadline::core
