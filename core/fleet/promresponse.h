#pragma once
// The JSON replies of Prometheus's HTTP API (/api/v1/query_range, /query, /label/.../values,
// /targets): {"status":"success","data":...} or {"status":"error","errorType","error"}.
// https://prometheus.io/docs/prometheus/latest/querying/api/

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace loadline::core::fleet {

/** One series of a matrix (or a one-point series of an instant vector). */
struct PromSeries {
    std::map<std::string, std::string> labels;
    std::vector<double> times;   // seconds since the epoch, ascending as Prometheus sends them
    std::vector<double> values;  // "NaN" / "+Inf" / "-Inf" are kept as such (NaN = missing later)
};

/** A successful reply's data ("status": "success"). */
struct PromReplyData {
    std::string resultType;            // "matrix", "vector", ... for queries
    std::vector<PromSeries> series;    // matrix / vector results
    std::vector<std::string> strings;  // label values (/api/v1/label/NAME/values)
    std::vector<std::string> warnings;
};

/**
 * Parses a query, query_range or label-values reply. Never throws. The two failures differ by
 * kind:
 * - the body is not a Prometheus API reply at all (not JSON, or no "status"): kind Invalid with
 *   field "body" ("the reply is not JSON", "the JSON is not a Prometheus API reply");
 * - Prometheus's own error ("status": "error"): kind Refused, field "error", message
 *   "errorType: error" as Prometheus wrote them ("bad_data: 1:4: parse error: ..."), httpStatus 0
 *   (the body alone does not say it; checkReply() adds it).
 */
Result<PromReplyData> parsePromReply(std::string_view body);

/** A Prometheus sample value: a decimal, "NaN", "+Inf", "-Inf". nullopt when none of them. */
std::optional<double> parsePromValue(std::string_view text);

/** A Go duration as Prometheus prints scrape intervals ("15s", "1m30s", "500ms"); nullopt if bad. */
std::optional<double> parseGoDuration(std::string_view text);

/** The scrapeInterval of the active target whose labels.instance is instance, from /api/v1/targets. */
std::optional<double> scrapeIntervalFromTargets(std::string_view body, std::string_view instance);

}  // namespace loadline::core::fleet
