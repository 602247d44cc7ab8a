#pragma once
// Alert intervals from rules (rule.h) over a timeline, sample by sample.
//
// An alert opens when its condition has held for the rule's DURATION, counting each sample as
// standing for the interval before it (cpu_percent is the mean over that interval): it opens at
// the sample where (sample time - first holding sample's time + interval) >= DURATION, less a
// tenth of an interval of timing jitter; with no DURATION the first holding sample opens it.
// It closes at the first sample where the condition fails. It carries the rule, metric, process,
// the highest severity reached, start (the first holding sample), end (nullopt while open), and
// the peak value (furthest in the rule's direction) with its time.
//
// Missing data: a NaN value (null in a file, or the column absent) is no evidence either way: an
// open alert stays open, a condition not yet held long enough starts over. A gap in time (a step
// longer than gapFactor x interval between two samples of a series) ends what was known: an open
// alert closes at the last sample before the gap, and the condition starts over after it. A
// process that exits (no sample of it at a later tick) closes its alerts at the first tick
// without it.
//
// Two ways in, with the same result: evaluate() over a whole timeline (loadline-cli alerts), and
// an AlertEvaluator fed tick by tick with the newest rows (the sampler), which allocates nothing
// per tick in steady state (one interval per opening).

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/alert/rule.h"

namespace loadline::core {
struct Timeline;
class SeriesTable;
}  // namespace loadline::core

namespace loadline::core::alert {

enum class Severity { Warning, Critical };
const char* severityText(Severity s);

struct AlertInterval {
    std::uint64_t id = 0;  // 1, 2, ... in the order the alerts opened
    std::size_t ruleIndex = 0;
    std::string rule;  // the rule's text
    std::string metric;
    int pid = 0;          // 0: a system metric
    std::string process;  // the process's name (process rules)
    Severity severity = Severity::Warning;
    double start = 0;           // the first sample of the run that opened it (epoch seconds)
    double openedAt = 0;        // the sample at which it opened (start + DURATION, on the samples)
    std::optional<double> end;  // the first sample where it no longer held; nullopt: still open
    double peak = 0;
    double peakTime = 0;
};

enum class AlertState { Opened, Escalated, Closed };
const char* stateText(AlertState s);

/** One change of an alert, for callbacks (valid during the call). */
struct AlertEvent {
    AlertState state = AlertState::Opened;
    const AlertInterval* interval = nullptr;
    double time = 0;   // the sample that caused it
    double value = 0;  // the metric's value there (NaN for a process exit or a gap)
};

struct EvaluatorOptions {
    double interval = 1.0;              // seconds between samples
    double gapFactor = 5;               // a step longer than gapFactor x interval is a gap
    std::size_t maxClosedKept = 10000;  // live mode: the oldest closed intervals beyond this are dropped
};

class AlertEvaluator {
public:
    AlertEvaluator(std::vector<AlertRule> rules, EvaluatorOptions options);

    const std::vector<AlertRule>& rules() const { return m_rules; }
    const EvaluatorOptions& options() const { return m_options; }

    /**
     * Evaluates the newest row of the system table (when it is new) and the newest row of each
     * process in alivePids; open alerts of processes not in alivePids close at the system row's
     * time. Appends what changed to events (cleared first).
     */
    void evaluateLatest(const Timeline& timeline, std::span<const int> alivePids, std::vector<AlertEvent>& events);

    /** Every interval so far, oldest first (open ones have no end). */
    const std::deque<AlertInterval>& intervals() const { return m_intervals; }
    std::size_t openCount() const;
    /** Whether the last evaluateLatest changed any interval (opened, closed, new peak or severity). */
    bool changed() const { return m_changed; }

private:
    struct Stream {
        bool pending = false, open = false;
        double firstTime = 0, lastTime = 0, peak = 0, peakTime = 0;
        bool seen = false, critical = false;
        AlertInterval* interval = nullptr;
    };
    struct PidState {
        int columnCount = -1;
        std::vector<int> columns;  // per process rule
        std::vector<Stream> streams;
        std::uint64_t lastRows = 0;
        std::uint64_t tick = 0;
    };
    friend std::vector<AlertInterval> evaluate(const Timeline&, const std::vector<AlertRule>&, const EvaluatorOptions&);

    void feed(std::size_t rule, Stream& s, double t, double v, int pid, std::string_view process,
              std::vector<AlertEvent>* events);
    void close(Stream& s, double t, double value, std::vector<AlertEvent>* events);
    void trim();
    bool matches(const AlertRule& r, int pid, std::string_view name) const;

    std::vector<AlertRule> m_rules;
    std::vector<std::size_t> m_systemRules, m_processRules;  // indices into m_rules
    EvaluatorOptions m_options;
    std::deque<AlertInterval> m_intervals;
    std::size_t m_closed = 0;
    // System: one stream and a cached column per system rule.
    std::vector<Stream> m_systemStreams;
    std::vector<int> m_systemColumns;
    int m_systemColumnCount = -1;
    std::uint64_t m_systemRows = 0;
    std::unordered_map<int, PidState> m_pids;
    std::uint64_t m_tick = 0;
    bool m_changed = false;
    std::uint64_t m_nextId = 0;
};

/** The intervals of rules over a whole timeline, ordered by start. */
std::vector<AlertInterval> evaluate(const Timeline& timeline, const std::vector<AlertRule>& rules,
                                    const EvaluatorOptions& options);

/** The sample interval of a timeline: metadata.sample_interval, else the median step, else 1. */
double timelineInterval(const Timeline& timeline);

}  // namespace loadline::core::alert
