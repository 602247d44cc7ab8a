#include "core/serve/alertrender.h"

#include <nlohmann/json.hpp>

#include "core/alert/alertjson.h"

namespace loadline::core::serve {

using nlohmann::json;

void renderAlertsPrometheus(PrometheusWriter& w, const alert::AlertEvaluator& alerts) {
    w.family("loadline_alert_active", "Alerts of loadline-cli serve --alert now open (1 each).", "gauge");
    for (const auto& a : alerts.intervals()) {
        if (a.end) continue;
        const std::string pid = a.pid > 0 ? std::to_string(a.pid) : std::string();
        w.sample(1, {{"rule", a.rule}, {"severity", alert::severityText(a.severity)}, {"pid", pid}});
    }
}

namespace {
json entry(const alert::AlertInterval& a) {
    json j = alert::intervalToJson(a);
    j["level"] = j["severity"];
    j["state"] = a.end ? "closed" : "open";
    // Climate System Monitor's alert fields
    j["id"] = a.id;
    j["title"] = a.rule;
    std::string msg = a.metric + (a.pid > 0 ? " of pid " + std::to_string(a.pid) : std::string()) + " peaked at " +
                      alert::numberText(a.peak) + (a.end ? "" : " (open)");
    j["message"] = msg;
    j["severity"] = a.severity == alert::Severity::Critical ? 3 : 2;
    j["service"] = nullptr;
    j["timestamp"] = a.start;
    return j;
}
}  // namespace

std::string renderAlertsJson(const alert::AlertEvaluator& alerts) {
    json out = json::object();
    json rules = json::array();
    for (const auto& r : alerts.rules()) rules.push_back(r.text);
    out["rules"] = rules;
    json list = json::array();
    std::size_t open = 0;
    for (const auto& a : alerts.intervals())
        if (!a.end) {
            list.push_back(entry(a));
            ++open;
        }
    std::size_t closed = 0;
    for (auto it = alerts.intervals().rbegin(); it != alerts.intervals().rend() && closed < kRecentClosedAlerts; ++it)
        if (it->end) {
            list.push_back(entry(*it));
            ++closed;
        }
    out["open"] = open;
    out["alerts"] = list;
    return out.dump();
}

}  // namespace loadline::core::serve
