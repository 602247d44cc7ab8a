#include "core/collect/contentionjson.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace loadline::core {

namespace {
nlohmann::json num(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }
}  // namespace

nlohmann::json pressureToJson(const PressureSample& p) {
    nlohmann::json j = nlohmann::json::object();
    for (int r = 0; r < kPressureResources; ++r) {
        const auto i = static_cast<std::size_t>(r);
        if (std::isnan(p.someTotalSeconds[i])) continue;
        nlohmann::json e{{"some_percent", num(p.somePercent[i])},
                         {"some_avg10", num(p.someAvg10[i])},
                         {"some_total_seconds", p.someTotalSeconds[i]}};
        if (!std::isnan(p.fullTotalSeconds[i])) {
            e["full_percent"] = num(p.fullPercent[i]);
            e["full_total_seconds"] = p.fullTotalSeconds[i];
        }
        j[pressureResourceName(r)] = std::move(e);
    }
    return j;
}

nlohmann::json cgroupToJson(const CgroupSample& c) {
    nlohmann::json j{{"path", c.path}, {"cpu_percent", num(c.cpuPercent)}, {"usage_seconds", num(c.usageSeconds)}};
    if (!std::isnan(c.nrThrottled)) {
        j["throttled_periods_percent"] = num(c.throttledPeriodsPercent);
        j["throttled_ms_per_s"] = num(c.throttledMsPerS);
        j["nr_throttled"] = c.nrThrottled;
        j["throttled_seconds"] = c.throttledSeconds;
    }
    if (!std::isnan(c.memoryCurrentBytes)) j["memory_current_bytes"] = c.memoryCurrentBytes;
    if (!std::isnan(c.memoryMaxBytes)) j["memory_max_bytes"] = c.memoryMaxBytes;
    if (c.pressure.any()) j["pressure"] = pressureToJson(c.pressure);
    return j;
}

}  // namespace loadline::core
