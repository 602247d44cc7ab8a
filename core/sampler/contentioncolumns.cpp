#include "core/sampler/contentioncolumns.h"

#include <cmath>

namespace loadline::core {

namespace {
constexpr double kMb = 1024.0 * 1024.0;

const char* const kSysNames[] = {col::kPressureCpuSomePercent, col::kPressureMemorySomePercent,
                                 col::kPressureIoSomePercent,  col::kPressureMemoryFullPercent,
                                 col::kPressureIoFullPercent,
#define LOADLINE_CGROUP_NAMES                                                                                         \
    col::kCgroupCpuPercent, col::kCgroupThrottledPeriodsPercent, col::kCgroupThrottledMsPerS,                         \
        col::kCgroupMemoryCurrentMb, col::kCgroupMemoryMaxMb, col::kCgroupPressureCpuSomePercent,                     \
        col::kCgroupPressureMemorySomePercent, col::kCgroupPressureIoSomePercent, col::kCgroupPressureCpuFullPercent, \
        col::kCgroupPressureMemoryFullPercent, col::kCgroupPressureIoFullPercent
                                 LOADLINE_CGROUP_NAMES};
const char* const kProcNames[] = {col::kRunQueueWaitPercent, col::kNonvoluntarySwitchesPerS, LOADLINE_CGROUP_NAMES};
#undef LOADLINE_CGROUP_NAMES
static_assert(std::size(kSysNames) == ContentionColumns::kSysCount);
static_assert(std::size(kProcNames) == ContentionColumns::kProcCount);

/** The kCgroupCount cgroup values, in the order of LOADLINE_CGROUP_NAMES, from v on. */
void putCgroup(double* v, const CgroupSample& c) {
    const std::size_t at = 0;
    v[at + 0] = c.cpuPercent;
    v[at + 1] = c.throttledPeriodsPercent;
    v[at + 2] = c.throttledMsPerS;
    v[at + 3] = c.memoryCurrentBytes / kMb;
    v[at + 4] = c.memoryMaxBytes / kMb;
    for (std::size_t r = 0; r < kPressureResources; ++r) {
        v[at + 5 + r] = c.pressure.somePercent[r];
        v[at + 8 + r] = c.pressure.fullPercent[r];
    }
}
}  // namespace

template <std::size_t N>
void ContentionColumns::write(SeriesTable& t, Cache<N>& c, const char* const* names,
                              const std::array<double, N>& values) {
    if (c.table != &t) {
        c.table = &t;
        for (std::size_t i = 0; i < N; ++i) c.idx[i] = t.columnIndex(names[i]);
    }
    for (std::size_t i = 0; i < N; ++i) {
        int& ci = c.idx[i];
        if (ci < 0) {
            if (std::isnan(values[i])) continue;  // created at its first real value
            ci = t.ensureColumn(names[i]);
        }
        t.setLast(ci, values[i]);
    }
}

void ContentionColumns::appendSystem(SeriesTable& t, const SystemSample& s) {
    std::array<double, kSysCount> v;
    v[0] = s.pressure.somePercent[kPressureCpu];
    v[1] = s.pressure.somePercent[kPressureMemory];
    v[2] = s.pressure.somePercent[kPressureIo];
    v[3] = s.pressure.fullPercent[kPressureMemory];
    v[4] = s.pressure.fullPercent[kPressureIo];
    putCgroup(v.data() + 5, s.cgroup);
    write(t, m_sys, kSysNames, v);
}

void ContentionColumns::appendProcess(SeriesTable& t, const ProcessSample& p) {
    std::array<double, kProcCount> v;
    v[0] = p.sched.runQueueWaitPercent;
    v[1] = p.sched.nonvoluntarySwitchesPerS;
    putCgroup(v.data() + 2, p.cgroup);
    write(t, m_procs[p.pid], kProcNames, v);
}

void ContentionColumns::reset() {
    m_sys = {};
    m_procs.clear();
}

}  // namespace loadline::core
