#pragma once
// Column names of the py-perf timeline format. The JSON keys and the
// SeriesTable column names are the same strings, so a loader or writer maps them 1:1.
// loadline's extra metrics use further names (see the collectors); they are written as
// extra keys in the same sample objects, so py-perf readers still read the files.

namespace loadline::core::col {

// Every sample (system and process).
inline constexpr const char* kTimestamp = "timestamp";

// System sample (py-perf).
inline constexpr const char* kCpuPercent = "cpu_percent";
inline constexpr const char* kMemoryPercent = "memory_percent";
inline constexpr const char* kMemoryAvailableMb = "memory_available_mb";
inline constexpr const char* kMemoryUsedMb = "memory_used_mb";
inline constexpr const char* kLoadAvg1m = "load_avg_1m";
inline constexpr const char* kLoadAvg5m = "load_avg_5m";
inline constexpr const char* kLoadAvg15m = "load_avg_15m";

// Process sample (py-perf). "name", "status" and "cmdline" are text columns.
inline constexpr const char* kPid = "pid";
inline constexpr const char* kName = "name";
inline constexpr const char* kMemoryRssMb = "memory_rss_mb";
inline constexpr const char* kMemoryVmsMb = "memory_vms_mb";
inline constexpr const char* kNumThreads = "num_threads";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kCreateTime = "create_time";
inline constexpr const char* kCmdline = "cmdline";

}  // namespace loadline::core::col
