#pragma once
// The JSON replies of Prometheus's HTTP API (/api/v1/query_range, /query, /label/.../values,
// /targets): {"status":"success","data":...} or {"status":"error","errorType","error"}.
// https://prometheus.io/docs/prometheus/latest/querying/api/

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadline::core::fleet {

/** One series of a matrix (or a one-point series of an instant vector). */
struct PromSeries {
    std::map<std::string, std::string> labels;
    std::vector<double> times;   // seconds since the epoch, ascending as Prometheus sends them
    std::vector<double> values;  // "NaN" / "+Inf" / "-Inf" are kept as such (NaN = missing later)
};

struct PromReply {
    /** Set when the body is not a Prometheus API reply at all (not JSON, or no "status"). */
    std::optional<std::string> notPrometheus;
    /** Prometheus's own error: errorType and error ("bad_data: 1:4: parse error: ..."). */
    std::optional<std::string> error;
    std::string resultType;            // "matrix", "vector", ... for queries
    std::vector<PromSeries> series;    // matrix / vector results
    std::vector<std::string> strings;  // label values (/api/v1/label/NAME/values)
    std::vector<std::string> warnings;

    bool ok() const { return !notPrometheus && !error; }
};

/** Parses a query, query_range or label-values reply. Never throws. */
PromReply parsePromReply(std::string_view body);

/** A Prometheus sample value: a decimal, "NaN", "+Inf", "-Inf". nullopt when none of them. */
std::optional<double> parsePromValue(std::string_view text);

/** A Go duration as Prometheus prints scrape intervals ("15s", "1m30s", "500ms"); nullopt if bad. */
std::optional<double> parseGoDuration(std::string_view text);

/** The scrapeInterval of the active target whose labels.instance is instance, from /api/v1/targets. */
std::optional<double> scrapeIntervalFromTargets(std::string_view body, std::string_view instance);

}  // namespace loadline::core::fleet
