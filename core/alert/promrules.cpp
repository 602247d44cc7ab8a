#include "core/alert/promrules.h"

#include <cmath>

namespace loadline::core::alert {

namespace {

/** A YAML single-quoted scalar ('' escapes a quote). */
std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        if (c == '\n') {
            out += ' ';
            continue;
        }
        out += c;
    }
    return out + "'";
}

/** A Prometheus duration: 10s, 500ms, 5m, 1h. */
std::string promDuration(double seconds) {
    const double ms = std::round(seconds * 1000);
    const auto whole = static_cast<long long>(ms);
    if (whole % 3600000 == 0) return std::to_string(whole / 3600000) + "h";
    if (whole % 60000 == 0) return std::to_string(whole / 60000) + "m";
    if (whole % 1000 == 0) return std::to_string(whole / 1000) + "s";
    return std::to_string(whole) + "ms";
}

}  // namespace

std::string prometheusAlertName(const AlertRule& rule) {
    std::string name = "Loadline";
    bool upper = true;
    for (char c : rule.metric) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
            upper = false;
        } else {
            upper = true;
        }
    }
    if (rule.scope == MetricScope::Process) name += "Process";
    name += rule.above() ? "Above" : "Below";
    return name;
}

Result<std::string> prometheusRulesFile(const std::vector<AlertRule>& rules) {
    std::string out =
        "# Prometheus alerting rules written by loadline-cli alerts --prometheus-rules, over the metric\n"
        "# families of loadline-cli serve's /metrics. Check with: promtool check rules FILE\n"
        "groups:\n"
        "  - name: loadline\n"
        "    rules:\n";
    for (const AlertRule& r : rules) {
        PromSelector sel;
        if (r.process.kind == ProcessFilter::Kind::Pid) sel = {"pid", std::to_string(r.process.pid)};
        if (r.process.kind == ProcessFilter::Kind::Name) sel = {"name", r.process.name};
        auto expr = prometheusExpression(r.metric, r.scope, sel);
        if (!expr) return fail("rule '" + r.text + "': /metrics has no series for " + r.metric);
        const std::string name = prometheusAlertName(r);
        for (int critical = 0; critical < 2; ++critical) {
            // critical applies at or beyond its value, as in loadline's own evaluation.
            const std::string op = critical ? (r.above() ? ">=" : "<=") : opText(r.op);
            const double value = critical ? r.critical : r.threshold;
            out += "      - alert: " + name + "\n";
            out += "        expr: " + quoted("(" + *expr + ") " + op + " " + numberText(value)) + "\n";
            if (r.forSeconds > 0) out += "        for: " + promDuration(r.forSeconds) + "\n";
            out += "        labels:\n";
            out += std::string("          severity: ") + (critical ? "critical" : "warning") + "\n";
            out += "          loadline_rule: " + quoted(r.text) + "\n";
            out += "        annotations:\n";
            out += "          summary: " + quoted(r.text + (critical ? " (critical)" : "")) + "\n";
            out += "          description: " + quoted(r.metric + " is {{ $value }} on {{ $labels.instance }}") + "\n";
        }
    }
    return out;
}

}  // namespace loadline::core::alert
