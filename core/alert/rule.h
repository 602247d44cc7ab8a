#pragma once
// Module core/alert: alerts on any metric: the rule language (this header), evaluation over a
// timeline or as it grows, alert intervals as JSON, and the same rules as a Prometheus
// alerting-rules file. Used by loadline-cli record/alerts/serve --alert, core/sampler and
// core/serve (live evaluation), and the window's alerts dock and lane.
//
// The alert rule language, one line per rule:
//
//   METRIC OP VALUE [for DURATION] [critical VALUE] [on PROCESS]
//
//   cpu_percent > 80 for 10s            memory_percent > 85 critical 95
//   cpu_percent > 90 for 30s on name=python3      gpu_utilization[0] < 5 for 5m
//
// METRIC: a numeric timeline column (metricnames.h). OP: > >= < <=. VALUE: a number.
// DURATION: a number with a unit, ms s m h (default: one sample). PROCESS: pid=N or name=NAME
// (the process's name as recorded, exact). A process-only metric (memory_rss_mb, num_fds, ...)
// without "on" watches every recorded process; cpu_percent without "on" is the system's.
// Without "critical", the critical value is 1.1 x VALUE for > and >= (for a percentage bounded by
// 100 that passes 100: 100), VALUE / 1.1 for < and <= (for negative values the same distance on
// the other side). Critical applies at or beyond the critical value.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert/metricnames.h"
#include "core/base/result.h"

namespace loadline::core {
struct Timeline;
}

namespace loadline::core::alert {

enum class CompareOp { Greater, GreaterEqual, Less, LessEqual };

/** Which processes a process rule watches. */
struct ProcessFilter {
    enum class Kind { Any, Pid, Name };
    Kind kind = Kind::Any;
    int pid = 0;
    std::string name;
};

struct AlertRule {
    std::string text;  // the rule as written (whitespace normalised)
    std::string metric;
    MetricScope scope = MetricScope::System;
    CompareOp op = CompareOp::Greater;
    double threshold = 0;
    double critical = 0;  // the critical value (given or by the default rule)
    bool criticalGiven = false;
    double forSeconds = 0;  // 0: one sample suffices
    ProcessFilter process;  // scope Process only

    /** Whether v meets the condition / the critical condition (false for NaN). */
    bool holds(double v) const;
    bool isCritical(double v) const;
    /** Whether a is "further" than b in the rule's direction (for the peak). */
    bool beyond(double a, double b) const;
    bool above() const { return op == CompareOp::Greater || op == CompareOp::GreaterEqual; }
};

/** The default critical value of a rule without "critical" (see the header comment). */
double defaultCritical(CompareOp op, double threshold, bool boundedPercent);

/** Parses one rule. timeline (optional) adds its numeric columns to the known metrics. An error
 *  has column (1-based into text) and message; its toString() is "column N: message". */
Result<AlertRule> parseRule(std::string_view text, const Timeline* timeline = nullptr);

/** One rule per line, '#' starts a comment, blank lines skipped. An error has line and column;
 *  its toString() is "LINE:COLUMN: message". */
Result<std::vector<AlertRule>> parseRuleLines(std::string_view text, const Timeline* timeline = nullptr);

const char* opText(CompareOp op);
/** "%g" of a number, without exponent surprises for ordinary values. */
std::string numberText(double v);

}  // namespace loadline::core::alert
