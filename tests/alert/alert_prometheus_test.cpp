// The Prometheus side of alert rules: every metric the rule language maps to PromQL names
// families that loadline-cli serve's /metrics really writes (rendered here from a full sample),
// and the expression of a process rule selects by its label.
#include <gtest/gtest.h>

#include <regex>

#include "core/alert/metricnames.h"
#include "core/alert/promrules.h"
#include "core/serve/prometheus.h"
#include "core/serve/snapshotrender.h"

using namespace loadline::core;
using namespace loadline::core::alert;

namespace {

std::string renderedMetrics() {
    SystemSample s;
    s.timestamp = 1;
    s.cpuPercent = 10;
    s.cpuPercentPerCore = {10, 20};
    s.cpuCountLogical = 2;
    s.cpuFreqMhz = 2000;
    s.cpuTemperatureC = 50;
    s.loadAvg1 = s.loadAvg5 = s.loadAvg15 = 1;
    s.memory = {1000, 500, 400, 100, 50, 100, 10, 90, 10};
    s.disks.push_back({"sda", 1, 1, 1, 1, 1, 1});
    NetInterfaceSample n;
    n.name = "eth0";
    s.interfaces.push_back(n);
    s.gpus.push_back({0, "nvidia", "gpu", 50, 1e9, 2e9, 60});
    s.uptime = 10;
    s.bootTime = 1;
    ProcessSample p;
    p.pid = 42;
    p.name = "python3";
    p.cpuPercent = p.memoryRssMb = p.memoryVmsMb = p.numThreads = p.createTime = p.ioReadBytes = p.ioWriteBytes =
        p.numFds = 1;
    serve::PrometheusWriter w;
    serve::TickContext ctx;
    std::vector<ProcessSample> procs = {p};
    serve::renderPrometheus(w, s, nullptr, 100, procs, ctx);
    return w.text();
}

std::vector<std::string> families(const std::string& expr) {
    std::vector<std::string> out;
    std::regex re("loadline_[a-z0-9_]+");
    for (auto it = std::sregex_iterator(expr.begin(), expr.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back(it->str());
    return out;
}

}  // namespace

TEST(AlertPrometheus, EveryMappedMetricNamesAFamilyThatMetricsWrites) {
    const std::string text = renderedMetrics();
    int checked = 0;
    for (auto scope : {MetricScope::System, MetricScope::Process}) {
        for (std::string name : scope == MetricScope::System ? knownSystemMetrics() : knownProcessMetrics()) {
            if (name.size() > 3 && name.compare(name.size() - 3, 3, "[i]") == 0)
                name.replace(name.size() - 3, 3, "[0]");
            auto expr = prometheusExpression(name, scope);
            if (!expr) continue;
            auto fams = families(*expr);
            ASSERT_FALSE(fams.empty()) << name << ": " << *expr;
            for (const auto& f : fams) {
                EXPECT_NE(text.find("# TYPE " + f + " "), std::string::npos)
                    << name << " -> " << f << " not in /metrics";
                ++checked;
            }
        }
    }
    EXPECT_GE(checked, 30);
}

TEST(AlertPrometheus, ProcessRulesSelectByLabelAndIndexedMetricsByTheirLabel) {
    auto r = parseRule("memory_rss_mb > 500 on pid=42");
    ASSERT_TRUE(r);
    std::string error;
    auto file = prometheusRulesFile({*r});
    if (!file) error = file.error().toString();
    ASSERT_TRUE(file) << error;
    EXPECT_NE(file->find("loadline_process_resident_memory_bytes{pid=\"42\"} / 1048576) > 500"), std::string::npos)
        << *file;
    EXPECT_NE(file->find(") >= 550"), std::string::npos) << *file;  // the critical twin
    EXPECT_EQ(*prometheusExpression("cpu_percent_per_core[3]", MetricScope::System),
              "loadline_cpu_core_usage_percent{cpu=\"3\"}");
    // A metric /metrics does not export is an error naming the rule.
    r = parseRule("memory_percent > 5 on name=x");
    ASSERT_TRUE(r);
    EXPECT_FALSE(succeeded(prometheusRulesFile({*r}), &error));
    EXPECT_NE(error.find("memory_percent"), std::string::npos) << error;
}
