#include "core/collect/systemcollector.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sys/sysinfo.h>
#include <ctime>
#include <unistd.h>

namespace loadline::core {

double loadFromSysinfoFixedPoint(unsigned long load) {
    // sysinfo() gives avenrun (FSHIFT = 11 fraction bits) shifted up to SI_LOAD_SHIFT = 16.
    // /proc/loadavg prints LOAD_INT/LOAD_FRAC of avenrun + FIXED_1/200, where FIXED_1/200 is
    // the integer 10, not 1/200 exactly: redo that arithmetic in FSHIFT units, or values on
    // a rounding boundary come out 0.01 apart (1.90 here against 1.89 in the file).
    constexpr unsigned kFshift = 11;
    constexpr unsigned long kFixed1 = 1ul << kFshift;
    const unsigned long x = (load >> (SI_LOAD_SHIFT - kFshift)) + kFixed1 / 200;
    const unsigned long whole = x >> kFshift;
    const unsigned long frac = ((x & (kFixed1 - 1)) * 100) >> kFshift;
    // One correctly rounded division gives the same double as parsing "1.64";
    // whole + frac/100.0 would round twice (1 + 0.64 != 1.64).
    return static_cast<double>(whole * 100 + frac) / 100.0;
}

Status loadAvgFromSysinfo(LoadAvg& out) {
    struct sysinfo si {};
    if (::sysinfo(&si) != 0) return failIo("sysinfo", errno);
    out.load1 = loadFromSysinfoFixedPoint(si.loads[0]);
    out.load5 = loadFromSysinfoFixedPoint(si.loads[1]);
    out.load15 = loadFromSysinfoFixedPoint(si.loads[2]);
    out.runnable = 0;
    out.threads = si.procs;
    return {};
}

double monotonicNow() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double epochNow() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

SystemCollector::SystemCollector(ProcRoots roots, SystemCollectorOptions options)
    : m_roots(std::move(roots)), m_options(options) {
    m_stat.open(m_roots.proc + "/stat");
    m_meminfo.open(m_roots.proc + "/meminfo");
    m_realProc = m_roots.proc == "/proc";
    if (!m_realProc) m_loadavg.open(m_roots.proc + "/loadavg");
    if (m_options.uptime && !m_realProc) m_uptime.open(m_roots.proc + "/uptime");
    if (m_options.disk) m_diskstats.open(m_roots.proc + "/diskstats");
    if (m_options.network) m_netdev.open(m_roots.proc + "/net/dev");
    if (m_options.sensors) m_sensors = std::make_unique<CpuSensors>(m_roots);
    if (m_options.gpu) m_gpu = std::make_unique<GpuCollector>(m_roots, m_options.nvmlLibrary);
    openContention();
}

SystemCollector::~SystemCollector() = default;

// Only on failure: the Error names the file under the proc root ("PATH: No such file or directory").
tl::unexpected<Error> SystemCollector::failFile(const char* name, int errnum) const {
    Error e;
    e.kind = ErrorKind::Io;
    e.path = m_roots.proc + "/" + name;
    e.message = errnum ? std::strerror(errnum) : "unexpected content";
    e.errnum = errnum;
    return tl::unexpected<Error>(std::move(e));
}

Status SystemCollector::collect(SystemSample& out) { return collect(out, epochNow(), monotonicNow()); }

Status SystemCollector::collect(SystemSample& out, double epochSeconds, double mono) {
    out.timestamp = epochSeconds;

    // CPU: one read of /proc/stat gives the total and every online core.
    auto stat = m_stat.read();
    if (!stat) return failFile("stat", stat.error().errnum);
    if (!parseProcStat(*stat, m_procStat)) return failFile("stat", 0);
    out.cpuPercent = m_cpuTotal.update(m_procStat.total);
    out.cpuCountLogical = m_procStat.onlineCount;
    m_bootTime = static_cast<double>(m_procStat.bootTime);
    out.bootTime = m_bootTime;
    if (m_options.perCpu) {
        const std::size_t n = m_procStat.perCpu.size();
        if (m_cpuPerCore.size() < n) m_cpuPerCore.resize(n);
        out.cpuPercentPerCore.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (m_procStat.online[i]) {
                out.cpuPercentPerCore[i] = m_cpuPerCore[i].update(m_procStat.perCpu[i]);
            } else {
                // Offline: forget its counters so it restarts cleanly when it comes back.
                m_cpuPerCore[i].reset();
                out.cpuPercentPerCore[i] = kMissing;
            }
        }
    } else {
        out.cpuPercentPerCore.clear();
    }
    if (m_physicalCores < 0) m_physicalCores = countPhysicalCores(m_roots);
    out.cpuCountPhysical = m_physicalCores;

