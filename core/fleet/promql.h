#pragma once
// PromQL for each py-perf timeline column, for the two exporters loadline reads a node from:
// a `loadline-cli serve` agent (loadline_* families, core/serve/snapshotrender.cpp) and plain
// Prometheus node_exporter (node_* families). Counters become per-second rates over a window
// like Grafana's $__rate_interval (max(step + scrape, 4 × scrape)); gauges are averaged over
// max(step, 2 × scrape), so a step wider than the scrape interval shows the mean over the step,
// not one sample of it, and a scrape gap longer than the window stays a gap.

#include <string>
#include <string_view>
#include <vector>

namespace loadline::core::fleet {

enum class NodeSource { Loadline, NodeExporter };

/** "loadline" or "node_exporter". */
const char* nodeSourceName(NodeSource source);

/** One range query whose series become a timeline column. */
struct ColumnQuery {
    std::string column;  // py-perf / loadline column name; with splitLabel, the base of "name[i]"
    std::string expr;    // PromQL
    /** Non-empty: each series is its own column "column[<label value>]" (per CPU, per GPU). */
    std::string splitLabel;
};

/** The windows a query set uses, in seconds. */
struct QueryWindows {
    double rate = 60;   // counters: rate(x[rate])
    double gauge = 30;  // gauges: avg_over_time(x[gauge])

    /** Grafana's rule for rates; gauges over max(step, 2 × scrape). */
    static QueryWindows forStep(double step, double scrapeInterval);
};

/** Which tracked processes to read (a loadline agent's loadline_process_* series). */
struct ProcessFilter {
    std::vector<int> pids;                  // pid="N"
    std::vector<std::string> namePatterns;  // name=~"REGEX" (RE2, anchored, as Prometheus matches)
    bool all() const { return pids.empty() && namePatterns.empty(); }
};

/** A PromQL double-quoted string literal's body: backslash, quote and newline escaped. */
std::string escapePromqlString(std::string_view s);
/** A PromQL duration: whole milliseconds, e.g. "4s", "1500ms". */
std::string promqlDuration(double seconds);

/** System columns (cpu_percent, memory_*, load_avg_*, swap, disk and network rates, per-CPU). */
std::vector<ColumnQuery> systemQueries(NodeSource source, std::string_view instance, const QueryWindows& w);
/** Process columns (loadline agents only): every series carries the labels pid and name. */
std::vector<ColumnQuery> processQueries(std::string_view instance, const ProcessFilter& filter, const QueryWindows& w);

/** The metric whose presence marks an instance as this source. */
const char* sourceMarkerMetric(NodeSource source);

}  // namespace loadline::core::fleet
