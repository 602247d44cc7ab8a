#include "core/collect/systemparse.h"

#include "core/collect/textscan.h"

namespace loadline::core {

using scan::nextLine;
using scan::nextToken;
using scan::toU64;

bool parseCpuFields(std::string_view fields, CpuTimes& out) {
    std::uint64_t* dst[] = {&out.user, &out.nice,    &out.system, &out.idle,  &out.iowait,
                            &out.irq,  &out.softirq, &out.steal,  &out.guest, &out.guestNice};
    std::size_t pos = 0;
    int n = 0;
    for (auto* d : dst) {
        std::string_view t = nextToken(fields, pos);
        if (t.empty()) {
            *d = 0;  // older kernels have fewer columns
            continue;
        }
        if (!toU64(t, *d)) return false;
        ++n;
    }
    return n >= 4;  // user nice system idle exist on every kernel
}

bool parseProcStat(std::string_view text, ProcStat& out) {
    bool sawTotal = false;
    for (auto& o : out.online) o = 0;
    out.onlineCount = 0;
    std::size_t pos = 0;
    std::string_view line;
    while (nextLine(text, pos, line)) {
        std::size_t p = 0;
        std::string_view key = nextToken(line, p);
        std::string_view rest = line.substr(p);
        if (key == "cpu") {
            if (!parseCpuFields(rest, out.total)) return false;
            sawTotal = true;
        } else if (key.size() > 3 && key.substr(0, 3) == "cpu") {
            std::uint64_t idx = 0;
            if (!toU64(key.substr(3), idx) || idx > 65535) return false;
            if (idx >= out.perCpu.size()) {
                out.perCpu.resize(idx + 1);
                out.online.resize(idx + 1, 0);
            }
            if (!parseCpuFields(rest, out.perCpu[idx])) return false;
            out.online[idx] = 1;
            ++out.onlineCount;
        } else {
            std::uint64_t v = 0;
            std::size_t q = 0;
            std::string_view first = nextToken(rest, q);
            if (!toU64(first, v)) continue;  // intr/softirq lines have many numbers; first is enough
            if (key == "btime") out.bootTime = v;
            else if (key == "ctxt") out.contextSwitches = v;
            else if (key == "processes") out.processesCreated = v;
            else if (key == "procs_running") out.procsRunning = v;
            else if (key == "procs_blocked") out.procsBlocked = v;
        }
    }
    return sawTotal;
}

bool parseMemInfo(std::string_view text, MemInfo& out) {
    out = MemInfo{};
    bool sawTotal = false;
    constexpr int kWanted = 10;  // the keys below; once all are seen the rest of the file is skipped
    int seen = 0;
    std::size_t pos = 0;
    std::string_view line;
    while (seen < kWanted && nextLine(text, pos, line)) {
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = line.substr(0, colon);
        std::uint64_t* dst = nullptr;
        switch (key.size()) {
        case 6:
            if (key == "Cached") dst = &out.cached;
            else if (key == "Shmem") dst = &out.shmem;
            break;
        case 7:
            if (key == "MemFree") dst = &out.free;
            else if (key == "Buffers") dst = &out.buffers;
            break;
        case 8:
            if (key == "MemTotal") dst = &out.total;
            else if (key == "SwapFree") dst = &out.swapFree;
            break;
        case 9:
            if (key == "SwapTotal") dst = &out.swapTotal;
            break;
        case 10:
            if (key == "SwapCached") dst = &out.swapCached;
            break;
        case 12:
            if (key == "MemAvailable") dst = &out.available;
            else if (key == "SReclaimable") dst = &out.sReclaimable;
            break;
        default: break;
        }
        if (!dst) continue;
        if (!scan::keyValueBytes(line.substr(colon + 1), *dst)) return false;
        ++seen;
        if (dst == &out.total) sawTotal = true;
        if (dst == &out.available) out.hasAvailable = true;
    }
    return sawTotal;
}

MemoryUsage computeMemoryUsage(const MemInfo& m) {
    MemoryUsage u;
    const double total = static_cast<double>(m.total);
    const double free = static_cast<double>(m.free);
    const double buffers = static_cast<double>(m.buffers);
    const double cached = static_cast<double>(m.cached) + static_cast<double>(m.sReclaimable);
    u.total = total;
    u.free = free;
    u.used = total - free - cached - buffers;
    if (u.used < 0) u.used = total - free;
    double avail = m.hasAvailable ? static_cast<double>(m.available) : free + buffers + cached;
    if (avail < 0) avail = 0;
    if (avail > total) avail = total;
    u.available = avail;
    u.percent = total > 0 ? (total - avail) / total * 100.0 : 0.0;
    u.swapTotal = static_cast<double>(m.swapTotal);
    u.swapFree = static_cast<double>(m.swapFree);
    u.swapUsed = m.swapTotal >= m.swapFree ? static_cast<double>(m.swapTotal - m.swapFree) : 0.0;
    u.swapPercent = m.swapTotal > 0 ? u.swapUsed / u.swapTotal * 100.0 : 0.0;
    return u;
}

bool parseLoadAvg(std::string_view text, LoadAvg& out) {
    std::size_t pos = 0;
    if (!scan::toDouble(nextToken(text, pos), out.load1)) return false;
    if (!scan::toDouble(nextToken(text, pos), out.load5)) return false;
    if (!scan::toDouble(nextToken(text, pos), out.load15)) return false;
    std::string_view rt = nextToken(text, pos);
    std::size_t slash = rt.find('/');
    out.runnable = out.threads = 0;
    if (slash != std::string_view::npos) {
        toU64(rt.substr(0, slash), out.runnable);
        toU64(rt.substr(slash + 1), out.threads);
    }
    return true;
}

bool parseUptime(std::string_view text, Uptime& out) {
    std::size_t pos = 0;
    if (!scan::toDouble(nextToken(text, pos), out.uptime)) return false;
    if (!scan::toDouble(nextToken(text, pos), out.idle)) out.idle = 0;
    return true;
}

bool parseDiskStatName(std::string_view line, DiskStatLine& out, std::size_t& pos) {
    pos = 0;
    std::uint64_t major = 0, minor = 0;
    if (!toU64(nextToken(line, pos), major) || !toU64(nextToken(line, pos), minor)) return false;
    out.name = nextToken(line, pos);
    return !out.name.empty();
}

bool parseDiskStatCounters(std::string_view line, std::size_t pos, DiskStatLine& out) {
    std::uint64_t f[10];
    for (auto& v : f)
        if (!toU64(nextToken(line, pos), v)) return false;
    // reads, reads merged, sectors read, ms reading, writes, writes merged, sectors written,
    // ms writing, in flight, ms doing I/O
    out.reads = f[0];
    out.sectorsRead = f[2];
    out.writes = f[4];
    out.sectorsWritten = f[6];
    out.ioMillis = f[9];
    return true;
}

bool parseDiskStatLine(std::string_view line, DiskStatLine& out) {
    std::size_t pos = 0;
    return parseDiskStatName(line, out, pos) && parseDiskStatCounters(line, pos, out);
}

bool parseNetDevLine(std::string_view line, NetDevLine& out) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;  // the two header lines have '|' not ':'
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && scan::isSpace(name.front())) name.remove_prefix(1);
    if (name.empty()) return false;
    out.name = name;
    std::string_view rest = line.substr(colon + 1);
    std::uint64_t f[16];
    std::size_t pos = 0;
    for (auto& v : f)
        if (!toU64(nextToken(rest, pos), v)) return false;
    out.rxBytes = f[0];
    out.rxPackets = f[1];
    out.rxErrors = f[2];
    out.rxDrops = f[3];
    out.txBytes = f[8];
    out.txPackets = f[9];
    out.txErrors = f[10];
    out.txDrops = f[11];
    return true;
}

}  // namespace loadline::core