    // Memory and swap.
    auto mem = m_meminfo.read();
    if (!mem) return failFile("meminfo", mem.error().errnum);
    if (!parseMemInfo(*mem, m_memInfo)) return failFile("meminfo", 0);
    out.memory = computeMemoryUsage(m_memInfo);

    LoadAvg la;
    if (m_realProc ? loadAvgFromSysinfo(la).has_value() : [&] {
            auto t = m_loadavg.read();
            return t && parseLoadAvg(*t, la);
        }()) {
        out.loadAvg1 = la.load1;
        out.loadAvg5 = la.load5;
        out.loadAvg15 = la.load15;
    } else {
        out.loadAvg1 = out.loadAvg5 = out.loadAvg15 = kMissing;
    }
    Uptime up;
    if (m_options.uptime && m_realProc) {
        // /proc/uptime's first field is CLOCK_BOOTTIME (a vDSO read; the file also sums every
        // CPU's idle time, which we do not use). Kept at its 2 decimals, as the file shows it.
        timespec ts{};
        ::clock_gettime(CLOCK_BOOTTIME, &ts);
        out.uptime = static_cast<double>(ts.tv_sec * 100 + ts.tv_nsec / 10'000'000) / 100.0;
    } else {
        out.uptime = (m_uptime.isOpen() &&
                      [&] {
                          auto t = m_uptime.read();
                          return t && parseUptime(*t, up);
                      }())
                         ? up.uptime
                         : kMissing;
    }

    if (m_options.disk) collectDisks(out, mono);
    if (m_options.network) collectNetwork(out, mono);
    if (m_sensors) {
        out.cpuFreqMhz = m_sensors->frequencyMhz();
        out.cpuTemperatureC = m_sensors->temperatureC();
        if (std::isnan(out.cpuFreqMhz)) {
            if (mono - m_cpuInfoReadAt >= kCpuInfoSeconds) {
                m_cpuInfoReadAt = mono;
                m_cpuInfoMhz = readWholeFile(m_roots.proc + "/cpuinfo", m_cpuInfoText)
                                   ? meanCpuMhzFromCpuInfo(m_cpuInfoText)
                                   : kMissing;
            }
            out.cpuFreqMhz = m_cpuInfoMhz;
        }
    }
    if (m_gpu) m_gpu->sample(out.gpus);
    else out.gpus.clear();
    collectContention(out, mono);
    if (m_options.filesystems) readFilesystemUsage(m_roots, out.filesystems);
    return {};
}

bool SystemCollector::isWholeDisk(std::string_view name) {
    for (const auto& [n, whole] : m_diskKinds)
        if (n == name) return whole;
    // psutil: a device counts when /sys/block/<name> exists ('/' in names is '!' there).
    std::string sysName(name);
    for (char& c : sysName)
        if (c == '/') c = '!';
    bool whole = ::access((m_roots.sys + "/block/" + sysName).c_str(), F_OK) == 0;
    m_diskKinds.emplace_back(std::string(name), whole);
    return whole;
}

