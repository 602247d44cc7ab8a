#include "alertoptions.h"

#include <fstream>
#include <sstream>

namespace loadline::cli {

void addAlertOptions(CmdLine& parser, AlertOptions& options) {
    parser
        .option(
            {"--alert"}, "RULE", "a rule such as 'cpu_percent > 80 for 10s'",
            [&options](const std::string& v) {
                if (v.empty()) return false;
                options.rules.push_back(v);
                return true;
            },
            "alert rule (repeatable): METRIC OP VALUE [for DURATION] [critical VALUE] [on pid=N|name=NAME], "
            "e.g. 'cpu_percent > 80 for 10s' (README: Alerts)")
        .repeatable()
        .option(
            {"--alerts"}, "FILE", "a file of rules",
            [&options](const std::string& v) {
                if (v.empty()) return false;
                options.files.push_back(v);
                return true;
            },
            "rules from a file, one per line ('#' starts a comment)")
        .repeatable();
}

bool resolveAlertRules(const AlertOptions& options, std::vector<core::alert::AlertRule>& rules, std::string& problem,
                       const core::Timeline* timeline) {
    for (const std::string& text : options.rules) {
        auto rule = core::alert::parseRule(text, timeline);
        const core::Error err = rule ? core::Error{} : rule.error();
        if (!rule) {
            problem = "bad rule '" + text + "': " + err.toString() + "\n  " + text + "\n  " +
                      std::string(static_cast<std::size_t>(std::max(0, err.column - 1)), ' ') + "^";
            return false;
        }
        rules.push_back(std::move(*rule));
    }
    for (const std::string& path : options.files) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            problem = "cannot read rules file " + path;
            return false;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        std::string error;
        auto more = core::alert::parseRuleLines(ss.str(), timeline);
        if (!more) error = more.error().toString();
        if (!more) {
            problem = "bad rule in " + path + ":" + error;
            return false;
        }
        for (auto& r : *more) rules.push_back(std::move(r));
    }
    return true;
}

}  // namespace loadline::cli
