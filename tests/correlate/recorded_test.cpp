// A recorded run, not a hand-made one: real calls timed by LOADLINE_SCOPE while a real sampler
// records the machine, and child processes burn every core during one known call.
//
// What holds by construction, on any machine however loaded:
//  - "contended_spin" needs 0.3 s of its thread's CPU, five times with the machine as it is
//    (its low-load baseline, when the machine is quiet enough) and once while 3 burners per
//    core compete: then it gets about a third of a core (CPU/wall well under 0.8, wall ~3x)
//    and the system is saturated (>= 70 %): contention when five baseline calls ran at low
//    load, else unknown (too few to judge against; the verdict follows the measured load).
//  - "quiet_sleep" sleeps 0.4 s: CPU/wall near 0; never contention (one call: no baseline).
//  - "own_spin" uses 0.3 s of CPU; own work whenever the machine let it run (CPU/wall >= 0.8).
#include <algorithm>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/correlate/correlate.h"
#include "core/format/recordingio.h"
#include "core/instrument/recorder.h"
#include "core/instrument/session.h"
#include "tests/burners.h"

using namespace loadline::core;
using namespace loadline::core::instrument;
namespace fs = std::filesystem;

namespace {

void spinCpu(double seconds) {
    const auto until = clockNs(CLOCK_THREAD_CPUTIME_ID) + std::int64_t(seconds * 1e9);
    volatile unsigned x = 0;
    while (clockNs(CLOCK_THREAD_CPUTIME_ID) < until)
        for (int i = 0; i < 1000; ++i) x = x + i;
}

using loadline::test::Burners;

int cores() { return std::max(1u, std::thread::hardware_concurrency()); }

void workload() {
    for (int i = 0; i < 5; ++i) {  // the baseline: the same work without the burners
        LOADLINE_SCOPE("contended_spin");
        spinCpu(0.3);
    }
    {
        LOADLINE_SCOPE("quiet_sleep");
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
    }
    {
        Burners burners(3 * cores());  // declared first: outlives the scope below
        ASSERT_EQ(burners.count(), std::size_t(3 * cores()));
        LOADLINE_SCOPE("contended_spin");
        spinCpu(0.3);
    }
    {
        LOADLINE_SCOPE("own_spin");
        spinCpu(0.3);
    }
}

// The last call of a function (the contended one comes after its baseline).
const CallAnalysis& callOf(const Correlation& c, const std::string& name) {
    for (auto it = c.calls.rbegin(); it != c.calls.rend(); ++it)
        if (c.functions[it->functionIndex].name == name) return *it;
    throw std::runtime_error("no call " + name);
}

void checkVerdicts(const Correlation& c) {
    for (const auto& call : c.calls)  // for the log: what this machine measured
        std::printf("%-16s wall %.3f s cpu %.3f s system CPU %5.1f %% samples %d -> %s\n",
                    c.functions[call.functionIndex].name.c_str(), call.wallTime, call.cpuTime, call.systemCpuPercent,
                    call.samplesInside, std::string(verdictName(call.verdict)).c_str());
    ASSERT_EQ(c.calls.size(), 8u);
    EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();  // every call inside the timeline

    const auto& contended = callOf(c, "contended_spin");
    EXPECT_GE(contended.cpuTime, 0.3);
    EXPECT_LT(contended.cpuWallRatio(), 0.8);
    EXPECT_GE(contended.systemCpuPercent, 70.0);
    EXPECT_GE(contended.samplesInside, 2);
    std::size_t lowLoadBaseline = 0;
    for (const auto& call : c.calls)
        if (&call != &contended && c.functions[call.functionIndex].name == "contended_spin" &&
            call.systemCpuPercent < 70.0)
            ++lowLoadBaseline;
    if (contended.contention.measure == LoadMeasure::RunQueueWait || contended.contention.measure == LoadMeasure::Pressure) {
        // Measured directly: the burners kept the spinning thread waiting on a run queue, and
        // 3 busy loops per core keep CPU pressure (PSI some) far above the 25 % rule.
        EXPECT_EQ(contended.verdict, Verdict::Contention) << "run-queue wait " << contended.contention.runQueueWaitPercent;
    } else {
        EXPECT_EQ(contended.verdict, lowLoadBaseline >= 5 ? Verdict::Contention : Verdict::Unknown) << lowLoadBaseline;
    }

    const auto& sleep = callOf(c, "quiet_sleep");
    EXPECT_LT(sleep.cpuWallRatio(), 0.1);
    ASSERT_FALSE(std::isnan(sleep.systemCpuPercent));
    if (sleep.contention.measure == LoadMeasure::RunQueueWait) {
        // Measured (the session tracks itself): a sleeping thread does not wait on a run queue.
        EXPECT_EQ(sleep.verdict, Verdict::Waiting) << "run-queue wait " << sleep.contention.runQueueWaitPercent;
    } else if (sleep.contention.measure == LoadMeasure::Pressure) {
        // PSI decides (record without self-tracking): what other programs did during the sleep.
        const double pressure = std::max(std::isnan(sleep.contention.pressureCpuPercent) ? 0.0 : sleep.contention.pressureCpuPercent,
                                         std::isnan(sleep.contention.pressureMemoryPercent) ? 0.0 : sleep.contention.pressureMemoryPercent);
        EXPECT_EQ(sleep.verdict, pressure >= 25.0 ? Verdict::Contention : Verdict::Waiting) << pressure;
    } else {
        EXPECT_EQ(sleep.verdict, sleep.systemCpuPercent >= 70.0 ? Verdict::Unknown : Verdict::Waiting);
    }

    const auto& own = callOf(c, "own_spin");
    EXPECT_GE(own.cpuTime, 0.3);
    if (own.cpuWallRatio() >= 0.8) EXPECT_EQ(own.verdict, Verdict::OwnWork);
    else EXPECT_NE(own.verdict, Verdict::OwnWork);  // the machine was busy: the rule says so
}

}  // namespace

