#pragma once
// Alerts evaluated as a timeline grows (the sampler, each tick): an AlertEvaluator plus the
// recording's "alert_intervals" key kept current in Timeline::extra, so that every save of the
// timeline (record's checkpoints, serve's history) carries the intervals so far. Closed intervals
// are formatted once; only open ones are formatted again when they change.
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "core/alert/evaluator.h"

namespace loadline::core::alert {

class TimelineAlerts {
public:
    TimelineAlerts(std::vector<AlertRule> rules, EvaluatorOptions options);

    /** Evaluates the newest rows (see AlertEvaluator::evaluateLatest) and refreshes the key when
     *  an interval changed. The events are valid until the next call. */
    const std::vector<AlertEvent>& update(Timeline& timeline, std::span<const int> alivePids);

    const AlertEvaluator& evaluator() const { return m_evaluator; }
    /** A copy of the intervals kept (oldest first). */
    std::vector<AlertInterval> intervals() const;

private:
    AlertEvaluator m_evaluator;
    std::vector<AlertEvent> m_events;
    std::deque<std::string> m_closedText;  // JSON of closed intervals, in closing order
    std::string m_text;
};

}  // namespace loadline::core::alert
