#pragma once
// The contention samples as nlohmann::json for `snapshot --json` (rarely called: may allocate).
// Only what was read appears: an absent "full" line or resource has no key.

#include <nlohmann/json_fwd.hpp>

#include "core/collect/contentionsamples.h"

namespace loadline::core {

/** {"cpu": {"some_percent", "some_avg10", "some_total_seconds"[, "full_percent", "full_avg10"...]}, ...} */
nlohmann::json pressureToJson(const PressureSample& p);
/** {"path", "cpu_percent", "throttled_periods_percent", ..., "pressure": {...}} */
nlohmann::json cgroupToJson(const CgroupSample& c);

}  // namespace loadline::core
