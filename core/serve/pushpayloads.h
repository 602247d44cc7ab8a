#pragma once
// The push payloads of the Climate System Monitor API: what services POST to
// /services/, /metrics/, /pipelines/ and /alerts/. Validation names the offending field.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/result.h"

namespace loadline::core::serve {

struct ServiceReport {  // POST /services/
    std::string name;
    std::string status;  // up | down | unknown
    std::optional<std::string> endpoint;
};

struct MetricReport {  // POST /metrics/
    std::string service;
    std::string metricType;  // cpu, memory, disk, network, or a custom name
    double value = 0;
    std::optional<double> timestamp;  // extension: epoch seconds; the server's clock otherwise
};

struct PipelineReport {        // POST /pipelines/
    std::string pipelineType;  // data_ingestion, preprocessing, training, evaluation, ...
    std::string status;        // running | completed | failed
    nlohmann::json metadata = nlohmann::json::object();
};

struct AlertReport {  // POST /alerts/
    std::string title;
    std::string message;
    int severity = 1;  // 1 info, 2 warning, 3 critical
    std::optional<std::string> service;
};

/** A parsed payload, or why it was refused: an Error whose field is the JSON field ("body" for
 *  the document itself) and whose message is the reason. */
template <class T>
using Parsed = Result<T>;

/** Deepest nesting of arrays/objects in a JSON text (strings skipped); scans without parsing. */
int jsonNestingDepth(std::string_view text);
/** Pushed documents nest a few levels; deeper ones are refused before any recursive code sees them. */
inline constexpr int kMaxJsonDepth = 64;

/** Parses a request body as a JSON object (no comments, no trailing data, nesting <= kMaxJsonDepth). */
Parsed<nlohmann::json> parseJsonObject(std::string_view body);

Parsed<ServiceReport> parseServiceReport(std::string_view body);
Parsed<MetricReport> parseMetricReport(std::string_view body);
Parsed<PipelineReport> parsePipelineReport(std::string_view body);
Parsed<AlertReport> parseAlertReport(std::string_view body);

/** Limits on pushed text, so a store's size is bounded by its entry count. */
inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxTextLength = 4096;
inline constexpr std::size_t kMaxMetadataBytes = 16 * 1024;
/** Values (objects, arrays, scalars) in one span's metadata: a DOM node costs far more memory than
 *  its text ("{}" is 2 bytes of text, ~80 bytes parsed), so the count is bounded too. */
inline constexpr std::size_t kMaxMetadataValues = 1024;

/** Number of values in a JSON document (every object, array and scalar counts one). */
std::size_t jsonValueCount(const nlohmann::json& j);
/** Memory a parsed JSON document holds, estimated: a fixed cost per value plus its strings. */
std::size_t jsonMemoryEstimate(const nlohmann::json& j);

}  // namespace loadline::core::serve
