#include "core/correlate/contentionverdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/correlate/windowmean.h"

namespace loadline::core {

namespace {
// The column names of core/sampler/contentioncolumns.h (correlate does not depend on the sampler).
constexpr const char* kPressureCpu = "pressure_cpu_some_percent";
constexpr const char* kPressureMemory = "pressure_memory_some_percent";
constexpr const char* kPressureIo = "pressure_io_some_percent";
constexpr const char* kRunQueueWait = "run_queue_wait_percent";
constexpr const char* kThrottled = "cgroup_throttled_periods_percent";
}  // namespace

std::string_view loadMeasureName(LoadMeasure m) {
    switch (m) {
    case LoadMeasure::CgroupThrottling: return "cgroup throttling";
    case LoadMeasure::RunQueueWait: return "run-queue wait";
    case LoadMeasure::Pressure: return "pressure";
    case LoadMeasure::SystemCpuPercent: return "system CPU %";
    case LoadMeasure::None: break;
    }
    return "none";
}

Verdict classifyCallMeasured(double wall, double cpu, double systemCpu, CallContention& c, const LoadBaseline& baseline,
                             const VerdictThresholds& th, const ContentionThresholds& ct) {
    c.throttled = !std::isnan(c.cgroupThrottledPercent) && c.cgroupThrottledPercent >= ct.throttledPercent;
    c.measure = LoadMeasure::None;
    if (!(wall > 0)) return Verdict::Unknown;
    if (cpu / wall >= th.ownWorkRatio) return Verdict::OwnWork;
    if (c.throttled) {
        c.measure = LoadMeasure::CgroupThrottling;
        return Verdict::Contention;
    }
    if (!std::isnan(c.runQueueWaitPercent)) {
        c.measure = LoadMeasure::RunQueueWait;
        const double offCpuPercent = 100.0 * (1.0 - std::max(0.0, cpu) / wall);
        return c.runQueueWaitPercent >= ct.runQueueShare * offCpuPercent ? Verdict::Contention : Verdict::Waiting;
    }
    const double pressure = std::max(std::isnan(c.pressureCpuPercent) ? -1.0 : c.pressureCpuPercent,
                                     std::isnan(c.pressureMemoryPercent) ? -1.0 : c.pressureMemoryPercent);
    if (pressure >= 0) {
        c.measure = LoadMeasure::Pressure;
        return pressure >= ct.pressurePercent ? Verdict::Contention : Verdict::Waiting;
    }
    const Verdict v = classifyCall(wall, cpu, systemCpu, baseline, th);
    if (v != Verdict::Unknown) c.measure = LoadMeasure::SystemCpuPercent;
    return v;
}

std::string verdictWithMeasure(Verdict v, const CallContention& c) {
    std::string s(verdictName(v));
    if (c.measure != LoadMeasure::None && c.measure != LoadMeasure::CgroupThrottling)
        s.append(" (").append(loadMeasureName(c.measure)).append(")");
    if (c.measure == LoadMeasure::CgroupThrottling) s.append(" (cgroup throttling)");
    else if (c.throttled) s.append(", throttled");
    return s;
}

std::string measureSummary(const std::size_t* counts, std::size_t throttled) {
    std::string s;
    for (int m = 1; m < kLoadMeasureCount; ++m) {
        if (!counts[m]) continue;
        s.append(s.empty() ? "verdicts decided by " : ", ")
            .append(loadMeasureName(static_cast<LoadMeasure>(m)))
            .append(": ")
            .append(std::to_string(counts[m]));
    }
    if (throttled)
        s.append(s.empty() ? "" : "; ").append(std::to_string(throttled)).append(" call(s) in a throttled cgroup");
    return s;
}

std::string contentionRuleText(const ContentionThresholds& t) {
    char buf[600];
    std::snprintf(buf, sizeof buf,
                  "where the recording has direct measures they decide instead of system CPU: contention when the "
                  "call's cgroup was throttled in >= %.4g %% of its cpu.max periods, else when the recording "
                  "process waited on a run queue for >= %.4g %% of the call's time off the CPU (waiting when less), "
                  "else when CPU or memory pressure (PSI some) >= %.4g %% (waiting when less)",
                  t.throttledPercent, t.runQueueShare * 100.0, t.pressurePercent);
    return buf;
}

ContentionWindow::ContentionWindow(const Timeline& timeline, int recordingPid) : m_timeline(timeline) {
    const SeriesTable& sys = timeline.system;
    m_cpu = sys.columnIndex(kPressureCpu);
    m_mem = sys.columnIndex(kPressureMemory);
    m_io = sys.columnIndex(kPressureIo);
    if (recordingPid > 0) {
        auto it = timeline.processes.find(recordingPid);
        if (it != timeline.processes.end()) {
            m_pid = recordingPid;
            m_proc = &it->second.samples;
        }
    } else {
        for (const auto& [pid, series] : timeline.processes) {
            if (series.samples.columnIndex(kRunQueueWait) < 0) continue;
            if (m_proc) {  // several candidates: which one recorded the calls is not known
                m_proc = nullptr;
                m_pid = 0;
                break;
            }
            m_pid = pid;
            m_proc = &series.samples;
        }
    }
    if (m_proc) {
        m_wait = m_proc->columnIndex(kRunQueueWait);
        const int t = m_proc->columnIndex(kThrottled);
        if (t >= 0) {
            m_throttleTable = m_proc;
            m_throttle = t;
        }
    }
    if (m_throttle < 0 && sys.columnIndex(kThrottled) >= 0) {
        m_throttleTable = &sys;
        m_throttle = sys.columnIndex(kThrottled);
    }
}

bool ContentionWindow::any() const { return m_cpu >= 0 || m_mem >= 0 || m_io >= 0 || m_wait >= 0 || m_throttle >= 0; }

CallContention ContentionWindow::measure(double t0, double t1) const {
    CallContention c;
    const SeriesTable& sys = m_timeline.system;
    if (m_cpu >= 0) c.pressureCpuPercent = windowMean(sys, m_cpu, t0, t1).mean;
    if (m_mem >= 0) c.pressureMemoryPercent = windowMean(sys, m_mem, t0, t1).mean;
    if (m_io >= 0) c.pressureIoPercent = windowMean(sys, m_io, t0, t1).mean;
    if (m_wait >= 0) c.runQueueWaitPercent = windowMean(*m_proc, m_wait, t0, t1).mean;
    if (m_throttle >= 0) c.cgroupThrottledPercent = windowMean(*m_throttleTable, m_throttle, t0, t1).mean;
    return c;
}

}  // namespace loadline::core
