#pragma once
// The alert options shared by loadline-cli alerts, record and serve: --alert RULE (repeatable)
// and --alerts FILE (one rule per line, '#' comments), parsed with core/alert's rule language.
#include <cstdio>
#include <string>
#include <vector>

#include "cmdline.h"
#include "core/alert/rule.h"

namespace loadline::core {
struct Timeline;
}

namespace loadline::cli {

struct AlertOptions {
    std::vector<std::string> rules;  // --alert, as given
    std::vector<std::string> files;  // --alerts
    bool any() const { return !rules.empty() || !files.empty(); }
};

void addAlertOptions(CmdLine& parser, AlertOptions& options);

/**
 * Parses the rules. On a bad rule, problem gets a message naming the rule (or FILE:LINE), the
 * column, what was expected, and the rule with a caret under the column. timeline (optional)
 * makes its numeric columns metrics too.
 */
bool resolveAlertRules(const AlertOptions& options, std::vector<core::alert::AlertRule>& rules, std::string& problem,
                       const core::Timeline* timeline = nullptr);

}  // namespace loadline::cli