void SystemCollector::collectDisks(SystemSample& out, double mono) {
    auto text = m_diskstats.read();
    if (!text) {
        out.diskReadBytes = out.diskWriteBytes = out.diskReadCount = out.diskWriteCount = kMissing;
        out.disks.clear();
        return;
    }
    std::uint64_t reads = 0, writes = 0, readSectors = 0, writtenSectors = 0;
    std::size_t n = 0;
    forEachDiskStat(
        *text, [&](std::string_view name) { return isWholeDisk(name); },
        [&](const DiskStatLine& d) {
            reads += d.reads;
            writes += d.writes;
            readSectors += d.sectorsRead;
            writtenSectors += d.sectorsWritten;
            if (out.disks.size() <= n) out.disks.emplace_back();
            if (m_diskRates.size() <= n) m_diskRates.emplace_back();
            DiskDeviceSample& s = out.disks[n];
            RateState& r = m_diskRates[n];
            if (s.name != d.name) {  // device list changed: restart this slot's rates
                s.name.assign(d.name);
                r = RateState{};
            }
            s.readCount = static_cast<double>(d.reads);
            s.writeCount = static_cast<double>(d.writes);
            s.readBytes = static_cast<double>(d.sectorsRead) * 512.0;  // diskstats sectors are 512 B
            s.writeBytes = static_cast<double>(d.sectorsWritten) * 512.0;
            s.readBytesPerS = r.a.update(d.sectorsRead * 512, mono);
            s.writeBytesPerS = r.b.update(d.sectorsWritten * 512, mono);
            ++n;
        });
    out.disks.resize(n);
    out.diskReadCount = static_cast<double>(reads);
    out.diskWriteCount = static_cast<double>(writes);
    out.diskReadBytes = static_cast<double>(readSectors) * 512.0;
    out.diskWriteBytes = static_cast<double>(writtenSectors) * 512.0;
    out.diskReadBytesPerS = m_diskTotal.a.update(readSectors * 512, mono);
    out.diskWriteBytesPerS = m_diskTotal.b.update(writtenSectors * 512, mono);
    out.diskReadCountPerS = m_diskTotal.c.update(reads, mono);
    out.diskWriteCountPerS = m_diskTotal.d.update(writes, mono);
}

void SystemCollector::collectNetwork(SystemSample& out, double mono) {
    auto text = m_netdev.read();
    if (!text) {
        out.netBytesSent = out.netBytesRecv = out.netPacketsSent = out.netPacketsRecv = kMissing;
        out.interfaces.clear();
        return;
    }
    std::uint64_t sent = 0, recv = 0, psent = 0, precv = 0;
    std::size_t n = 0;
    forEachNetDev(*text, [&](const NetDevLine& d) {
        sent += d.txBytes;
        recv += d.rxBytes;
        psent += d.txPackets;
        precv += d.rxPackets;
        if (out.interfaces.size() <= n) out.interfaces.emplace_back();
        if (m_netRates.size() <= n) m_netRates.emplace_back();
        NetInterfaceSample& s = out.interfaces[n];
        RateState& r = m_netRates[n];
        if (s.name != d.name) {
            s.name.assign(d.name);
            r = RateState{};
        }
        s.bytesSent = static_cast<double>(d.txBytes);
        s.bytesRecv = static_cast<double>(d.rxBytes);
        s.packetsSent = static_cast<double>(d.txPackets);
        s.packetsRecv = static_cast<double>(d.rxPackets);
        s.errorsIn = static_cast<double>(d.rxErrors);
        s.errorsOut = static_cast<double>(d.txErrors);
        s.dropsIn = static_cast<double>(d.rxDrops);
        s.dropsOut = static_cast<double>(d.txDrops);
        s.sentBytesPerS = r.a.update(d.txBytes, mono);
        s.recvBytesPerS = r.b.update(d.rxBytes, mono);
        ++n;
    });
    out.interfaces.resize(n);
    out.netBytesSent = static_cast<double>(sent);
    out.netBytesRecv = static_cast<double>(recv);
    out.netPacketsSent = static_cast<double>(psent);
    out.netPacketsRecv = static_cast<double>(precv);
    out.netSentBytesPerS = m_netTotal.a.update(sent, mono);
    out.netRecvBytesPerS = m_netTotal.b.update(recv, mono);
    out.netSentPacketsPerS = m_netTotal.c.update(psent, mono);
    out.netRecvPacketsPerS = m_netTotal.d.update(precv, mono);
}

}  // namespace loadline::core
