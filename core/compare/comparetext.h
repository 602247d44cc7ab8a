#pragma once
// A RunComparison as JSON (loadline-cli compare --json, the HTML report) and as CSV (--csv).

#include <string>

#include <nlohmann/json.hpp>

#include "core/compare/compare.h"

namespace loadline::core {

/**
 * {"functions": [{"name", "status": "both"|"added"|"removed", "calls": [base, new],
 *   "mean_wall_time": [..], "p50_wall_time": [..], "p95_wall_time": [..], "mean_cpu_time": [..],
 *   "cpu_wall_ratio": [..], "mean_system_cpu_percent": [..], "mean_system_memory_percent": [..],
 *   "change_percent", "p_value", "ci": [low, high], "cpu_change_percent", "cpu_p_value",
 *   "system_cpu_change_points", "system_cpu_p_value", "mean_run_queue_wait_time": [..],
 *   "run_queue_wait_p_value", "finding", "reason"}],
 *  "system": {"baseline": {...}, "new": {...}}, "method": {...}, "warnings": [...]}
 * change_percent, p_value and ci are about the mean wall time (ci: the bootstrap interval of
 * new/base - 1, in percent). mean_run_queue_wait_time: seconds per call the recording process
 * waited for a CPU (loadline's own sampler records it; py-perf does not). Unknown values (and every figure of the run a
 * function is missing from) are null.
 */
nlohmann::ordered_json comparisonToJson(const RunComparison& c);

/** One row per function, the fields of comparisonToJson with pairs split into _base/_new. */
std::string comparisonCsv(const RunComparison& c);

/** "both", "added", "removed". */
const char* statusName(FunctionComparison::Status s);

}  // namespace loadline::core
