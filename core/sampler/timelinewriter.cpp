#include "core/sampler/timelinewriter.h"

#include <cmath>

namespace loadline::core {

namespace {
constexpr double kMb = 1024.0 * 1024.0;
const char* const kSysNames[] = {
    col::kCpuPercent, col::kMemoryPercent, col::kMemoryAvailableMb, col::kMemoryUsedMb, col::kLoadAvg1m,
    col::kLoadAvg5m, col::kLoadAvg15m, col::kMemoryTotalMb, col::kSwapTotalMb, col::kSwapUsedMb,
    col::kSwapPercent, col::kCpuFreqMhz, col::kCpuTemperatureC, col::kDiskReadBytesPerS,
    col::kDiskWriteBytesPerS, col::kDiskReadCountPerS, col::kDiskWriteCountPerS, col::kNetSentBytesPerS,
    col::kNetRecvBytesPerS, col::kNetSentPacketsPerS, col::kNetRecvPacketsPerS};
const char* const kProcNames[] = {col::kPid, col::kName, col::kCpuPercent, col::kMemoryRssMb, col::kMemoryVmsMb,
                                  col::kNumThreads, col::kStatus, col::kCreateTime, col::kCmdline,
                                  col::kIoReadBytes, col::kIoWriteBytes, col::kIoReadBytesPerS,
                                  col::kIoWriteBytesPerS, col::kNumFds};
constexpr int kFirstOptionalSys = 7;  // py-perf's seven columns always exist
}  // namespace

std::string indexedColumn(const char* key, std::size_t i) {
    return std::string(key) + "[" + std::to_string(i) + "]";
}

void TimelineWriter::reset() {
    m_sysTable = nullptr;
    m_perCore.clear();
    m_gpu.clear();
    m_procs.clear();
    m_contention.reset();
}

void TimelineWriter::setSys(SeriesTable& t, int which, double v) {
    int& c = m_sys[static_cast<std::size_t>(which)];
    if (c < 0) {
        if (std::isnan(v)) return;  // optional column: created at its first real value
        c = t.ensureColumn(kSysNames[which]);
    }
    t.setLast(c, v);
}

void TimelineWriter::appendSystem(Timeline& tl, const SystemSample& s) {
    SeriesTable& t = tl.system;
    if (m_sysTable != &t) {
        m_sysTable = &t;
        for (int i = 0; i < kSysCount; ++i) m_sys[static_cast<std::size_t>(i)] = i < kFirstOptionalSys ? t.ensureColumn(kSysNames[i]) : t.columnIndex(kSysNames[i]);
        m_perCore.clear();
        m_gpu.clear();
    }
    t.appendRow(s.timestamp);
    setSys(t, kCpu, s.cpuPercent);
    setSys(t, kMemPct, s.memory.percent);
    setSys(t, kMemAvail, s.memory.available / kMb);
    setSys(t, kMemUsed, s.memory.used / kMb);
    setSys(t, kL1, s.loadAvg1);
    setSys(t, kL5, s.loadAvg5);
    setSys(t, kL15, s.loadAvg15);
    if (!m_extras) return;
    setSys(t, kMemTotal, s.memory.total / kMb);
    setSys(t, kSwapTotal, s.memory.swapTotal / kMb);
    setSys(t, kSwapUsed, s.memory.swapUsed / kMb);
    setSys(t, kSwapPct, s.memory.swapPercent);
    setSys(t, kFreq, s.cpuFreqMhz);
    setSys(t, kTemp, s.cpuTemperatureC);
    setSys(t, kDR, s.diskReadBytesPerS);
    setSys(t, kDW, s.diskWriteBytesPerS);
    setSys(t, kDRC, s.diskReadCountPerS);
    setSys(t, kDWC, s.diskWriteCountPerS);
    setSys(t, kNS, s.netSentBytesPerS);
    setSys(t, kNR, s.netRecvBytesPerS);
    setSys(t, kNSP, s.netSentPacketsPerS);
    setSys(t, kNRP, s.netRecvPacketsPerS);
    if (m_perCpu) {
        for (std::size_t i = 0; i < s.cpuPercentPerCore.size(); ++i) {
            if (i >= m_perCore.size()) m_perCore.push_back(t.ensureColumn(indexedColumn(col::kCpuPercentPerCore, i)));
            t.setLast(m_perCore[i], s.cpuPercentPerCore[i]);
        }
    }
    for (std::size_t i = 0; i < s.gpus.size(); ++i) {
        if (i >= m_gpu.size())
            m_gpu.push_back({t.ensureColumn(indexedColumn(col::kGpuUtilization, i)),
                             t.ensureColumn(indexedColumn(col::kGpuMemoryUsedMb, i)),
                             t.ensureColumn(indexedColumn(col::kGpuMemoryTotalMb, i)),
                             t.ensureColumn(indexedColumn(col::kGpuTemperatureC, i))});
        const GpuSample& g = s.gpus[i];
        t.setLast(m_gpu[i][0], g.utilizationPercent);
        t.setLast(m_gpu[i][1], g.memoryUsedBytes / kMb);
        t.setLast(m_gpu[i][2], g.memoryTotalBytes / kMb);
        t.setLast(m_gpu[i][3], g.temperatureC);
    }
    m_contention.appendSystem(t, s);
}

void TimelineWriter::appendProcess(Timeline& tl, const ProcessSample& p) {
    auto found = tl.processes.find(p.pid);
    if (found == tl.processes.end()) {
        found = tl.processes.emplace(p.pid, ProcessSeries(tl.maxSamples())).first;
        found->second.samples.reserve(tl.maxSamples() ? std::min<std::size_t>(tl.maxSamples(), 4096) : 64);
    }
    SeriesTable& t = found->second.samples;
    ProcCols& pc = m_procs[p.pid];
    if (pc.table != &t) {
        pc.table = &t;
        for (int i = 0; i < kProcCount; ++i) {
            const bool text = i == kName || i == kStatus || i == kCmd;
            pc.idx[static_cast<std::size_t>(i)] = i <= kCmd ? t.ensureColumn(kProcNames[i], text) : t.columnIndex(kProcNames[i]);
        }
    }
    auto set = [&](int which, double v) {
        int& c = pc.idx[static_cast<std::size_t>(which)];
        if (c < 0) {
            if (std::isnan(v)) return;
            c = t.ensureColumn(kProcNames[which]);
        }
        t.setLast(c, v);
    };
    t.appendRow(p.timestamp);
    set(kPid, p.pid);
    t.setLastText(pc.idx[kName], p.name);
    set(kPCpu, p.cpuPercent);
    set(kRss, p.memoryRssMb);
    set(kVms, p.memoryVmsMb);
    set(kThreads, p.numThreads);
    t.setLastText(pc.idx[kStatus], p.status);
    set(kCreate, p.createTime);
    t.setLastText(pc.idx[kCmd], p.cmdline);
    if (!m_extras) return;
    set(kIoR, p.ioReadBytes);
    set(kIoW, p.ioWriteBytes);
    set(kIoRps, p.ioReadBytesPerS);
    set(kIoWps, p.ioWriteBytesPerS);
    set(kFds, p.numFds);
    m_contention.appendProcess(t, p);
}

}  // namespace loadline::core
