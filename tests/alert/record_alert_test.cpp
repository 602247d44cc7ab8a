// loadline-cli record --alert end to end: a real CPU burner opens and closes an alert at the
// right times, the recording saves the interval under "alert_intervals", loadline-cli alerts on
// the saved file finds the same intervals, the --on-alert command gets the LOADLINE_ALERT_*
// variables, and a slow command ('sleep 5') leaves the sampler's schedule intact.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/alert/alertjson.h"
#include "core/format/recordingio.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace loadline::core;

namespace {

const std::string kCli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("loadline-recalert-" + std::to_string(::getpid()) + "-" + name)).string();
}

std::string run(const std::string& cmd, int* rc) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = ::pclose(p);
    *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

double epochNow() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

std::vector<alert::AlertInterval> savedIntervals(const std::string& path, Timeline* timeline = nullptr) {
    auto loaded = loadRecordingFile(path);
    EXPECT_TRUE(loaded) << (!loaded.has_value() ? loaded.error().toString() : "");
    if (!loaded) return {};
    std::string error;
    auto intervals = alert::alertIntervals(loaded->timeline);
    if (!intervals) error = intervals.error().toString();
    EXPECT_TRUE(intervals) << error;
    if (timeline) *timeline = loaded->timeline;
    return intervals ? *intervals : std::vector<alert::AlertInterval>{};
}

}  // namespace

