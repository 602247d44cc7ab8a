// `loadline-cli functions` on a summary whose timeline has PSI and run-queue wait columns: the
// per-call verdict names the direct measure that decided it, and the footer says how many calls
// each measure decided and states the rule.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "core/format/recordingio.h"

using namespace loadline::core;
namespace fs = std::filesystem;

namespace {

std::string run(const std::string& cmd, int* rc) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = ::pclose(p);
    *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

}  // namespace

TEST(CliContention, CallsNameTheMeasureThatDecided) {
    Recording rec;
    rec.kind = Recording::Kind::PerformanceSummary;
    rec.sessionId = "contention-test";
    Timeline& tl = rec.timeline;
    const int cpu = tl.system.ensureColumn(col::kCpuPercent);
    const int mem = tl.system.ensureColumn(col::kMemoryPercent);
    const int psi = tl.system.ensureColumn("pressure_cpu_some_percent");
    for (int t = 0; t <= 10; ++t) {
        tl.system.appendRow(1000.0 + t);
        tl.system.setLast(cpu, 30);  // the heuristic would say "waiting"...
        tl.system.setLast(mem, 40);
        tl.system.setLast(psi, t < 5 ? 90.0 : 2.0);  // ...but tasks waited for a CPU in the first half
    }
    FunctionTiming a;
    a.functionName = "stalled";
    a.timestamp = 1003;
    a.wallTime = 2;
    a.cpuTime = 0.2;
    FunctionTiming b = a;
    b.functionName = "sleeping";
    b.timestamp = 1009;
    rec.functionTimings = {a, b};
    const std::string path =
        (fs::temp_directory_path() / ("loadline-cli-contention-" + std::to_string(::getpid()) + ".json")).string();
    std::string err;
    ASSERT_TRUE(succeeded(saveRecordingFile(path, rec), &err)) << err;

    int rc = 0;
    const std::string out = run(std::string(LOADLINE_BIN_DIR) + "/loadline-cli functions --calls " + path, &rc);
    EXPECT_EQ(rc, 0) << out;
    const auto stalled = out.find("stalled");
    ASSERT_NE(stalled, std::string::npos) << out;
    EXPECT_NE(out.find("contention (pressure)", stalled), std::string::npos) << out;
    const auto sleeping = out.find("sleeping");
    ASSERT_NE(sleeping, std::string::npos) << out;
    EXPECT_NE(out.find("waiting (pressure)", sleeping), std::string::npos) << out;
    EXPECT_NE(out.find("verdicts decided by pressure: 2"), std::string::npos) << out;
    EXPECT_NE(out.find("measured: "), std::string::npos) << out;
    fs::remove(path);
}
