#include "core/alert/alertjson.h"

#include <cmath>
#include <ctime>

#include <nlohmann/json.hpp>

#include "core/timeline/timeline.h"

namespace loadline::core::alert {

using nlohmann::json;

json intervalToJson(const AlertInterval& a) {
    json j = json::object();
    j["rule"] = a.rule;
    j["metric"] = a.metric;
    j["pid"] = a.pid > 0 ? json(a.pid) : json(nullptr);
    j["process"] = a.pid > 0 ? json(a.process) : json(nullptr);
    j["severity"] = severityText(a.severity);
    j["start"] = a.start;
    j["opened_at"] = a.openedAt;
    j["end"] = a.end ? json(*a.end) : json(nullptr);
    j["peak"] = a.peak;
    j["peak_time"] = a.peakTime;
    return j;
}

json intervalsToJson(const std::vector<AlertInterval>& intervals) {
    json arr = json::array();
    for (const auto& a : intervals) arr.push_back(intervalToJson(a));
    return arr;
}

Result<std::vector<AlertInterval>> intervalsFromJson(const json& j) {
    // toString() is "alert_intervals[I]: what".
    auto fail = [&](std::size_t i, const std::string& what) -> Result<std::vector<AlertInterval>> {
        return core::fail("alert_intervals[" + std::to_string(i) + "]: " + what);
    };
    if (!j.is_array()) return core::fail("alert_intervals: expected an array");
    std::vector<AlertInterval> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const json& e = j[i];
        if (!e.is_object()) return fail(i, "expected an object");
        AlertInterval a;
        auto text = [&](const char* k, std::string& dst) {
            auto it = e.find(k);
            if (it == e.end() || !it->is_string()) return false;
            dst = it->get<std::string>();
            return true;
        };
        auto number = [&](const char* k, double& dst) {
            auto it = e.find(k);
            if (it == e.end() || !it->is_number()) return false;
            dst = it->get<double>();
            return std::isfinite(dst);
        };
        if (!text("rule", a.rule)) return fail(i, "\"rule\" must be a string");
        if (!text("metric", a.metric)) return fail(i, "\"metric\" must be a string");
        std::string sev;
        if (!text("severity", sev) || (sev != "warning" && sev != "critical"))
            return fail(i, "\"severity\" must be \"warning\" or \"critical\"");
        a.severity = sev == "critical" ? Severity::Critical : Severity::Warning;
        if (!number("start", a.start)) return fail(i, "\"start\" must be a number");
        if (!number("peak", a.peak)) return fail(i, "\"peak\" must be a number");
        if (!number("peak_time", a.peakTime)) return fail(i, "\"peak_time\" must be a number");
        if (!number("opened_at", a.openedAt)) a.openedAt = a.start;  // optional
        if (auto it = e.find("end"); it != e.end() && !it->is_null()) {
            double end = 0;
            if (!number("end", end)) return fail(i, "\"end\" must be a number or null");
            a.end = end;
        }
        if (auto it = e.find("pid"); it != e.end() && !it->is_null()) {
            if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 0x3fffffff)
                return fail(i, "\"pid\" must be a process ID or null");
            a.pid = it->get<int>();
            text("process", a.process);
        }
        out.push_back(std::move(a));
    }
    return out;
}

void setAlertIntervals(Timeline& timeline, const std::vector<AlertInterval>& intervals) {
    std::string text = intervalsToJson(intervals).dump();
    for (auto& [key, value] : timeline.extra)
        if (key == kAlertIntervalsKey) {
            value = std::move(text);
            return;
        }
    timeline.extra.emplace_back(kAlertIntervalsKey, std::move(text));
}

Result<std::vector<AlertInterval>> alertIntervals(const Timeline& timeline) {
    for (const auto& [key, value] : timeline.extra) {
        if (key != kAlertIntervalsKey) continue;
        json j = json::parse(value, nullptr, false);
        if (j.is_discarded()) return fail("alert_intervals: not valid JSON");
        return intervalsFromJson(j);
    }
    return std::vector<AlertInterval>{};
}

std::string formatTime(double epoch) {
    if (!std::isfinite(epoch)) return "-";
    const double whole = std::floor(epoch);
    std::time_t t = static_cast<std::time_t>(whole);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    const int ms = std::min(999, static_cast<int>(std::lround((epoch - whole) * 1000)));
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return buf;
}

std::string describeInterval(const AlertInterval& a) {
    std::string s = std::string(severityText(a.severity)) + "  " + a.rule;
    if (a.pid > 0) s += "  (pid " + std::to_string(a.pid) + (a.process.empty() ? "" : ", " + a.process) + ")";
    s += "  from " + formatTime(a.start) + " to " + (a.end ? formatTime(*a.end) : std::string("(still open)"));
    if (a.end) s += " (" + numberText(std::round((*a.end - a.start) * 1000) / 1000) + " s)";
    s += ", peak " + numberText(a.peak) + " at " + formatTime(a.peakTime);
    return s;
}

}  // namespace loadline::core::alert
