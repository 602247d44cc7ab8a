#pragma once
// One collection of everything (tracelet's SystemMetricsCollector.collect()): CPU, per-core,
// load, memory, swap, disks, network, sensors, GPUs and the top processes.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.h"
#include "core/collect/metrics.h"
#include "core/collect/processtable.h"
#include "core/collect/samples.h"
#include "core/collect/systemcollector.h"

namespace loadline::core {

struct SnapshotOptions {
    ProcRoots roots;
    /** Percents and rates need two readings: this far apart (seconds). */
    double window = 0.5;
    std::size_t topProcesses = 5;  // tracelet's process_limit; 0 = none
    ProcessSort sort = ProcessSort::Cpu;
    const char* nvmlLibrary = "libnvidia-ml.so.1";
    std::string cgroup;  // a cgroup v2 to read too (resolveCgroupDir's forms); empty = none
};

struct Snapshot {
    SystemSample system;                          // with filesystems filled
    std::vector<ProcessTableEntry> topProcesses;  // with cmdline loaded
    std::size_t processCount = 0;
};

/** Collects a snapshot (blocks for options.window). An error when /proc is unreadable. */
Status collectSnapshot(Snapshot& out, const SnapshotOptions& options = {});

/**
 * The snapshot as JSON: flat keys as tracelet names them (cpu_percent, cpu_count_logical,
 * cpu_count_physical, cpu_per_core, load_average, memory_total, memory_available, memory_used,
 * memory_percent, swap_total, swap_used, swap_percent, disk_total/used/free/percent of "/",
 * disk_read_bytes, disk_write_bytes, network_bytes_sent/recv, network_packets_sent/recv,
 * gpu_count, ...) plus the lists "filesystems", "disks", "network_interfaces", "gpu" and
 * "processes" (py-perf's process fields plus memory_percent). Bytes are bytes; NaN is null.
 * With PSI: "pressure" (pressureToJson); with options.cgroup: "cgroup" (cgroupToJson).
 */
nlohmann::json snapshotToJson(const Snapshot& s);

/** Sets j's keys of every metric of table that has a Metric::snapshotKey (the system part of
 *  snapshotToJson; the registry's table there, a test's own elsewhere). */
void addMetricsJson(nlohmann::json& j, std::span<const metrics::Metric> table, const SystemSample& x);

}  // namespace loadline::core
