// The alert rule language: what parses to what, the default critical values, and the errors
// (position and what was expected; an unknown metric lists the known ones).
#include <gtest/gtest.h>

#include "core/alert/rule.h"
#include "core/timeline/timeline.h"

using namespace loadline::core;
using namespace loadline::core::alert;

namespace {

AlertRule parsed(const char* text) {
    auto r = parseRule(text);
    const Error err = r ? Error{} : r.error();
    EXPECT_TRUE(r.has_value()) << text << ": " << err.toString();
    return r ? *r : AlertRule{};
}

Error failure(const char* text, const Timeline* timeline = nullptr) {
    auto r = parseRule(text, timeline);
    const Error err = r ? Error{} : r.error();
    EXPECT_FALSE(r.has_value()) << text << " parsed";
    return err;
}

}  // namespace

TEST(AlertRule, ParsesTheIssueExamples) {
    auto r = parsed("cpu_percent > 80 for 10s");
    EXPECT_EQ(r.metric, "cpu_percent");
    EXPECT_EQ(r.scope, MetricScope::System);
    EXPECT_EQ(r.op, CompareOp::Greater);
    EXPECT_DOUBLE_EQ(r.threshold, 80);
    EXPECT_DOUBLE_EQ(r.forSeconds, 10);
    EXPECT_DOUBLE_EQ(r.critical, 88);
    EXPECT_FALSE(r.criticalGiven);
    EXPECT_EQ(r.text, "cpu_percent > 80 for 10s");

    r = parsed("memory_percent > 85 critical 95");
    EXPECT_DOUBLE_EQ(r.critical, 95);
    EXPECT_TRUE(r.criticalGiven);
    EXPECT_DOUBLE_EQ(r.forSeconds, 0);

    r = parsed("cpu_percent > 90 for 30s on name=python3");
    EXPECT_EQ(r.scope, MetricScope::Process);
    EXPECT_EQ(r.process.kind, ProcessFilter::Kind::Name);
    EXPECT_EQ(r.process.name, "python3");
    EXPECT_DOUBLE_EQ(r.forSeconds, 30);
    EXPECT_DOUBLE_EQ(r.critical, 99);  // a process's cpu_percent passes 100 (100 = one core): no cap

    r = parsed("swap_percent > 50");
    EXPECT_EQ(r.scope, MetricScope::System);
    EXPECT_DOUBLE_EQ(r.critical, 55);

    r = parsed("gpu_utilization[0] < 5 for 5m");
    EXPECT_EQ(r.metric, "gpu_utilization[0]");
    EXPECT_EQ(r.op, CompareOp::Less);
    EXPECT_DOUBLE_EQ(r.forSeconds, 300);
    EXPECT_DOUBLE_EQ(r.critical, 5 / 1.1);
    EXPECT_EQ(r.text, "gpu_utilization[0] < 5 for 5m");
}

TEST(AlertRule, OperatorsUnitsAndSpacing) {
    auto r = parsed("  load_avg_1m>=2.5   for 500ms ");
    EXPECT_EQ(r.op, CompareOp::GreaterEqual);
    EXPECT_DOUBLE_EQ(r.threshold, 2.5);
    EXPECT_DOUBLE_EQ(r.forSeconds, 0.5);
    EXPECT_EQ(r.text, "load_avg_1m >= 2.5 for 500ms");
    r = parsed("memory_available_mb <= 512 for 1h critical 256");
    EXPECT_EQ(r.op, CompareOp::LessEqual);
    EXPECT_DOUBLE_EQ(r.forSeconds, 3600);
    EXPECT_DOUBLE_EQ(r.critical, 256);
    // The options in any order.
    r = parsed("num_threads > 100 on pid=4242 critical 200 for 2s");
    EXPECT_EQ(r.process.kind, ProcessFilter::Kind::Pid);
    EXPECT_EQ(r.process.pid, 4242);
    EXPECT_DOUBLE_EQ(r.forSeconds, 2);
    EXPECT_EQ(r.text, "num_threads > 100 for 2s critical 200 on pid=4242");
}

TEST(AlertRule, ProcessOnlyMetricWithoutOnWatchesEveryProcess) {
    auto r = parsed("num_fds > 1000");
    EXPECT_EQ(r.scope, MetricScope::Process);
    EXPECT_EQ(r.process.kind, ProcessFilter::Kind::Any);
}

