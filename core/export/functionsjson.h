#pragma once
// JSON fields of the function statistics, shared by `inspect --json` and other JSON outputs.

#include <nlohmann/json.hpp>

#include "core/correlate/correlate.h"

namespace loadline::core {

/**
 * Adds to entry: "mean_system_cpu_percent", "mean_system_memory_percent" (null when no system
 * sample covers the function's calls), "p95_wall_time", "slowdown_under_load" (null when it
 * cannot be computed), and "verdicts" {"own_work", "contention", "waiting", "unknown"}.
 * Existing keys are kept.
 */
void addLoadFields(nlohmann::json& entry, const FunctionStats& stats);

}  // namespace loadline::core
