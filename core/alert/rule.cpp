#include "core/alert/rule.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace loadline::core::alert {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool isWordStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isWordChar(char c) { return isWordStart(c) || (c >= '0' && c <= '9'); }
bool isNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'; }

class Scanner {
public:
    explicit Scanner(std::string_view s) : m_s(s) {}
    void skipSpace() {
        while (m_pos < m_s.size() && isSpace(m_s[m_pos])) ++m_pos;
    }
    bool atEnd() {
        skipSpace();
        return m_pos >= m_s.size();
    }
    int column() const { return static_cast<int>(m_pos) + 1; }
    std::size_t pos() const { return m_pos; }
    char peek() const { return m_pos < m_s.size() ? m_s[m_pos] : '\0'; }
    /** What is at the cursor, for "found ..." in messages. */
    std::string found() const {
        if (m_pos >= m_s.size()) return "the end of the rule";
        std::size_t e = m_pos;
        while (e < m_s.size() && !isSpace(m_s[e])) ++e;
        return "'" + std::string(m_s.substr(m_pos, e - m_pos)) + "'";
    }
    /** A metric name: word, optionally "[digits]". */
    std::string_view metric() {
        std::size_t b = m_pos;
        if (!isWordStart(peek())) return {};
        while (m_pos < m_s.size() && isWordChar(m_s[m_pos])) ++m_pos;
        if (peek() == '[') {
            std::size_t e = m_pos + 1;
            while (e < m_s.size() && m_s[e] >= '0' && m_s[e] <= '9') ++e;
            if (e > m_pos + 1 && e < m_s.size() && m_s[e] == ']') m_pos = e + 1;
        }
        return m_s.substr(b, m_pos - b);
    }
    std::string_view word() {
        std::size_t b = m_pos;
        while (m_pos < m_s.size() && isWordChar(m_s[m_pos])) ++m_pos;
        return m_s.substr(b, m_pos - b);
    }
    std::optional<CompareOp> op() {
        char c = peek();
        if (c != '>' && c != '<') return std::nullopt;
        ++m_pos;
        bool eq = peek() == '=';
        if (eq) ++m_pos;
        if (c == '>') return eq ? CompareOp::GreaterEqual : CompareOp::Greater;
        return eq ? CompareOp::LessEqual : CompareOp::Less;
    }
    /** A finite number; the cursor moves only on success. */
    std::optional<double> number() {
        std::size_t e = m_pos;
        while (e < m_s.size() && isNumberChar(m_s[e])) ++e;
        if (e == m_pos) return std::nullopt;
        const char* b = m_s.data() + m_pos;
        const char* end = m_s.data() + e;
        if (*b == '+') ++b;
        double v = 0;
        auto r = std::from_chars(b, end, v);
        if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v)) return std::nullopt;
        m_pos = e;
        return v;
    }
    /** The rest of a token up to whitespace. */
    std::string_view token() {
        std::size_t b = m_pos;
        while (m_pos < m_s.size() && !isSpace(m_s[m_pos])) ++m_pos;
        return m_s.substr(b, m_pos - b);
    }
    void reset(std::size_t p) { m_pos = p; }

private:
    std::string_view m_s;
    std::size_t m_pos = 0;
};

std::string joinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

}  // namespace

bool AlertRule::holds(double v) const {
    switch (op) {
    case CompareOp::Greater: return v > threshold;
    case CompareOp::GreaterEqual: return v >= threshold;
    case CompareOp::Less: return v < threshold;
    case CompareOp::LessEqual: return v <= threshold;
    }
    return false;
}

bool AlertRule::isCritical(double v) const { return above() ? v >= critical : v <= critical; }

bool AlertRule::beyond(double a, double b) const { return above() ? a > b : a < b; }

double defaultCritical(CompareOp op, double threshold, bool boundedPercent) {
    const bool above = op == CompareOp::Greater || op == CompareOp::GreaterEqual;
    if (above) {
        double c = threshold + 0.1 * std::fabs(threshold);
        if (boundedPercent && threshold < 100 && c > 100) c = 100;
        return c;
    }
    return threshold - std::fabs(threshold) * (1.0 - 1.0 / 1.1);
}

const char* opText(CompareOp op) {
    switch (op) {
    case CompareOp::Greater: return ">";
    case CompareOp::GreaterEqual: return ">=";
    case CompareOp::Less: return "<";
    case CompareOp::LessEqual: return "<=";
    }
    return "?";
}

