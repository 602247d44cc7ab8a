// loadline-cli alerts end to end: intervals of a recording built with known values (text and
// --json), the exit statuses 0/1/3 and 2, rules files, errors with a caret, py-perf files, and
// --prometheus-rules checked by Prometheus's own promtool.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/format/recordingio.h"
#include "core/timeline/timeline.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace loadline::core;

namespace {

const std::string kCli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("loadline-alerts-" + std::to_string(::getpid()) + "-" + name)).string();
}

std::string run(const std::string& cmd, int* rc, bool withStderr = true) {
    std::string out;
    FILE* p = ::popen((cmd + (withStderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = ::pclose(p);
    *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

/** cpu_percent at t = 1000..1009: 10 10 90 90 90 95 10 10 99 10; interval 1 s. */
std::string writeRecording() {
    Timeline t;
    t.metadata.sampleInterval = 1.0;
    const double cpu[] = {10, 10, 90, 90, 90, 95, 10, 10, 99, 10};
    const int c = t.system.ensureColumn("cpu_percent");
    for (int i = 0; i < 10; ++i) {
        t.system.appendRow(1000 + i);
        t.system.setLast(c, cpu[i]);
    }
    const std::string path = tempPath("run.json");
    std::string error;
    EXPECT_TRUE(succeeded(saveTimelineFile(path, t), &error)) << error;
    return path;
}

}  // namespace

TEST(AlertsCli, IntervalsAsJsonAndTheExitStatus) {
    const std::string file = writeRecording();
    int rc = 0;
    std::string out = run(kCli + " alerts " + file + " --alert 'cpu_percent > 80 for 3s' --json", &rc, false);
    json j = json::parse(out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out;
    EXPECT_EQ(j["schema_version"], 1);  // docs/json.md
    ASSERT_EQ(j["alerts"].size(), 1u) << out;
    const json& a = j["alerts"][0];
    EXPECT_EQ(a["rule"], "cpu_percent > 80 for 3s");
    EXPECT_EQ(a["metric"], "cpu_percent");
    EXPECT_TRUE(a["pid"].is_null());
    EXPECT_EQ(a["severity"], "critical");  // 95 >= 88
    EXPECT_EQ(a["start"], 1002.0);
    EXPECT_EQ(a["end"], 1006.0);
    EXPECT_EQ(a["peak"], 95.0);
    EXPECT_EQ(a["peak_time"], 1005.0);
    EXPECT_TRUE(j["warnings"].is_array());
    EXPECT_EQ(rc, 3);

    // Only warnings: 1. Nothing: 0.
    run(kCli + " alerts " + file + " --alert 'cpu_percent > 80 for 3s critical 99.5'", &rc);
    EXPECT_EQ(rc, 1);
    out = run(kCli + " alerts " + file + " --alert 'cpu_percent > 99.5'", &rc);
    EXPECT_EQ(rc, 0);
    EXPECT_NE(out.find("no alerts"), std::string::npos) << out;
    // Text: one line per interval, both the 1002-1006 run and the one sample at 1008.
    out = run(kCli + " alerts " + file + " --alert 'cpu_percent > 80 critical 99.5'", &rc, false);
    EXPECT_EQ(rc, 1);
    EXPECT_NE(out.find("2 alerts: 2 warning, 0 critical"), std::string::npos) << out;
    EXPECT_NE(out.find("(4 s)"), std::string::npos) << out;
    fs::remove(file);
}

TEST(AlertsCli, RulesFileAndErrors) {
    const std::string file = writeRecording();
    const std::string rules = tempPath("rules.txt");
    std::ofstream(rules) << "# gate\ncpu_percent > 98   # spikes\n";
    int rc = 0;
    std::string out = run(kCli + " alerts " + file + " --alerts " + rules + " --json", &rc, false);
    EXPECT_EQ(rc, 1) << out;  // 99 is over 98 but under the critical 100 (98 x 1.1, capped: a percentage)
    std::ofstream(rules) << "# gate\ncpu_percent > 98\nmemory_percent >> 5\n";
    out = run(kCli + " alerts " + file + " --alerts " + rules, &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(out.find(rules + ":3:17: expected a number after '>'"), std::string::npos) << out;

    out = run(kCli + " alerts " + file + " --alert 'cpu_percent > 80 for 10'", &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(out.find("column 22: expected a duration"), std::string::npos) << out;
    EXPECT_NE(out.find("\n  cpu_percent > 80 for 10\n                       ^"), std::string::npos) << out;
    out = run(kCli + " alerts " + file + " --alert 'cpu > 80'", &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(out.find("unknown metric 'cpu'; system metrics: "), std::string::npos) << out;
    EXPECT_NE(out.find("memory_percent"), std::string::npos) << out;
    out = run(kCli + " alerts " + file, &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(out.find("no rules"), std::string::npos) << out;
    out = run(kCli + " alerts /nonexistent.json --alert 'cpu_percent > 1'", &rc);
    EXPECT_EQ(rc, 2);
    fs::remove(file);
    fs::remove(rules);
}

TEST(AlertsCli, PyPerfRecordingWhereAProcessExits) {
    // A real py-perf recording (0.25 s): "loader" burns a core for 8 s, then exits after 32 samples.
    const std::string path = std::string(LOADLINE_TEST_DATA) + "/alert/pyperf_timeline_trainer.json";
    auto loaded = loadRecordingFile(path);
    ASSERT_TRUE(loaded);
    const Timeline& t = loaded->timeline;
    int loaderPid = 0;
    for (const auto& [pid, series] : t.processes)
        if (series.latestText("name") == "loader") loaderPid = pid;
    ASSERT_NE(loaderPid, 0);
    const SeriesTable& loader = t.processes.at(loaderPid).samples;
    const double firstSeen = loader.timestamp(0);
    const double lastSeen = loader.timestamp(loader.size() - 1);
    const double firstTickWithout = t.system.timestamp(t.system.upperBound(lastSeen));

    int rc = 0;
    std::string out = run(kCli + " alerts " + path + " --alert 'memory_rss_mb > 1 on name=loader' --json", &rc, false);
    json j = json::parse(out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out;
    ASSERT_EQ(j["alerts"].size(), 1u) << out;
    const json& a = j["alerts"][0];
    EXPECT_EQ(a["pid"], loaderPid);
    EXPECT_EQ(a["process"], "loader");
    EXPECT_EQ(a["start"].get<double>(), firstSeen);
    EXPECT_EQ(a["end"].get<double>(), firstTickWithout);
    EXPECT_EQ(rc, 3);
    // Every process: one interval each for the three processes.
    out = run(kCli + " alerts " + path + " --alert 'memory_rss_mb > 1' --json", &rc, false);
    j = json::parse(out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out;
    EXPECT_EQ(j["alerts"].size(), 3u) << out;
    EXPECT_TRUE(j["warnings"].empty()) << out;
    // A selector that selects no process of the file (a typo) is said, not passed in silence.
    for (const std::string sel : {"name=nosuch", "pid=1"}) {
        out = run(kCli + " alerts " + path + " --alert 'memory_rss_mb > 1 on " + sel + "' --json", &rc, false);
        j = json::parse(out, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << out;
        EXPECT_EQ(j["alerts"].size(), 0u) << out;
        ASSERT_EQ(j["warnings"].size(), 1u) << out;
        EXPECT_NE(j["warnings"][0].get<std::string>().find("has no process"), std::string::npos) << out;
    }
}

TEST(AlertsCli, PrometheusRulesPassPromtool) {
    const char* promtool = "/usr/bin/promtool";
    ASSERT_TRUE(fs::exists(promtool)) << promtool
                                      << " is missing: scripts/install-deps.sh installs Debian's prometheus package";
    const std::string rules = tempPath("rules.yml");
    int rc = 0;
    run(kCli +
            " alerts --prometheus-rules --alert 'cpu_percent > 80 for 10s' --alert 'memory_percent > 85 critical 95'"
            " --alert 'memory_rss_mb > 500 for 1m on name=python3' --alert 'gpu_utilization[0] < 5 for 5m'"
            " --alert 'swap_percent > 50' --alert 'net_recv_bytes_per_s > 1e8' --alert 'num_fds > 1000 on pid=1'"
            " > " +
            rules,
        &rc, false);
    ASSERT_EQ(rc, 0);
    std::string out = run(std::string(promtool) + " check rules " + rules, &rc);
    EXPECT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("SUCCESS: 14 rules found"), std::string::npos) << out;
    // A broken file fails promtool: the check can fail.
    std::ofstream(rules, std::ios::app) << "      - alert: Bad Name\n        expr: 'up >'\n";
    run(std::string(promtool) + " check rules " + rules, &rc);
    EXPECT_NE(rc, 0);
    fs::remove(rules);
}
