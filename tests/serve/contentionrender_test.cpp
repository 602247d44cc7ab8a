// PSI, run-queue wait and cgroup figures in the serve renderers: node_exporter-style names, one
// family each, the cgroup labelled by its path, and nothing at all for a source that is absent.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/serve/contentionrender.h"
#include "core/serve/snapshotrender.h"

using namespace loadline::core;
using namespace loadline::core::serve;

namespace {

SystemSample withPressure() {
    SystemSample s;
    s.pressure.someTotalSeconds = {12.5, 3.0, 7.25};
    s.pressure.somePercent = {40.0, 1.0, 2.0};
    s.pressure.someAvg10 = {38.0, 0.5, 1.5};
    s.pressure.fullTotalSeconds = {kMissing, 1.5, 4.0};
    s.pressure.fullPercent = {kMissing, 0.5, 1.0};
    return s;
}

ProcessSample throttledProcess() {
    ProcessSample p;
    p.pid = 4242;
    p.name = "worker";
    p.sched.runQueueWaitSeconds = 9.5;
    p.sched.runQueueWaitPercent = 60.0;
    p.sched.nonvoluntarySwitches = 1234;
    p.sched.nonvoluntarySwitchesPerS = 50;
    p.cgroup.path = "/app.slice/job.scope";
    p.cgroup.usageSeconds = 5.0;
    p.cgroup.cpuPercent = 20.0;
    p.cgroup.nrThrottled = 40;
    p.cgroup.throttledSeconds = 2.0;
    p.cgroup.throttledPeriodsPercent = 95.0;
    p.cgroup.throttledMsPerS = 800;
    p.cgroup.memoryCurrentBytes = 1048576;
    return p;
}

}  // namespace

TEST(ContentionPrometheus, PressureFamiliesFollowNodeExporter) {
    PrometheusWriter w;
    renderContentionPrometheus(w, withPressure(), {});
    const std::string& t = w.text();
    EXPECT_NE(t.find("# TYPE loadline_pressure_cpu_waiting_seconds_total "
                     "counter\nloadline_pressure_cpu_waiting_seconds_total 12.5\n"),
              std::string::npos)
        << t;
    EXPECT_NE(t.find("loadline_pressure_memory_stalled_seconds_total 1.5\n"), std::string::npos) << t;
    EXPECT_NE(t.find("loadline_pressure_io_waiting_seconds_total 7.25\n"), std::string::npos) << t;
    EXPECT_NE(t.find("loadline_pressure_io_stalled_seconds_total 4\n"), std::string::npos) << t;
    EXPECT_EQ(t.find("loadline_pressure_cpu_stalled"), std::string::npos) << "system CPU full is undefined";
    EXPECT_EQ(t.find("cgroup"), std::string::npos);
}

TEST(ContentionPrometheus, AbsentSourcesWriteNothing) {
    PrometheusWriter w;
    ProcessSample p;
    p.pid = 1;
    p.name = "x";
    renderContentionPrometheus(w, SystemSample{}, std::span<const ProcessSample>(&p, 1));
    EXPECT_EQ(w.text(), "");
}

TEST(ContentionPrometheus, ProcessAndCgroupFamilies) {
    SystemSample s = withPressure();
    const ProcessSample procs[] = {throttledProcess(), throttledProcess()};  // same cgroup twice: one series
    PrometheusWriter w;
    renderContentionPrometheus(w, s, procs);
    const std::string& t = w.text();
    EXPECT_NE(t.find("loadline_process_run_queue_wait_seconds_total{name=\"worker\",pid=\"4242\"} 9.5\n"),
              std::string::npos)
        << t;
    EXPECT_NE(t.find("loadline_process_nonvoluntary_context_switches_total{name=\"worker\",pid=\"4242\"} 1234\n"),
              std::string::npos)
        << t;
    const std::string th = "loadline_cgroup_cpu_cfs_throttled_periods_total{cgroup=\"/app.slice/job.scope\"} 40\n";
    ASSERT_NE(t.find(th), std::string::npos) << t;
    EXPECT_EQ(t.find(th, t.find(th) + 1), std::string::npos) << "one series per cgroup";
    EXPECT_NE(t.find("loadline_cgroup_memory_usage_bytes{cgroup=\"/app.slice/job.scope\"} 1048576\n"),
              std::string::npos);
    EXPECT_EQ(t.find("loadline_cgroup_memory_limit_bytes"), std::string::npos) << "no limit: no family";
    EXPECT_EQ(t.find("loadline_cgroup_pressure"), std::string::npos) << "no cgroup PSI read: no family";
}

TEST(ContentionJson, SnapshotDocumentGainsPressureAndProcessFields) {
    SystemSample s = withPressure();
    const ProcessSample p = throttledProcess();
    std::string out;
    renderSnapshotJson(out, s, std::span<const ProcessSample>(&p, 1), TickContext{});
    const auto j = nlohmann::json::parse(out);
    EXPECT_DOUBLE_EQ(j["pressure"]["cpu"]["some_percent"].get<double>(), 40.0);
    EXPECT_FALSE(j["pressure"]["cpu"].contains("full_percent"));
    EXPECT_DOUBLE_EQ(j["pressure"]["io"]["full_percent"].get<double>(), 1.0);
    EXPECT_FALSE(j.contains("cgroup"));
    const auto& jp = j["processes"][0];
    EXPECT_DOUBLE_EQ(jp["run_queue_wait_percent"].get<double>(), 60.0);
    EXPECT_DOUBLE_EQ(jp["cgroup"]["throttled_periods_percent"].get<double>(), 95.0);
    EXPECT_EQ(jp["cgroup"]["path"], "/app.slice/job.scope");

    out.clear();
    renderSnapshotJson(out, SystemSample{}, {}, TickContext{});
    EXPECT_FALSE(nlohmann::json::parse(out).contains("pressure"));
}
