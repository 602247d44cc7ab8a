#pragma once
// Appends collected samples to a core::Timeline with py-perf's column names (columns.h) plus
// loadline's extra columns. Which columns there are, their order and how each is read from the
// sample come from the metric registry (core/collect/metrics.h); the identity columns of a
// process (pid, name, status, cmdline) are written here. Column indices are cached, so an
// append does not search names or allocate once the bounded tables are full.
//
// Extra system columns (numbers; absent until the first real value is seen):
//   memory_total_mb, swap_total_mb, swap_used_mb, swap_percent,
//   cpu_freq_mhz, cpu_temperature_c,
//   disk_read_bytes_per_s, disk_write_bytes_per_s, disk_read_count_per_s, disk_write_count_per_s,
//   net_sent_bytes_per_s, net_recv_bytes_per_s, net_sent_packets_per_s, net_recv_packets_per_s,
//   cpu_percent_per_core[i]           (only with perCpu; i = CPU number)
//   gpu_utilization[i], gpu_memory_used_mb[i], gpu_memory_total_mb[i], gpu_temperature_c[i]
// Extra process columns: io_read_bytes, io_write_bytes (cumulative), io_read_bytes_per_s,
//   io_write_bytes_per_s, num_fds (absent when not readable, e.g. another user's process).
// Contention columns (pressure_*, run_queue_wait_percent, cgroup_*): see contentioncolumns.h.

#include <array>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/collect/metrics.h"
#include "core/collect/samples.h"
#include "core/sampler/contentioncolumns.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

namespace col {
inline constexpr const char* kMemoryTotalMb = "memory_total_mb";
inline constexpr const char* kSwapTotalMb = "swap_total_mb";
inline constexpr const char* kSwapUsedMb = "swap_used_mb";
inline constexpr const char* kSwapPercent = "swap_percent";
inline constexpr const char* kCpuFreqMhz = "cpu_freq_mhz";
inline constexpr const char* kCpuTemperatureC = "cpu_temperature_c";
inline constexpr const char* kDiskReadBytesPerS = "disk_read_bytes_per_s";
inline constexpr const char* kDiskWriteBytesPerS = "disk_write_bytes_per_s";
inline constexpr const char* kDiskReadCountPerS = "disk_read_count_per_s";
inline constexpr const char* kDiskWriteCountPerS = "disk_write_count_per_s";
inline constexpr const char* kNetSentBytesPerS = "net_sent_bytes_per_s";
inline constexpr const char* kNetRecvBytesPerS = "net_recv_bytes_per_s";
inline constexpr const char* kNetSentPacketsPerS = "net_sent_packets_per_s";
inline constexpr const char* kNetRecvPacketsPerS = "net_recv_packets_per_s";
inline constexpr const char* kCpuPercentPerCore = "cpu_percent_per_core";  // [i]
inline constexpr const char* kGpuUtilization = "gpu_utilization";          // [i]
inline constexpr const char* kGpuMemoryUsedMb = "gpu_memory_used_mb";      // [i]
inline constexpr const char* kGpuMemoryTotalMb = "gpu_memory_total_mb";    // [i]
inline constexpr const char* kGpuTemperatureC = "gpu_temperature_c";       // [i]
inline constexpr const char* kIoReadBytes = "io_read_bytes";
inline constexpr const char* kIoWriteBytes = "io_write_bytes";
inline constexpr const char* kIoReadBytesPerS = "io_read_bytes_per_s";
inline constexpr const char* kIoWriteBytesPerS = "io_write_bytes_per_s";
inline constexpr const char* kNumFds = "num_fds";
}  // namespace col

/** "key[i]", the column name of element i of a per-core / per-GPU array. */
std::string indexedColumn(const char* key, std::size_t i);

class TimelineWriter {
public:
    /** perCpu: write cpu_percent_per_core[i]; extras: write the extra columns at all. */
    explicit TimelineWriter(bool perCpu = true, bool extras = true)
        : TimelineWriter(metrics::systemMetrics(), metrics::processMetrics(), perCpu, extras) {}
    /** Writes the metrics of these tables (the registry's, or a test's own). */
    TimelineWriter(std::span<const metrics::Metric> system, std::span<const metrics::Metric> process,
                   bool perCpu = true, bool extras = true);

    void appendSystem(Timeline& timeline, const SystemSample& s);
    void appendProcess(Timeline& timeline, const ProcessSample& p);
    /** Forget cached indices (call after the timeline was replaced or cleared). */
    void reset();

private:
    /** A process column: a registry metric, or one of the identity columns (metric == nullptr). */
    struct ProcColumn {
        const char* name;
        const metrics::Metric* metric;
        enum Identity { kMetric, kPid, kName, kStatus, kCmdline } identity;
        bool always;  // created with the table (py-perf's columns)
    };
    struct ProcCols {
        const SeriesTable* table = nullptr;
        std::vector<int> idx;
    };
    void setCol(SeriesTable& t, int& c, const char* name, double v);
    bool m_perCpu, m_extras;
    std::vector<const metrics::Metric*> m_sysMetrics;      // scalar system columns, creation order
    std::vector<const metrics::Metric*> m_perCoreMetrics;  // Index::Cpu columns
    std::vector<const metrics::Metric*> m_gpuMetrics;      // Index::Gpu columns
    std::vector<ProcColumn> m_procColumns;                 // creation order
    const SeriesTable* m_sysTable = nullptr;
    std::vector<int> m_sys;
    std::vector<std::vector<int>> m_perCore;  // [metric][cpu]
    std::vector<std::vector<int>> m_gpu;      // [gpu][metric]
    std::unordered_map<int, ProcCols> m_procs;
    ContentionColumns m_contention;  // PSI, run-queue wait, cgroup columns (contentioncolumns.h)
};

}  // namespace loadline::core
