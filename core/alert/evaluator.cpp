#include "core/alert/evaluator.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/timeline/columns.h"
#include "core/timeline/timeline.h"

namespace loadline::core::alert {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

const char* severityText(Severity s) { return s == Severity::Critical ? "critical" : "warning"; }

const char* stateText(AlertState s) {
    switch (s) {
    case AlertState::Opened: return "opened";
    case AlertState::Escalated: return "escalated";
    case AlertState::Closed: return "closed";
    }
    return "?";
}

AlertEvaluator::AlertEvaluator(std::vector<AlertRule> rules, EvaluatorOptions options)
    : m_rules(std::move(rules)), m_options(options) {
    if (!(m_options.interval > 0)) m_options.interval = 1.0;
    for (std::size_t i = 0; i < m_rules.size(); ++i)
        (m_rules[i].scope == MetricScope::System ? m_systemRules : m_processRules).push_back(i);
    m_systemStreams.resize(m_systemRules.size());
    m_systemColumns.assign(m_systemRules.size(), -1);
}

std::size_t AlertEvaluator::openCount() const { return m_intervals.size() - m_closed; }

bool AlertEvaluator::matches(const AlertRule& r, int pid, std::string_view name) const {
    switch (r.process.kind) {
    case ProcessFilter::Kind::Any: return true;
    case ProcessFilter::Kind::Pid: return r.process.pid == pid;
    case ProcessFilter::Kind::Name: return name == r.process.name;
    }
    return false;
}

void AlertEvaluator::close(Stream& s, double t, double value, std::vector<AlertEvent>* events) {
    s.interval->end = t;
    AlertInterval* closed = s.interval;
    s.open = false;
    s.interval = nullptr;
    ++m_closed;
    m_changed = true;
    if (events) events->push_back({AlertState::Closed, closed, t, value});
}

void AlertEvaluator::feed(std::size_t ruleIndex, Stream& s, double t, double v, int pid, std::string_view process,
                          std::vector<AlertEvent>* events) {
    const AlertRule& r = m_rules[ruleIndex];
    const double iv = m_options.interval;
    if (s.seen && t - s.lastTime > m_options.gapFactor * iv) {
        // A gap: nothing is known between the two samples.
        if (s.open) close(s, s.lastTime, kNaN, events);
        s.pending = false;
    }
    s.seen = true;
    s.lastTime = t;
    if (std::isnan(v)) {
        if (!s.open) s.pending = false;
        return;
    }
    if (!r.holds(v)) {
        if (s.open) close(s, t, v, events);
        s.pending = false;
        return;
    }
    const bool critical = r.isCritical(v);
    if (s.open) {
        AlertInterval& a = *s.interval;
        if (r.beyond(v, a.peak)) {
            a.peak = v;
            a.peakTime = t;
            m_changed = true;
        }
        if (critical && a.severity != Severity::Critical) {
            a.severity = Severity::Critical;
            m_changed = true;
            if (events) events->push_back({AlertState::Escalated, &a, t, v});
        }
        return;
    }
    if (!s.pending) {
        s.pending = true;
        s.firstTime = t;
        s.peak = v;
        s.peakTime = t;
        s.critical = false;
    } else if (r.beyond(v, s.peak)) {
        s.peak = v;
        s.peakTime = t;
    }
    s.critical = s.critical || critical;
    if (t - s.firstTime + iv >= r.forSeconds - 0.1 * iv) {
        AlertInterval& a = m_intervals.emplace_back();
        a.id = ++m_nextId;
        a.ruleIndex = ruleIndex;
        a.rule = r.text;
        a.metric = r.metric;
        a.pid = pid;
        a.process = std::string(process);
        a.severity = s.critical ? Severity::Critical : Severity::Warning;
        a.start = s.firstTime;
        a.openedAt = t;
        a.peak = s.peak;
        a.peakTime = s.peakTime;
        s.open = true;
        s.pending = false;
        s.interval = &a;
        m_changed = true;
        if (events) events->push_back({AlertState::Opened, &a, t, v});
    }
}

void AlertEvaluator::trim() {
    while (m_closed > m_options.maxClosedKept && !m_intervals.empty() && m_intervals.front().end) {
        m_intervals.pop_front();
        --m_closed;
    }
}

void AlertEvaluator::evaluateLatest(const Timeline& timeline, std::span<const int> alivePids,
                                    std::vector<AlertEvent>& events) {
    events.clear();
    m_changed = false;
    trim();  // here, not after: the last call's events pointed into the intervals
    ++m_tick;
    const SeriesTable& sys = timeline.system;
    double tickTime = kNaN;
    if (!sys.empty()) {
        const std::size_t row = sys.size() - 1;
        tickTime = sys.timestamp(row);
        if (sys.appendedRows() != m_systemRows) {
            m_systemRows = sys.appendedRows();
            if (sys.columnCount() != m_systemColumnCount) {
                m_systemColumnCount = sys.columnCount();
                for (std::size_t i = 0; i < m_systemRules.size(); ++i)
                    m_systemColumns[i] = sys.columnIndex(m_rules[m_systemRules[i]].metric);
            }
            for (std::size_t i = 0; i < m_systemRules.size(); ++i) {
                const int c = m_systemColumns[i];
                feed(m_systemRules[i], m_systemStreams[i], tickTime, c >= 0 ? sys.value(c, row) : kNaN, 0, {}, &events);
            }
        }
    }
    if (!m_processRules.empty()) {
        for (int pid : alivePids) {
            auto it = timeline.processes.find(pid);
            if (it == timeline.processes.end() || it->second.samples.empty()) continue;
            const SeriesTable& t = it->second.samples;
            auto [ps, fresh] = m_pids.try_emplace(pid);
            PidState& p = ps->second;
            if (fresh) p.streams.resize(m_processRules.size());
            p.tick = m_tick;
            if (t.appendedRows() == p.lastRows) continue;
            p.lastRows = t.appendedRows();
            if (t.columnCount() != p.columnCount) {
                p.columnCount = t.columnCount();
                p.columns.resize(m_processRules.size() + 1);
                for (std::size_t j = 0; j < m_processRules.size(); ++j)
                    p.columns[j] = t.columnIndex(m_rules[m_processRules[j]].metric);
                p.columns.back() = t.columnIndex(col::kName);
            }
            const std::size_t row = t.size() - 1;
            const double time = t.timestamp(row);
            const int nameCol = p.columns.back();
            std::string_view name = nameCol >= 0 ? t.text(nameCol, row) : std::string_view{};
            for (std::size_t j = 0; j < m_processRules.size(); ++j) {
                const AlertRule& r = m_rules[m_processRules[j]];
                if (!matches(r, pid, name)) continue;
                const int c = p.columns[j];
                feed(m_processRules[j], p.streams[j], time, c >= 0 ? t.value(c, row) : kNaN, pid, name, &events);
            }
        }
        // Processes not alive at this tick: their open alerts end at this tick.
        for (auto it = m_pids.begin(); it != m_pids.end();) {
            if (it->second.tick == m_tick) {
                ++it;
                continue;
            }
            for (Stream& s : it->second.streams)
                if (s.open) close(s, std::isnan(tickTime) ? s.lastTime : tickTime, kNaN, &events);
            it = m_pids.erase(it);
        }
    }
}

std::vector<AlertInterval> evaluate(const Timeline& timeline, const std::vector<AlertRule>& rules,
                                    const EvaluatorOptions& options) {
    EvaluatorOptions opts = options;
    opts.maxClosedKept = std::numeric_limits<std::size_t>::max();
    AlertEvaluator ev(rules, opts);
    const SeriesTable& sys = timeline.system;
    for (std::size_t i = 0; i < ev.m_systemRules.size(); ++i) {
        const int c = sys.columnIndex(rules[ev.m_systemRules[i]].metric);
        AlertEvaluator::Stream& s = ev.m_systemStreams[i];
        for (std::size_t row = 0; row < sys.size(); ++row)
            ev.feed(ev.m_systemRules[i], s, sys.timestamp(row), c >= 0 ? sys.value(c, row) : kNaN, 0, {}, nullptr);
    }
    for (const auto& [pid, series] : timeline.processes) {
        const SeriesTable& t = series.samples;
        if (t.empty()) continue;
        const std::string name(series.latestText(col::kName));
        const double lastTime = t.timestamp(t.size() - 1);
        // The first tick without the process: where its open alerts end.
        const std::size_t after = sys.upperBound(lastTime);
        for (std::size_t rule : ev.m_processRules) {
            if (!ev.matches(rules[rule], pid, name)) continue;
            const int c = t.columnIndex(rules[rule].metric);
            AlertEvaluator::Stream s;
            for (std::size_t row = 0; row < t.size(); ++row)
                ev.feed(rule, s, t.timestamp(row), c >= 0 ? t.value(c, row) : kNaN, pid, name, nullptr);
            if (s.open && after < sys.size()) ev.close(s, sys.timestamp(after), kNaN, nullptr);
        }
    }
    std::vector<AlertInterval> out(ev.m_intervals.begin(), ev.m_intervals.end());
    std::stable_sort(out.begin(), out.end(), [](const AlertInterval& a, const AlertInterval& b) {
        if (a.start != b.start) return a.start < b.start;
        if (a.ruleIndex != b.ruleIndex) return a.ruleIndex < b.ruleIndex;
        return a.pid < b.pid;
    });
    return out;
}

double timelineInterval(const Timeline& timeline) {
    if (timeline.metadata.sampleInterval && *timeline.metadata.sampleInterval > 0)
        return *timeline.metadata.sampleInterval;
    const SeriesTable& sys = timeline.system;
    if (sys.size() < 2) return 1.0;
    std::vector<double> steps;
    steps.reserve(sys.size() - 1);
    for (std::size_t i = 1; i < sys.size(); ++i) {
        const double d = sys.timestamp(i) - sys.timestamp(i - 1);
        if (d > 0) steps.push_back(d);
    }
    if (steps.empty()) return 1.0;
    std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
    return steps[steps.size() / 2];
}

}  // namespace loadline::core::alert
