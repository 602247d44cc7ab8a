#include "core/serve/prometheus.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace loadline::core::serve;

TEST(Prometheus, FamilyHasHelpTypeAndSamples) {
    PrometheusWriter w;
    w.family("loadline_cpu_seconds_total", "Seconds the CPUs spent in each mode.", "counter");
    w.sample(12.5, {{"cpu", "0"}, {"mode", "user"}});
    w.sample(3, {{"cpu", "0"}, {"mode", "idle"}});
    EXPECT_EQ(w.text(),
              "# HELP loadline_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
              "# TYPE loadline_cpu_seconds_total counter\n"
              "loadline_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 12.5\n"
              "loadline_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 3\n");
}

TEST(Prometheus, EscapesLabelValuesAndHelp) {
    PrometheusWriter w;
    w.family("m", "a \\ b\nc", "gauge");
    w.sample(1, {{"name", "we\"ird\\na\nme"}});
    EXPECT_EQ(w.text(), "# HELP m a \\\\ b\\nc\n# TYPE m gauge\nm{name=\"we\\\"ird\\\\na\\nme\"} 1\n");
}

TEST(Prometheus, SpecialValues) {
    std::string s;
    appendPrometheusValue(s, std::numeric_limits<double>::quiet_NaN());
    s += ' ';
    appendPrometheusValue(s, std::numeric_limits<double>::infinity());
    s += ' ';
    appendPrometheusValue(s, -std::numeric_limits<double>::infinity());
    s += ' ';
    appendPrometheusValue(s, 0.1);
    s += ' ';
    appendPrometheusValue(s, 1e21);
    EXPECT_EQ(s, "NaN +Inf -Inf 0.1 1e+21");
}

TEST(Prometheus, MetricNames) {
    EXPECT_TRUE(isValidMetricName("loadline_load1"));
    EXPECT_FALSE(isValidMetricName("1abc"));
    EXPECT_FALSE(isValidMetricName("a-b"));
    EXPECT_EQ(sanitizeMetricName("req/s-1"), "req_s_1");
    EXPECT_EQ(sanitizeMetricName("9x"), "_x");
}
