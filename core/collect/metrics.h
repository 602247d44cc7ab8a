#pragma once
// The metric registry: every number loadline collects into a SystemSample or ProcessSample is
// declared here ONCE, with each name it has in each output, and the one function that reads it
// from the sample. The writers read this table instead of naming the values themselves:
//
//   timeline / py-perf columns   core/sampler/timelinewriter.cpp   (Metric::column, columnRank)
//   /metrics (Prometheus text)   core/serve/snapshotrender.cpp     (family, help, promType, promScale)
//   /api/system/metrics JSON     core/serve/snapshotrender.cpp     (apiPath)
//   `snapshot --json`            core/collect/snapshot.cpp         (snapshotKey)
//   alert metric names + PromQL  core/alert/metricnames.cpp        (column, fromFamily, derive)
//   Prometheus import (PromQL)   core/fleet/promql.cpp             (column, fromFamily, derive)
//   CSV export                   core/export/csvexport.cpp writes the timeline's columns, so its
//                                column names are Metric::column by construction.
//
// Adding a metric: add its field to the sample struct (core/collect/samples.h), fill it in its
// collector, and add one line to kSystemMetrics or kProcessMetrics in metrics.cpp. Leave the rank
// fields 0: the metric is then written after the existing ones of each output (the historic
// ranks only keep the existing texts byte for byte). tests/collect/metrics_test.cpp checks that
// every line is consistent and that a line surfaces in every output.
//
// Kept outside the table (and why):
//   - the contention sources (PSI, run-queue wait, cgroup): core/sampler/contentioncolumns.cpp
//     and core/serve/contentionrender.cpp map them from their own table, because each source is
//     present or absent as a whole (a JSON object or none) rather than value by value;
//   - loadline_cpu_seconds_total, written from /proc/stat tick counters (not a sample field);
//   - the sampler's own gauges (tick lateness), which are not sample values;
//   - cpu_percent and cpu_percent_per_core in a Prometheus import, computed from
//     *_cpu_seconds_total for both exporters (psutil's busy = total - idle - iowait);
//   - node_exporter's PromQL in core/fleet/promql.cpp: node_exporter's families are another
//     exporter's schema (memory_used_mb there is a formula over five /proc/meminfo families).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/collect/samples.h"

namespace loadline::core::metrics {

enum class Scope : std::uint8_t { System, Process };

/** What an indexed metric is indexed by; each value is one column "column[i]" / one labelled series. */
enum class Index : std::uint8_t {
    None,
    Cpu,        // SystemSample::cpuPercentPerCore, label cpu="i"
    Disk,       // SystemSample::disks, label device="name"
    Interface,  // SystemSample::interfaces, label device="name"
    Gpu,        // SystemSample::gpus, labels gpu="index", vendor, name
};

enum class PromType : std::uint8_t { None, Gauge, Counter };

/** How the metric's column is computed from loadline's /metrics (an alert rule, a Prometheus import). */
enum class Derive : std::uint8_t {
    None,         // /metrics has nothing for it
    Gauge,        // fromFamily / promScale
    Rate,         // rate(fromFamily[window])
    SumRate,      // rate of an indexed counter summed over its devices
    SwapPercent,  // 100 * loadline_swap_used_bytes / loadline_swap_total_bytes
};

enum Flags : std::uint8_t {
    kNone = 0,
    kInteger = 1,            // JSON writes it as an integer (a count)
    kZeroIsUnknown = 2,      // /metrics leaves it out when 0 (e.g. physical cores unknown)
    kBoundedPercent = 4,     // a percentage that cannot pass 100 (alerts check thresholds against it)
    kAlwaysColumn = 8,       // py-perf column: created with the timeline even before a real value
    kPromAllSamples = 16,    // indexed: /metrics writes every device's sample, NaN too, whenever there is a device
    kPromHeaderAlways = 32,  // indexed: /metrics writes the family whenever there is an element, even all NaN
    kImportLast = 64,        // Prometheus import: last_over_time (a count or a counter read as is), not the mean
};

/** One metric. Every name is optional (nullptr: the output does not carry it). */
struct Metric {
    const char* id;  // stable id, unique in its scope (snake_case; the column name where that is unambiguous)
    Scope scope;
    Index index;
    const char* unit;  // of the value read() gives: "percent", "MiB", "bytes", "bytes/s", "1", ...
    /** System metrics: the value (of element i for an indexed one). */
    double (*readSystem)(const SystemSample&, std::size_t i);
    /** Process metrics. */
    double (*readProcess)(const ProcessSample&);

    // timeline (py-perf JSON key and SeriesTable column; indexed: "column[i]")
    const char* column;
    int columnRank;      // order of creation among the columns (0: after the ranked ones, table order)
    bool extra;          // loadline's extra column (TimelineWriter(extras=false) leaves it out)
    double columnScale;  // column value = read() * columnScale (bytes → MiB: 1 / 1048576)

    // Prometheus exposition (/metrics) of the value itself
    const char* family;
    const char* help;
    PromType promType;
    double promScale;  // /metrics value = read() * promScale (MiB → bytes: 1048576)

    // the column from /metrics (alert rules, Prometheus import)
    Derive derive;
    const char* fromFamily;

    // JSON
    const char* apiPath;      // /api/system/metrics: "section.key", "section.key[k]", or "key" (top level);
                              // indexed: the key inside each element's object (cpu: the array's key)
    int apiRank;              // order inside its JSON object (0: after the ranked ones, table order)
    const char* snapshotKey;  // `snapshot --json` object key; "key[k]" for an array element;
                              // indexed: the key inside each element's object (cpu: the array's key)
    unsigned flags;
    /** Prometheus import (core/fleet/promql.cpp): order of its query (0: after the ranked ones,
     *  table order; -1: not imported). Only metrics with a column and a derive are imported. */
    int importRank = 0;

    double read(const SystemSample& s, std::size_t i = 0) const { return readSystem(s, i); }
    double read(const ProcessSample& p) const { return readProcess(p); }
    bool has(unsigned f) const { return (flags & f) != 0; }
};

/** The registry, in /metrics order (system then process). */
std::span<const Metric> systemMetrics();
std::span<const Metric> processMetrics();
std::span<const Metric> allMetrics(Scope scope);

/** Number of elements an indexed system metric has in this sample (1 for Index::None). */
std::size_t indexCount(Index index, const SystemSample& s);

/** The metric with this column name (indexed: the base name) in scope, or nullptr. */
const Metric* findByColumn(std::string_view column, Scope scope);
/** The metric that writes this /metrics family, or nullptr. */
const Metric* findByFamily(std::string_view family);

/** Metrics of a table that have a timeline column, in column creation order (rank, then table order). */
void columnOrder(std::span<const Metric> table, const Metric** out, std::size_t* count, std::size_t capacity);

}  // namespace loadline::core::metrics
