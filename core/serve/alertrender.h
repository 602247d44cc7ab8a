#pragma once
// Alert intervals of loadline-cli serve --alert, rendered once per tick by the sampler thread:
//  - /metrics: loadline_alert_active{rule,severity,pid} 1 for each open alert (pid "" for a
//    system metric);
//  - GET /api/alerts/: {"rules": [...], "open": N, "alerts": [...]}, the open alerts then the 100
//    most recently closed, each in Climate System Monitor's alert shape (id, title, message,
//    severity 2 warning or 3 critical, service null, timestamp = start) plus the interval's fields
//    (rule, metric, pid, process, level "warning"/"critical", state "open"/"closed", start,
//    opened_at, end, peak, peak_time).
#include <string>

#include "core/alert/evaluator.h"
#include "core/serve/prometheus.h"

namespace loadline::core::serve {

inline constexpr std::size_t kRecentClosedAlerts = 100;

void renderAlertsPrometheus(PrometheusWriter& w, const alert::AlertEvaluator& alerts);
std::string renderAlertsJson(const alert::AlertEvaluator& alerts);

}  // namespace loadline::core::serve
