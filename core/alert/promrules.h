#pragma once
// Alert rules as a Prometheus alerting-rules file (rule_files: YAML, groups -> rules) over the
// metric families of loadline-cli serve's /metrics, so that Prometheus and Alertmanager evaluate
// on a fleet what loadline evaluates on one machine. Each rule becomes two alerting rules with
// the same alert name: severity "warning" at the threshold and "critical" at the critical value
// (an Alertmanager inhibit rule can mute the warning while the critical one fires).

#include <optional>
#include <string>
#include <vector>

#include "core/alert/rule.h"
#include "core/base/result.h"

namespace loadline::core::alert {

/** The rules file, or nullopt with error naming a rule whose metric /metrics does not export. */
Result<std::string> prometheusRulesFile(const std::vector<AlertRule>& rules);

/** The alert name of a rule: "Loadline" + metric in CamelCase + Above/Below (a valid metric name). */
std::string prometheusAlertName(const AlertRule& rule);

}  // namespace loadline::core::alert