std::string numberText(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

Result<AlertRule> parseRule(std::string_view text, const Timeline* timeline) {
    Scanner s(text);
    auto fail = [&](int column, std::string message) -> Result<AlertRule> {
        Error e;
        e.column = column;
        e.message = std::move(message);
        return core::fail(std::move(e));
    };
    AlertRule rule;
    s.skipSpace();
    const int metricColumn = s.column();
    std::string_view metric = s.metric();
    if (metric.empty()) return fail(s.column(), "expected a metric name (such as cpu_percent), found " + s.found());
    rule.metric = std::string(metric);
    s.skipSpace();
    const int opColumn = s.column();
    auto op = s.op();
    if (!op)
        return fail(opColumn, "expected a comparison (>, >=, <, <=) after '" + rule.metric + "', found " + s.found());
    rule.op = *op;
    s.skipSpace();
    auto value = s.number();
    if (!value)
        return fail(s.column(), std::string("expected a number after '") + opText(rule.op) + "', found " + s.found());
    rule.threshold = *value;

    bool haveFor = false, haveOn = false;
    int criticalColumn = 0;
    while (!s.atEnd()) {
        const int kwColumn = s.column();
        const std::size_t kwPos = s.pos();
        std::string_view kw = s.word();
        if (kw == "for" && !haveFor) {
            haveFor = true;
            s.skipSpace();
            const int c = s.column();
            auto n = s.number();
            std::string_view unit = n ? s.word() : std::string_view{};
            double scale = unit == "ms" ? 0.001 : unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
            if (!n || scale == 0 || *n < 0) {
                s.reset(static_cast<std::size_t>(c - 1));
                return fail(c, "expected a duration after 'for' (a number with ms, s, m or h, such as 10s), found " +
                                   s.found());
            }
            rule.forSeconds = *n * scale;
        } else if (kw == "critical" && criticalColumn == 0) {
            criticalColumn = kwColumn;
            s.skipSpace();
            const int c = s.column();
            auto n = s.number();
            if (!n) return fail(c, "expected a number after 'critical', found " + s.found());
            rule.critical = *n;
            rule.criticalGiven = true;
        } else if (kw == "on" && !haveOn) {
            haveOn = true;
            s.skipSpace();
            const int c = s.column();
            std::string_view sel = s.token();
            auto eq = sel.find('=');
            std::string_view key = sel.substr(0, eq == std::string_view::npos ? 0 : eq);
            std::string_view val = eq == std::string_view::npos ? std::string_view{} : sel.substr(eq + 1);
            if (key == "pid") {
                int pid = 0;
                auto r = std::from_chars(val.data(), val.data() + val.size(), pid);
                if (val.empty() || r.ec != std::errc() || r.ptr != val.data() + val.size() || pid < 1)
                    return fail(c + 4, "expected a process ID after 'pid=', found '" + std::string(val) + "'");
                rule.process = {ProcessFilter::Kind::Pid, pid, {}};
            } else if (key == "name" && !val.empty()) {
                rule.process = {ProcessFilter::Kind::Name, 0, std::string(val)};
            } else {
                return fail(c, "expected a process after 'on' (pid=N or name=NAME), found " +
                                   (sel.empty() ? std::string("the end of the rule") : "'" + std::string(sel) + "'"));
            }
        } else {
            s.reset(kwPos);
            const bool repeated =
                (kw == "for" && haveFor) || (kw == "critical" && criticalColumn) || (kw == "on" && haveOn);
            return fail(kwColumn,
                        repeated ? "'" + std::string(kw) + "' given twice"
                                 : "expected 'for DURATION', 'critical VALUE' or 'on PROCESS', found " + s.found());
        }
    }

    // Which table the metric is a column of (metricnames.h is the one place that knows).
    if (haveOn) {
        if (!isMetric(rule.metric, MetricScope::Process, timeline))
            return fail(metricColumn, "'" + rule.metric + "' is not a process metric (with 'on'); process metrics: " +
                                          joinNames(metricNames(MetricScope::Process, timeline)));
        rule.scope = MetricScope::Process;
    } else if (isMetric(rule.metric, MetricScope::System, timeline)) {
        rule.scope = MetricScope::System;
    } else if (isMetric(rule.metric, MetricScope::Process, timeline)) {
        rule.scope = MetricScope::Process;  // every process
    } else {
        return fail(metricColumn, "unknown metric '" + rule.metric +
                                      "'; system metrics: " + joinNames(metricNames(MetricScope::System, timeline)) +
                                      "; process metrics: " + joinNames(metricNames(MetricScope::Process, timeline)));
    }

    if (rule.criticalGiven) {
        if (rule.above() ? rule.critical < rule.threshold : rule.critical > rule.threshold)
            return fail(criticalColumn, std::string("the critical value must be ") +
                                            (rule.above() ? "at or above" : "at or below") + " the threshold " +
                                            numberText(rule.threshold) + " for a '" + opText(rule.op) + "' rule");
    } else {
        rule.critical = defaultCritical(rule.op, rule.threshold, isBoundedPercent(rule.metric, rule.scope));
    }

    // Normalised text: the rule as the README writes it.
    rule.text = rule.metric + " " + opText(rule.op) + " " + numberText(rule.threshold);
    if (rule.forSeconds > 0) {
        double f = rule.forSeconds;
        rule.text += " for " + (f >= 3600 && std::fmod(f, 3600) == 0 ? numberText(f / 3600) + "h"
                                : f >= 60 && std::fmod(f, 60) == 0   ? numberText(f / 60) + "m"
                                : f < 1                              ? numberText(f * 1000) + "ms"
                                                                     : numberText(f) + "s");
    }
    if (rule.criticalGiven) rule.text += " critical " + numberText(rule.critical);
    if (rule.process.kind == ProcessFilter::Kind::Pid) rule.text += " on pid=" + std::to_string(rule.process.pid);
    if (rule.process.kind == ProcessFilter::Kind::Name) rule.text += " on name=" + rule.process.name;
    return rule;
}

Result<std::vector<AlertRule>> parseRuleLines(std::string_view text, const Timeline* timeline) {
    std::vector<AlertRule> rules;
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(pos, e - pos);
        ++lineNo;
        pos = e + 1;
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        bool blank = true;
        for (char c : line) blank = blank && isSpace(c);
        if (!blank) {
            auto rule = parseRule(line, timeline);
            if (!rule) {
                rule.error().line = lineNo;
                return fail(std::move(rule.error()));
            }
            rules.push_back(std::move(*rule));
        }
        if (e == text.size()) break;
    }
    return rules;
}

}  // namespace loadline::core::alert
