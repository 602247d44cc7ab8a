#pragma once
// Renders one sampler tick for the HTTP API: the full snapshot as JSON (/api/system/metrics,
// TrackLab's shape) and as Prometheus text (/metrics; node_exporter / process-exporter names under a
// `loadline_` prefix), plus the static /api/system/info document. The two per-tick renderers
// write into reused strings and do not allocate once those have grown.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/collect/metrics.h"
#include "core/collect/samples.h"
#include "core/collect/systemparse.h"
#include "core/serve/prometheus.h"
#include "core/serve/redact.h"

namespace loadline::core::serve {

class JsonWriter;

struct TickContext {
    std::string_view nodeId;
    std::uint64_t tick = 0;            // 0-based tick index
    double interval = 0;               // seconds between ticks
    double latenessSeconds = 0;        // how late this tick ran against its schedule
    double maxLatenessSeconds = 0;     // worst lateness so far
    std::uint64_t missedTicks = 0;     // schedule points skipped so far (a tick overran its period)
    CmdlineFilter* cmdline = nullptr;  // what command lines reveal (null: shown as read)
};

/** The snapshot document of /api/system/metrics. */
void renderSnapshotJson(std::string& out, const SystemSample& s, std::span<const ProcessSample> processes,
                        const TickContext& ctx);

/**
 * The Prometheus families of one tick. cpuTimes (from /proc/stat, may be null) gives
 * loadline_cpu_seconds_total{cpu,mode}; ticksPerSecond is sysconf(_SC_CLK_TCK).
 */
void renderPrometheus(PrometheusWriter& w, const SystemSample& s, const ProcStat* cpuTimes, double ticksPerSecond,
                      std::span<const ProcessSample> processes, const TickContext& ctx);

/**
 * The parts of both documents that come from a metric table (the registry, core/collect/metrics.h,
 * or a test's own): the snapshot's metric objects (cpu, memory, swap, disk, network: each
 * section of Metric::apiPath in table order, then gpus, then the top-level values), and the
 * registry's /metrics families. renderSnapshotJson and renderPrometheus call these with the
 * registry.
 */
void renderMetricsJson(JsonWriter& w, std::span<const metrics::Metric> system, const SystemSample& s);
void renderProcessMetricsJson(JsonWriter& w, std::span<const metrics::Metric> process, const ProcessSample& p);
void renderMetricsPrometheus(PrometheusWriter& w, std::span<const metrics::Metric> system,
                             std::span<const metrics::Metric> process, const SystemSample& s,
                             std::span<const ProcessSample> processes);

/** /api/system/info: platform, architecture, CPU model and counts, memory, swap, GPUs, host, node. */
std::string renderSystemInfoJson(const SystemSample& s, std::string_view nodeId, std::string_view cpuInfoText);

/** The first "model name" (x86) or "Processor"/"Hardware"/"cpu model" line of /proc/cpuinfo; empty if none. */
std::string cpuModelFromCpuInfo(std::string_view cpuinfo);

}  // namespace loadline::core::serve
