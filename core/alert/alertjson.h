#pragma once
// Alert intervals as JSON: the objects of `loadline-cli alerts --json`, of /api/alerts/ and of
// a recording's "alert_intervals" key (a key py-perf readers ignore; loadline keeps it in
// Timeline::extra when loading and reads the intervals back from there):
//   {"rule", "metric", "pid" (null for a system metric), "process", "severity",
//    "start", "opened_at", "end" (null while open), "peak", "peak_time"}   (epoch seconds)

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/alert/evaluator.h"
#include "core/base/result.h"

namespace loadline::core {
struct Timeline;
}

namespace loadline::core::alert {

inline constexpr const char* kAlertIntervalsKey = "alert_intervals";

nlohmann::json intervalToJson(const AlertInterval& a);
nlohmann::json intervalsToJson(const std::vector<AlertInterval>& intervals);
/** Reads intervals back; error names the entry and field that is wrong. */
Result<std::vector<AlertInterval>> intervalsFromJson(const nlohmann::json& j);

/** Stores the intervals under "alert_intervals" in timeline.extra (replacing an older value). */
void setAlertIntervals(Timeline& timeline, const std::vector<AlertInterval>& intervals);
/** The intervals a recording holds (empty when it has none); a malformed value gives an error. */
Result<std::vector<AlertInterval>> alertIntervals(const Timeline& timeline);

/** One line for people: "opened warning cpu_percent > 80 for 10s (pid 12, python3): 93.5 at 2026-..." */
std::string describeInterval(const AlertInterval& a);
/** A local time with milliseconds: "2026-12-02 20:31:05.250". */
std::string formatTime(double epoch);

}  // namespace loadline::core::alert