TEST(AlertRule, DefaultCriticalFollowsTheTenPercentRule) {
    EXPECT_DOUBLE_EQ(defaultCritical(CompareOp::Greater, 80, true), 88);
    EXPECT_DOUBLE_EQ(defaultCritical(CompareOp::Greater, 95, true), 100);  // 104.5 capped: percent
    EXPECT_DOUBLE_EQ(defaultCritical(CompareOp::Greater, 95, false), 104.5);
    EXPECT_DOUBLE_EQ(defaultCritical(CompareOp::Less, 11, false), 10);
    EXPECT_DOUBLE_EQ(defaultCritical(CompareOp::Greater, -10, false), -9);  // further the same way
    EXPECT_DOUBLE_EQ(parsed("cpu_percent > 95").critical, 100);
    EXPECT_DOUBLE_EQ(parsed("cpu_percent_per_core[3] > 92").critical, 100);
    EXPECT_DOUBLE_EQ(parsed("memory_used_mb > 95").critical, 104.5);
}

TEST(AlertRule, ErrorsNameThePositionAndWhatWasExpected) {
    auto e = failure("cpu_percent 80");
    EXPECT_EQ(e.column, 13);
    EXPECT_NE(e.message.find("expected a comparison"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("'80'"), std::string::npos) << e.message;

    e = failure("cpu_percent > lots");
    EXPECT_EQ(e.column, 15);
    EXPECT_NE(e.message.find("expected a number after '>'"), std::string::npos) << e.message;

    e = failure("cpu_percent > 80 for 10");
    EXPECT_EQ(e.column, 22);
    EXPECT_NE(e.message.find("expected a duration"), std::string::npos) << e.message;

    e = failure("cpu_percent > 80 for 10 s");  // the unit belongs to the number
    EXPECT_EQ(e.column, 22);

    e = failure("cpu_percent > 80 during 10s");
    EXPECT_EQ(e.column, 18);
    EXPECT_NE(e.message.find("expected 'for DURATION', 'critical VALUE' or 'on PROCESS'"), std::string::npos);

    e = failure("cpu_percent > 80 critical 70");
    EXPECT_EQ(e.column, 18);
    EXPECT_NE(e.message.find("at or above the threshold 80"), std::string::npos) << e.message;

    e = failure("cpu_percent > 80 for 1s for 2s");
    EXPECT_NE(e.message.find("'for' given twice"), std::string::npos) << e.message;

    e = failure("cpu_percent > 5 on pid=abc");
    EXPECT_NE(e.message.find("expected a process ID"), std::string::npos) << e.message;
    e = failure("cpu_percent > 5 on python3");
    EXPECT_EQ(e.column, 20);
    EXPECT_NE(e.message.find("pid=N or name=NAME"), std::string::npos) << e.message;

    e = failure("> 5");
    EXPECT_EQ(e.column, 1);
    EXPECT_NE(e.message.find("expected a metric name"), std::string::npos);
}

TEST(AlertRule, UnknownMetricListsTheKnownOnes) {
    auto e = failure("cpu_percnt > 80");
    EXPECT_EQ(e.column, 1);
    EXPECT_NE(e.message.find("unknown metric 'cpu_percnt'"), std::string::npos) << e.message;
    for (const char* known :
         {"cpu_percent", "memory_percent", "swap_percent", "gpu_utilization[i]", "memory_rss_mb", "num_fds"})
        EXPECT_NE(e.message.find(known), std::string::npos) << known << " not listed: " << e.message;

    e = failure("swap_percent > 5 on name=x");
    EXPECT_NE(e.message.find("'swap_percent' is not a process metric"), std::string::npos) << e.message;

    e = failure("gpu_utilisation[0] > 5");
    EXPECT_NE(e.message.find("unknown metric"), std::string::npos);
}

TEST(AlertRule, ATimelinesOwnColumnsAreMetrics) {
    Timeline t;
    t.system.appendRow(1);
    t.system.setLast(t.system.ensureColumn("queue_depth"), 3);
    t.system.ensureColumn("note", true);
    EXPECT_FALSE(parseRule("queue_depth > 10").has_value());
    auto r = parseRule("queue_depth > 10", &t);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->scope, MetricScope::System);
    auto e = failure("note > 1", &t);                                          // a text column is no metric
    EXPECT_NE(e.message.find("queue_depth"), std::string::npos) << e.message;  // listed as known
}

TEST(AlertRule, RuleLinesWithComments) {
    std::string error;
    auto rules = parseRuleLines("# thresholds\n\ncpu_percent > 80 for 10s  # busy\n  memory_percent > 90\n");
    if (!rules) error = rules.error().toString();
    ASSERT_TRUE(rules.has_value()) << error;
    ASSERT_EQ(rules->size(), 2u);
    EXPECT_EQ((*rules)[1].metric, "memory_percent");
    EXPECT_FALSE(succeeded(parseRuleLines("cpu_percent > 80\n\nmemory_percent >> 9\n"), &error));
    EXPECT_EQ(error.rfind("3:17: expected a number", 0), 0u) << error;
}