TEST(Recorded, SessionWithASamplerWritesASummaryLoadlineOpens) {
    const fs::path dir = fs::temp_directory_path() / ("loadline-recorded-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string path = (dir / "summary.json").string();

    SessionOptions options;
    options.outputPath = path;
    options.sampler.interval = 0.1;
    Session session(options);
    std::string error;
    ASSERT_TRUE(succeeded(session.start(), &error)) << error;
    workload();
    ASSERT_TRUE(succeeded(session.finish(), &error)) << error;

    // Opened as any py-perf performance summary.
    auto loaded = loadRecordingFile(path);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    EXPECT_EQ(loaded->kind, Recording::Kind::PerformanceSummary);
    EXPECT_EQ(loaded->sessionId, session.recording().sessionId);
    EXPECT_GE(loaded->timeline.system.size(), 10u);
    EXPECT_FALSE(loaded->timeline.processes.empty());  // this process, tracked
    checkVerdicts(correlate(*loaded));
    fs::remove_all(dir);
}

namespace {

// Polls the store that `loadline-cli record -o FILE.json` journals into (FILE.json.llrec, committed
// every --checkpoint seconds) until pred(timeline) holds (or ~2 minutes).
template <class Pred>
bool waitForTimeline(const std::string& path, Pred pred) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto r = loadRecordingFile(path); r && pred(r->timeline)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

std::string runCli(const std::string& args) {
    std::string out;
    std::FILE* p = ::popen((std::string(LOADLINE_BIN_DIR) + "/loadline-cli " + args + " 2>/dev/null").c_str(), "r");
    if (!p) return out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
    return out;
}

}  // namespace

// A real workload end to end: `loadline-cli record` samples the machine as a separate
// process while this test makes the calls (and burns every core during one of them); the
// calls plus the recorded timeline make a performance summary that `loadline-cli functions` reads.
TEST(Recorded, CallsUnderLoadlineCliRecord) {
    const fs::path dir = fs::temp_directory_path() / ("loadline-recorded-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string timelinePath = (dir / "timeline.json").string();
    const std::string summaryPath = (dir / "summary.json").string();

    const std::string cli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";
    std::vector<std::string> args = {cli, "record", "-o", timelinePath, "--interval", "0.1", "--checkpoint", "0.2"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t recorder = 0;
    ASSERT_EQ(::posix_spawn(&recorder, cli.c_str(), nullptr, nullptr, argv.data(), environ), 0);
    struct Stop {  // the recorder never outlives the test, even when an assertion fails
        pid_t pid;
        ~Stop() {
            if (pid > 0) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, nullptr, 0);
            }
        }
    } stop{recorder};

    // Calls start once the recorder has a sample, so they lie inside its timeline.
    const std::string journalPath = timelinePath + ".llrec";
    ASSERT_TRUE(waitForTimeline(journalPath, [](const Timeline& t) { return !t.system.empty(); }));
    Recorder::global().drain();
    Recorder::global().setEnabled(true);
    workload();
    Recorder::global().setEnabled(false);
    const auto timings = Recorder::global().drain();
    ASSERT_EQ(timings.size(), 8u);
    const double lastEnd = timings.back().timestamp;
    // ...and it ends once the recorder has sampled past the last call.
    ASSERT_TRUE(waitForTimeline(journalPath, [&](const Timeline& t) { return t.lastTime() && *t.lastTime() > lastEnd; }));
    ASSERT_EQ(::kill(recorder, SIGTERM), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(recorder, &status, 0), recorder);
    stop.pid = 0;
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    auto loaded = loadRecordingFile(timelinePath);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    Recording summary;
    summary.kind = Recording::Kind::PerformanceSummary;
    summary.sessionId = randomSessionId();
    summary.functionTimings = timings;
    summary.timeline = std::move(loaded->timeline);
    checkVerdicts(correlate(summary));

    // The same verdicts through the file and the CLI.
    std::string error;
    ASSERT_TRUE(succeeded(saveRecordingFile(summaryPath, summary), &error)) << error;
    const Correlation c = correlate(summary);
    std::istringstream csv(runCli("functions " + summaryPath + " --calls --csv"));
    std::string line;
    std::getline(csv, line);  // header
    std::size_t rows = 0;
    while (std::getline(csv, line)) {
        const std::string function = line.substr(0, line.find(','));
        const std::string verdict = line.substr(line.rfind(',') + 1);
        ASSERT_LT(rows, c.calls.size());
        EXPECT_EQ(function, c.functions[c.calls[rows].functionIndex].name) << line;
        EXPECT_EQ(verdict, verdictName(c.calls[rows].verdict)) << line;
        ++rows;
    }
    EXPECT_EQ(rows, 8u);
    fs::remove_all(dir);
}
