#pragma once
// The two series a timeline chart draws, derived from a Timeline as contiguous arrays:
// the system's cpu_percent / memory_percent, and one process's CPU (on the whole machine's
// 0-100 scale, or psutil's per-core scale) or memory percent (RSS over total memory).
// py-perf files do not store total memory, so it is derived from the system sample matched by
// timestamp: total = memory_available_mb / (1 - memory_percent / 100).

#include <cstddef>
#include <vector>

#include "core/timeline/timeline.h"

namespace loadline::core {

/** Pressure: the system's CPU pressure stall share (pressure_cpu_some_percent) and a process's
 *  run-queue wait (run_queue_wait_percent), both percent of wall time (contentioncolumns.h). */
enum class ChartMetric {
    Cpu,
    Memory,    ///< percent of total memory
    MemoryMb,  ///< MB (py-perf's "mb": MiB): the system's used memory (total - available), RSS
    Pressure,
};
inline constexpr const char* kPressureCpuColumn = "pressure_cpu_some_percent";
inline constexpr const char* kRunQueueWaitColumn = "run_queue_wait_percent";
enum class CpuScale {
    Machine,  ///< 100 % = every logical core busy (psutil's value divided by the core count)
    PerCore,  ///< psutil's scale: 100 % = one core busy, a busy process may exceed 100
};

/** One drawable series: times ascending, values (NaN = missing). */
struct PlotSeries {
    std::vector<double> t;
    std::vector<double> v;
    std::size_t size() const { return t.size(); }
    bool empty() const { return t.empty(); }
    void clear() {
        t.clear();
        v.clear();
    }
};

/** Prefix of loadline's per-core system columns: "cpu_percent_per_core[0]", ... */
inline constexpr const char* kCpuPerCorePrefix = "cpu_percent_per_core[";
/** loadline's optional explicit total memory column (py-perf files lack it). */
inline constexpr const char* kMemoryTotalMb = "memory_total_mb";

/** Logical cores seen by the recording (its per-core columns), or 0 when unknown. */
int cpuCountOf(const SeriesTable& system);

/** Total memory (MB) at a system row: the explicit column, else available / (1 - percent/100). */
double totalMemoryMbAt(const SeriesTable& system, std::size_t row);

/** Used memory (MB) at a system row: total - available (what memory_percent is a percent of). */
double usedMemoryMbAt(const SeriesTable& system, std::size_t row);

/**
 * Brings `out` up to date with the timeline. Cheap when rows were only appended (live: the
 * new rows are converted, rows the bounded ring dropped are erased from the front); rebuilds
 * everything otherwise. Returns false when it rebuilt (caches derived from `out` are stale).
 * Values are multiplied by scale (the core count for CPU on psutil's per-core scale); keep it
 * the same between calls on one `out`.
 */
bool syncSystemSeries(const Timeline& timeline, ChartMetric metric, PlotSeries& out, double scale = 1.0);

/** Settings of a process series; cpuCount <= 0 means unknown (values are left unscaled). */
struct ProcessSeriesOptions {
    ChartMetric metric = ChartMetric::Cpu;
    CpuScale cpuScale = CpuScale::Machine;
    int cpuCount = 0;
};
/** As syncSystemSeries, for one PID (empty when the timeline has no such process). */
bool syncProcessSeries(const Timeline& timeline, int pid, const ProcessSeriesOptions& options, PlotSeries& out);

}  // namespace loadline::core