TEST(RecordAlert, ACpuBurnerOpensAndClosesAnAlertAndAlertsAgrees) {
    // The burner: waits 1 s, burns one core for 2 s, reports when, then idles until killed.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t burner = ::fork();
    if (burner == 0) {
        ::close(fds[0]);
        ::usleep(1000000);
        const double t1 = epochNow();
        volatile unsigned long x = 0;
        while (epochNow() < t1 + 2.0) x = x + 1;
        const double t2 = epochNow();
        char buf[96];
        int n = std::snprintf(buf, sizeof buf, "%.6f %.6f\n", t1, t2);
        (void)!::write(fds[1], buf, static_cast<std::size_t>(n));
        for (;;) ::pause();
    }
    ::close(fds[1]);
    const std::string out = tempPath("burn.json");
    const std::string pid = std::to_string(burner);
    // The burner's own CPU: an idle process reads 0. On a shared 2-core machine busy with other
    // work a burner was measured getting as little as 15 % of a core, hence 5 rather than 50.
    const std::string procRule = "cpu_percent > 5 for 1s on pid=" + pid;
    const std::string sysRule = "cpu_percent > 50 for 1s";
    int rc = 0;
    const std::string printed = run(kCli + " record -o " + out + " --interval 0.25 --duration 4.5 --pid " + pid +
                                        " --alert '" + procRule + "' --alert '" + sysRule + "' 2>&1",
                                    &rc);
    ASSERT_EQ(rc, 0) << printed;
    char buf[96] = {};
    ASSERT_GT(::read(fds[0], buf, sizeof buf - 1), 0);
    ::close(fds[0]);
    ::kill(burner, SIGKILL);
    ::waitpid(burner, nullptr, 0);
    double t1 = 0, t2 = 0;
    ASSERT_EQ(std::sscanf(buf, "%lf %lf", &t1, &t2), 2);

    Timeline timeline;
    const auto saved = savedIntervals(out, &timeline);
    std::vector<alert::AlertInterval> burn;
    for (const auto& a : saved)
        if (a.pid == burner) burn.push_back(a);
    ASSERT_EQ(burn.size(), 1u) << printed;
    const auto& a = burn[0];
    // Starts at a sample (0.25 s apart) just after the burn began, opens once 1 s of samples held,
    // closes at the first sample that no longer saw the burner (one or two samples after the burn:
    // the sample after it still holds the burn's last moments).
    EXPECT_GE(a.start, t1) << printed;
    EXPECT_LE(a.start, t1 + 0.5 + 0.1) << printed;
    EXPECT_GE(a.openedAt, a.start + 0.7) << printed;
    ASSERT_TRUE(a.end.has_value()) << printed;
    EXPECT_GE(*a.end, t2) << printed;
    EXPECT_LE(*a.end, t2 + 0.5 + 0.1) << printed;
    EXPECT_GT(a.peak, 5);
    EXPECT_EQ(a.rule, procRule);
    // Printed as it opened and as it closed, in the words `alerts` uses.
    EXPECT_NE(printed.find("alert opened: "), std::string::npos) << printed;
    const std::string closedLine = "alert closed: " + alert::describeInterval(a);
    EXPECT_NE(printed.find(closedLine), std::string::npos) << closedLine << "\n" << printed;

    // loadline-cli alerts on the saved file: the same intervals.
    const std::string json =
        run(kCli + " alerts " + out + " --alert '" + procRule + "' --alert '" + sysRule + "' --json", &rc);
    auto j = json::parse(json, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << json;
    ASSERT_EQ(j["alerts"].size(), saved.size()) << json;
    for (const auto& s : saved) {
        bool found = false;
        for (const auto& e : j["alerts"])
            found = found || (e["rule"] == s.rule && e["start"].get<double>() == s.start &&
                              (s.end ? e["end"].is_number() && e["end"].get<double>() == *s.end : e["end"].is_null()) &&
                              e["peak"].get<double>() == s.peak && e["severity"] == alert::severityText(s.severity));
        EXPECT_TRUE(found) << "saved interval " << alert::describeInterval(s) << " not found by alerts:\n" << json;
    }
    const std::string text = run(kCli + " alerts " + out + " --alert '" + procRule + "' 2>/dev/null", &rc);
    EXPECT_NE(text.find(alert::describeInterval(a)), std::string::npos) << text;
    EXPECT_EQ(rc, a.severity == alert::Severity::Critical ? 3 : 1);
    fs::remove(out);
}

TEST(RecordAlert, OnAlertCommandGetsTheAlertInItsEnvironment) {
    const std::string out = tempPath("env.json");
    const std::string envFile = tempPath("env.txt");
    int rc = 0;
    const std::string printed =
        run(kCli + " record -o " + out + " --interval 0.05 --samples 4 --alert 'memory_percent >= 0'" +
                " --on-alert 'echo \"$LOADLINE_ALERT_STATE|$LOADLINE_ALERT_METRIC|$LOADLINE_ALERT_SEVERITY|" +
                "$LOADLINE_ALERT_THRESHOLD|$LOADLINE_ALERT_PID|$LOADLINE_ALERT_END|${LOADLINE_ALERT_VALUE:+value}|" +
                "$(grep SigBlk /proc/self/status | tr -d \"\\t \")\" >> " + envFile + "' > /dev/null 2>&1",
            &rc);
    ASSERT_EQ(rc, 0) << printed;
    std::string got;
    for (int i = 0; i < 100 && got.find('\n') == std::string::npos; ++i) {  // the command is not waited for
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        got = readFile(envFile);
    }
    // The command starts with no signal blocked (record blocks its stop signals for itself).
    EXPECT_EQ(got, "opened|memory_percent|critical|0|||value|SigBlk:0000000000000000\n");
    fs::remove(out);
    fs::remove(envFile);
}

TEST(RecordAlert, SlowOnAlertCommandLeavesTheScheduleIntact) {
    // Six rules that hold from the first sample: six alerts open at once, each starting
    // 'sleep 5'. Four may run at once; the other two are skipped. The sampler must go on
    // sampling every 0.1 s meanwhile.
    const std::string out = tempPath("sleep.json");
    const std::string log = tempPath("sleep.log");
    std::string rules;
    for (const char* m :
         {"cpu_percent", "memory_percent", "memory_used_mb", "memory_available_mb", "load_avg_1m", "load_avg_5m"})
        rules += std::string(" --alert '") + m + " >= 0'";
    int rc = 0;
    // Output to a file: the sleeps inherit it, and a pipe would stay open until they end.
    run(kCli + " record -o " + out + " --interval 0.1 --duration 2" + rules + " --on-alert 'sleep 5' > " + log +
            " 2>&1",
        &rc);
    const std::string printed = readFile(log);
    ASSERT_EQ(rc, 0) << printed;
    EXPECT_NE(printed.find("--on-alert ran 4, skipped 2"), std::string::npos) << printed;
    auto loaded = loadRecordingFile(out);
    ASSERT_TRUE(loaded);
    const SeriesTable& sys = loaded->timeline.system;
    ASSERT_GE(sys.size(), 15u) << printed;  // 20 planned; a blocked sampler would have 1 or 2
    double maxStep = 0;
    for (std::size_t i = 1; i < sys.size(); ++i) maxStep = std::max(maxStep, sys.timestamp(i) - sys.timestamp(i - 1));
    EXPECT_LT(maxStep, 1.0) << "a tick waited for the command: " << maxStep << " s between samples";
    EXPECT_EQ(savedIntervals(out).size(), 6u);
    fs::remove(out);
    fs::remove(log);
}
