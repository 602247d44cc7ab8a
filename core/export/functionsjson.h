#pragma once
// JSON fields of the function statistics, shared by `inspect --json` and other JSON outputs.
// A template so it serves both nlohmann::json and nlohmann::ordered_json.

#include <nlohmann/json.hpp>

#include "core/correlate/correlate.h"
#include "core/format/jsonnumber.h"

namespace loadline::core {

/**
 * Adds to entry: "mean_system_cpu_percent", "mean_system_memory_percent" (null when no system
 * sample covers the function's calls), "p95_wall_time", "slowdown_under_load" (null when it
 * cannot be computed), and "verdicts" {"own_work", "contention", "waiting", "unknown"}.
 * Existing keys are kept.
 */
template <class Json>
void addLoadFields(Json& entry, const FunctionStats& s) {
    constexpr auto numberOrNull = jsontext::numberOrNull<Json>;
    entry["mean_system_cpu_percent"] = numberOrNull(s.meanSystemCpuPercent);
    entry["mean_system_memory_percent"] = numberOrNull(s.meanSystemMemoryPercent);
    entry["p95_wall_time"] = numberOrNull(s.p95Wall);
    entry["slowdown_under_load"] = numberOrNull(s.slowdownUnderLoad);
    Json verdicts;
    verdicts["own_work"] = s.verdictCount(Verdict::OwnWork);
    verdicts["contention"] = s.verdictCount(Verdict::Contention);
    verdicts["waiting"] = s.verdictCount(Verdict::Waiting);
    verdicts["unknown"] = s.verdictCount(Verdict::Unknown);
    entry["verdicts"] = std::move(verdicts);
}

}  // namespace loadline::core
