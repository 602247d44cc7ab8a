#include "core/export/functionsjson.h"

#include <cmath>

namespace loadline::core {

namespace {
nlohmann::json numberOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
}  // namespace

void addLoadFields(nlohmann::json& entry, const FunctionStats& s) {
    entry["mean_system_cpu_percent"] = numberOrNull(s.meanSystemCpuPercent);
    entry["mean_system_memory_percent"] = numberOrNull(s.meanSystemMemoryPercent);
    entry["p95_wall_time"] = numberOrNull(s.p95Wall);
    entry["slowdown_under_load"] = numberOrNull(s.slowdownUnderLoad);
    entry["verdicts"] = {{"own_work", s.verdictCount(Verdict::OwnWork)},
                         {"contention", s.verdictCount(Verdict::Contention)},
                         {"waiting", s.verdictCount(Verdict::Waiting)},
                         {"unknown", s.verdictCount(Verdict::Unknown)}};
}

}  // namespace loadline::core
