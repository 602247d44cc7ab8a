// loadline-cli alerts RUN.json --alert RULE... [--alerts FILE] [--json]: evaluates alert rules
// over a recording (loadline's or py-perf's, timeline or performance summary) and prints the
// intervals. The exit status makes it a CI gate: 0 nothing fired, 1 only warnings, 3 a critical
// one (2: bad input or usage). --prometheus-rules prints the rules as a Prometheus alerting-rules
// file over loadline-cli serve's /metrics instead (no recording needed).
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/format/jsonschema.h"
#include "alertoptions.h"
#include "cmdline.h"
#include "commands.h"
#include "core/alert/alertjson.h"
#include "core/alert/evaluator.h"
#include "core/alert/promrules.h"
#include "core/format/recordingio.h"

namespace loadline::cli {

int runAlerts(int argc, char** argv) {
    const char* argv0 = argv[0];
    std::string path;
    AlertOptions alertOptions;
    bool json = false, prometheus = false;
    CmdLine args(argv0,
                 "Evaluates alert rules (--alert RULE or --alerts FILE, at least one) over a recording and "
                 "prints when each one fired. With --prometheus-rules, prints the rules as a Prometheus "
                 "alerting-rules file instead (no RUN.json).\n\n"
                 "Exit status: 0 no alert, 1 only warnings, 3 at least one critical alert, 2 bad input.");
    addAlertOptions(args, alertOptions);
    args.flag({"--json"}, json, "print {\"alerts\": [...], \"warnings\": [...]} (epoch seconds)")
        .flag({"--prometheus-rules"}, prometheus,
              "print the rules as a Prometheus alerting-rules file over the metric names of loadline-cli "
              "serve's /metrics")
        .positional(path, "RUN.json", "the recording (py-perf JSON or .llrec)");
    if (auto status = args.parse(argc, argv)) return *status;
    if (!alertOptions.any()) return args.fail("no rules (--alert RULE or --alerts FILE)");

    std::vector<core::alert::AlertRule> rules;
    std::string problem;
    if (prometheus) {
        if (!path.empty()) return args.fail("--prometheus-rules takes no recording");
        if (json) return args.fail("--prometheus-rules and --json exclude each other");
        if (!resolveAlertRules(alertOptions, rules, problem)) return args.fail(problem);
        auto text = core::alert::prometheusRulesFile(rules);
        if (!text) problem = text.error().toString();
        if (!text) return args.fail(problem);
        std::fputs(text->c_str(), stdout);
        return 0;
    }
    if (path.empty()) return args.fail("no recording (RUN.json)");

    core::LoadResult loaded = core::loadRecordingFile(path);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv0,
                     !loaded.has_value() ? loaded.error().toString().c_str() : (path + ": cannot open").c_str());
        return 2;
    }
    const core::Timeline& timeline = loaded->timeline;
    if (!resolveAlertRules(alertOptions, rules, problem, &timeline)) return args.fail(problem);

    std::vector<std::string> warnings = loaded->warnings;
    for (const auto& r : rules) {
        bool present = false;
        if (r.scope == core::alert::MetricScope::System) {
            present = timeline.system.columnIndex(r.metric) >= 0;
        } else {
            for (const auto& [pid, series] : timeline.processes)
                present = present || series.samples.columnIndex(r.metric) >= 0;
        }
        if (!present)
            warnings.push_back("rule '" + r.text + "': the recording has no " +
                               (r.scope == core::alert::MetricScope::System ? "system" : "process") + " column " +
                               r.metric + ", so it cannot fire");
        // A process selector that selects nothing (a typo, or the wrong file) must not pass a CI
        // gate in silence.
        using Kind = core::alert::ProcessFilter::Kind;
        if (present && r.scope == core::alert::MetricScope::Process && r.process.kind != Kind::Any) {
            bool selected = false;
            for (const auto& [pid, series] : timeline.processes)
                selected =
                    selected || (r.process.kind == Kind::Pid ? pid == r.process.pid
                                                             : series.latestText(core::col::kName) == r.process.name);
            if (!selected)
                warnings.push_back("rule '" + r.text + "': the recording has no process " +
                                   (r.process.kind == Kind::Pid ? "with PID " + std::to_string(r.process.pid)
                                                                : "named '" + r.process.name + "'") +
                                   ", so it cannot fire");
        }
    }
    const auto intervals = core::alert::evaluate(timeline, rules, {core::alert::timelineInterval(timeline)});
    int warningCount = 0, criticalCount = 0;
    for (const auto& a : intervals) (a.severity == core::alert::Severity::Critical ? criticalCount : warningCount)++;

    if (json) {
        nlohmann::json out = nlohmann::json::object();
        out[core::kJsonSchemaKey] = core::kJsonSchemaVersion;
        out["alerts"] = core::alert::intervalsToJson(intervals);
        out["warnings"] = warnings;
        std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
        for (const auto& w : warnings) std::fprintf(stderr, "%s: warning: %s\n", argv0, w.c_str());
        for (const auto& a : intervals) std::printf("%s\n", core::alert::describeInterval(a).c_str());
        if (intervals.empty())
            std::printf("no alerts (%zu rule%s over %zu samples)\n", rules.size(), rules.size() == 1 ? "" : "s",
                        timeline.system.size());
        else
            std::printf("%zu alert%s: %d warning, %d critical\n", intervals.size(), intervals.size() == 1 ? "" : "s",
                        warningCount, criticalCount);
    }
    return criticalCount > 0 ? 3 : warningCount > 0 ? 1 : 0;
}

}  // namespace loadline::cli
