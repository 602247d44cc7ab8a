// loadline-cli serve --alert against a real server: GET /api/alerts/ (Climate System Monitor's alert shape plus
// the interval fields), loadline_alert_active in /metrics, an alert that closes when its process
// exits, and a bad rule refused at start.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "../serve/serveprocess.h"

using namespace loadline::testing;
using nlohmann::json;

namespace {

json alertsDoc(int port) {
    auto r = httpRequest(port, "GET", "/api/alerts/");
    EXPECT_EQ(r.status, 200) << r.body;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
}

/** Polls (bounded: 10 s) until pred(doc) holds; returns the last doc. */
template <class P>
json waitForAlerts(int port, P pred) {
    json j;
    for (int i = 0; i < 200; ++i) {
        j = alertsDoc(port);
        if (!j.is_discarded() && pred(j)) return j;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return j;
}

const json* findPid(const json& doc, int pid) {
    for (const auto& a : doc["alerts"])
        if (a["pid"].is_number_integer() && a["pid"].get<int>() == pid) return &a;
    return nullptr;
}

}  // namespace

TEST(ServeAlerts, ApiAlertsAndMetricsFollowOpenAndClose) {
    pid_t child = ::fork();
    if (child == 0) {
        for (;;) ::pause();
    }
    const std::string pid = std::to_string(child);
    ServeProcess server({"--interval", "0.1", "--pid", pid, "--alert", "memory_percent >= 0", "--alert",
                         "cpu_percent > 1000", "--alert", "num_threads >= 1 on pid=" + pid});
    ASSERT_TRUE(server.ok()) << server.log();

    json doc = waitForAlerts(server.port(), [](const json& j) { return j.value("open", 0) == 2; });
    ASSERT_EQ(doc["open"], 2) << doc.dump(1);
    EXPECT_EQ(doc["rules"],
              json::array({"memory_percent >= 0", "cpu_percent > 1000", "num_threads >= 1 on pid=" + pid}));
    const json* proc = findPid(doc, child);
    ASSERT_NE(proc, nullptr) << doc.dump(1);
    for (const char* key : {"id", "title", "message", "severity", "service", "timestamp", "rule", "metric", "pid",
                            "process", "level", "state", "start", "opened_at", "end", "peak", "peak_time"})
        EXPECT_TRUE(proc->contains(key)) << key;
    EXPECT_EQ((*proc)["state"], "open");
    EXPECT_EQ((*proc)["level"], "warning");  // 1 thread: under the critical 1.1
    EXPECT_EQ((*proc)["severity"], 2);
    EXPECT_TRUE((*proc)["end"].is_null());
    EXPECT_EQ((*proc)["timestamp"], (*proc)["start"]);

    auto metrics = httpRequest(server.port(), "GET", "/metrics").body;
    EXPECT_NE(metrics.find("loadline_alert_active{rule=\"memory_percent >= 0\",severity=\"critical\",pid=\"\"} 1"),
              std::string::npos)
        << metrics;
    const std::string procLine = "loadline_alert_active{rule=\"num_threads >= 1 on pid=" + pid +
                                 "\",severity=\"warning\",pid=\"" + pid + "\"} 1";
    EXPECT_NE(metrics.find(procLine), std::string::npos) << metrics;

    // The process exits: its alert closes at the next tick.
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    doc = waitForAlerts(server.port(), [](const json& j) { return j.value("open", 0) == 1; });
    ASSERT_EQ(doc["open"], 1) << doc.dump(1);
    proc = findPid(doc, child);
    ASSERT_NE(proc, nullptr) << doc.dump(1);
    EXPECT_EQ((*proc)["state"], "closed");
    ASSERT_TRUE((*proc)["end"].is_number());
    EXPECT_GT((*proc)["end"].get<double>(), (*proc)["start"].get<double>());
    metrics = httpRequest(server.port(), "GET", "/metrics").body;
    EXPECT_EQ(metrics.find(procLine), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("loadline_alert_active{rule=\"memory_percent >= 0\""), std::string::npos);
}

TEST(ServeAlerts, WithoutRulesTheListIsEmpty) {
    ServeProcess server({"--interval", "0.1"});
    ASSERT_TRUE(server.ok()) << server.log();
    ASSERT_TRUE(server.waitForFirstSample());
    json doc = alertsDoc(server.port());
    EXPECT_EQ(doc["open"], 0);
    EXPECT_TRUE(doc["alerts"].empty());
    EXPECT_TRUE(doc["rules"].empty());
}

TEST(ServeAlerts, BadRuleIsAUsageError) {
    TempDir dir;
    pid_t p = spawnProgram(
        {std::string(LOADLINE_BIN_DIR) + "/loadline-cli", "serve", "--port", "0", "--alert", "cpu_percent >> 5"},
        dir.file("log"));
    auto status = waitForExit(p, 20);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 2);
    EXPECT_NE(readFile(dir.file("log")).find("column 14: expected a number after '>'"), std::string::npos)
        << readFile(dir.file("log"));
}
