#pragma once
// The metric names an alert rule may use, and what is known about each: the timeline's column
// names (py-perf's and loadline's extra columns, see core/timeline/columns.h and
// core/sampler/timelinewriter.h), whether a metric is a system or a process column, whether it
// is a percentage bounded by 100, and the PromQL expression over loadline's /metrics families
// that gives the same number. Every name lookup of the alert code goes through here, so that a
// single metric registry can later replace this table in one place.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadline::core {

struct Timeline;

namespace alert {

enum class MetricScope { System, Process };

/** The names known without a timeline: what loadline's sampler records. Indexed families are
 *  listed as "gpu_utilization[i]". */
std::vector<std::string> knownSystemMetrics();
std::vector<std::string> knownProcessMetrics();

/** Whether name is a metric of that scope: a known one, "family[N]" of a known indexed family, or
 *  (when timeline is given) a numeric column of that timeline's system table / any process table. */
bool isMetric(std::string_view name, MetricScope scope, const Timeline* timeline = nullptr);

/** The known names (plus the timeline's numeric columns), sorted, for an "unknown metric" message. */
std::vector<std::string> metricNames(MetricScope scope, const Timeline* timeline = nullptr);

/** A percentage that cannot pass 100 (system cpu_percent, memory_percent, swap_percent, per-core
 *  and GPU utilisation). A process's cpu_percent is not: 100 is one core. */
bool isBoundedPercent(std::string_view name, MetricScope scope);

/** The process selector of a PromQL expression: {pid="N"} or {name="X"}, or empty for all. */
struct PromSelector {
    std::string label;  // "pid" or "name"; empty: every series
    std::string value;
};

/** PromQL giving the metric in the timeline's unit from loadline's /metrics families, or nullopt
 *  when /metrics has no family for it. */
std::optional<std::string> prometheusExpression(std::string_view name, MetricScope scope,
                                                const PromSelector& selector = {});

}  // namespace alert
}  // namespace loadline::core
