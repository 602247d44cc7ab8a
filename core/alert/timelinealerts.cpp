#include "core/alert/timelinealerts.h"

#include <nlohmann/json.hpp>

#include "core/alert/alertjson.h"
#include "core/timeline/timeline.h"

namespace loadline::core::alert {

TimelineAlerts::TimelineAlerts(std::vector<AlertRule> rules, EvaluatorOptions options)
    : m_evaluator(std::move(rules), options) {}

const std::vector<AlertEvent>& TimelineAlerts::update(Timeline& timeline, std::span<const int> alivePids) {
    m_evaluator.evaluateLatest(timeline, alivePids, m_events);
    if (!m_evaluator.changed()) return m_events;
    for (const AlertEvent& e : m_events)
        if (e.state == AlertState::Closed) m_closedText.push_back(intervalToJson(*e.interval).dump());
    while (m_closedText.size() > m_evaluator.options().maxClosedKept) m_closedText.pop_front();
    m_text = "[";
    for (const std::string& c : m_closedText) m_text += (m_text.size() > 1 ? "," : "") + c;
    for (const AlertInterval& a : m_evaluator.intervals())
        if (!a.end) m_text += (m_text.size() > 1 ? "," : "") + intervalToJson(a).dump();
    m_text += "]";
    for (auto& [key, value] : timeline.extra)
        if (key == kAlertIntervalsKey) {
            value = m_text;
            return m_events;
        }
    timeline.extra.emplace_back(kAlertIntervalsKey, m_text);
    return m_events;
}

std::vector<AlertInterval> TimelineAlerts::intervals() const {
    return {m_evaluator.intervals().begin(), m_evaluator.intervals().end()};
}

}  // namespace loadline::core::alert
