#pragma once
// The timeline columns of the contention sources (core/collect/contention.h). Each column is
// created at its first real value, so a source this machine lacks leaves no column (never zeros).
//
// System table:
//   pressure_cpu_some_percent, pressure_memory_some_percent, pressure_io_some_percent,
//   pressure_memory_full_percent, pressure_io_full_percent   (PSI; % of wall time stalled)
//   cgroup_* (below) for the cgroup given by `record --cgroup PATH`
// Process table:
//   run_queue_wait_percent       % of wall time the main thread was runnable but not running
//   nonvoluntary_switches_per_s  times per second it was preempted
//   cgroup_* (below) for the process's own cgroup v2 (none in the root cgroup)
// cgroup_* columns:
//   cgroup_cpu_percent (100 = one CPU), cgroup_throttled_periods_percent (share of cpu.max
//   periods in which the quota ran out), cgroup_throttled_ms_per_s, cgroup_memory_current_mb,
//   cgroup_memory_max_mb (absent without a limit), cgroup_pressure_{cpu,memory,io}_{some,full}_percent

#include <array>
#include <unordered_map>

#include "core/collect/samples.h"
#include "core/timeline/seriestable.h"

namespace loadline::core {

namespace col {
inline constexpr const char* kPressureCpuSomePercent = "pressure_cpu_some_percent";
inline constexpr const char* kPressureMemorySomePercent = "pressure_memory_some_percent";
inline constexpr const char* kPressureIoSomePercent = "pressure_io_some_percent";
inline constexpr const char* kPressureMemoryFullPercent = "pressure_memory_full_percent";
inline constexpr const char* kPressureIoFullPercent = "pressure_io_full_percent";
inline constexpr const char* kRunQueueWaitPercent = "run_queue_wait_percent";
inline constexpr const char* kNonvoluntarySwitchesPerS = "nonvoluntary_switches_per_s";
inline constexpr const char* kCgroupCpuPercent = "cgroup_cpu_percent";
inline constexpr const char* kCgroupThrottledPeriodsPercent = "cgroup_throttled_periods_percent";
inline constexpr const char* kCgroupThrottledMsPerS = "cgroup_throttled_ms_per_s";
inline constexpr const char* kCgroupMemoryCurrentMb = "cgroup_memory_current_mb";
inline constexpr const char* kCgroupMemoryMaxMb = "cgroup_memory_max_mb";
inline constexpr const char* kCgroupPressureCpuSomePercent = "cgroup_pressure_cpu_some_percent";
inline constexpr const char* kCgroupPressureMemorySomePercent = "cgroup_pressure_memory_some_percent";
inline constexpr const char* kCgroupPressureIoSomePercent = "cgroup_pressure_io_some_percent";
inline constexpr const char* kCgroupPressureCpuFullPercent = "cgroup_pressure_cpu_full_percent";
inline constexpr const char* kCgroupPressureMemoryFullPercent = "cgroup_pressure_memory_full_percent";
inline constexpr const char* kCgroupPressureIoFullPercent = "cgroup_pressure_io_full_percent";
}  // namespace col

class ContentionColumns {
public:
    /** Sets the last row's contention columns (call after SeriesTable::appendRow). */
    void appendSystem(SeriesTable& t, const SystemSample& s);
    void appendProcess(SeriesTable& t, const ProcessSample& p);
    void reset();

    static constexpr int kCgroupCount = 11;
    static constexpr int kSysCount = 5 + kCgroupCount;
    static constexpr int kProcCount = 2 + kCgroupCount;

private:
    template <std::size_t N>
    struct Cache {
        const SeriesTable* table = nullptr;
        std::array<int, N> idx{};
    };
    template <std::size_t N>
    static void write(SeriesTable& t, Cache<N>& c, const char* const* names, const std::array<double, N>& values);
    Cache<kSysCount> m_sys;
    std::unordered_map<int, Cache<kProcCount>> m_procs;
};

}  // namespace loadline::core
