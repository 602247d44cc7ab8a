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
#include <cmath>
#include <csignal>
#include <fstream>
#include <sstream>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
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

// The mean of a sampled column over [t0, t1], computed here independently of correlate's
// windowMean: the samples joined by straight lines (rows without a value skipped), integrated by
// the midpoint rule on 4000 steps over the part of the window the samples cover. NaN when the
// samples do not reach into the window.
double integratedMean(const SeriesTable& table, const char* column, double t0, double t1) {
    const int col = table.columnIndex(column);
    std::vector<std::pair<double, double>> points;
    for (std::size_t r = 0; col >= 0 && r < table.size(); ++r)
        if (!isMissing(table.value(col, r))) points.emplace_back(table.timestamp(r), table.value(col, r));
    if (points.empty()) return kMissing;
    const double a = std::max(t0, points.front().first), b = std::min(t1, points.back().first);
    if (!(b > a)) return kMissing;
    auto at = [&](double t) {
        auto hi =
            std::lower_bound(points.begin(), points.end(), t, [](const auto& p, double x) { return p.first < x; });
        if (hi == points.begin()) return hi->second;
        auto lo = hi - 1;
        if (hi == points.end() || hi->first == lo->first) return lo->second;
        return lo->second + (hi->second - lo->second) * (t - lo->first) / (hi->first - lo->first);
    };
    const int steps = 4000;
    double sum = 0;
    for (int i = 0; i < steps; ++i) sum += at(a + (b - a) * (i + 0.5) / steps);
    return sum / steps;
}

// Samples with a value in the column whose time lies inside [t0, t1].
int samplesIn(const SeriesTable& table, const char* column, double t0, double t1) {
    const int col = table.columnIndex(column);
    int n = 0;
    for (std::size_t r = 0; col >= 0 && r < table.size(); ++r)
        n += !isMissing(table.value(col, r)) && table.timestamp(r) >= t0 && table.timestamp(r) <= t1;
    return n;
}

bool near(double measured, double expected, double tolerance) {
    return std::isnan(measured) ? std::isnan(expected) : std::abs(measured - expected) <= tolerance;
}

// Checks correlate() on a recorded run against what the test knows independently: the calls'
// times and CPU from the recorder, the load during each call integrated here from the raw
// timeline, and what each call did by construction (spun under burners, slept, spun alone).
void checkVerdicts(const Recording& recording) {
    const Correlation c = correlate(recording);
    const SeriesTable& sys = recording.timeline.system;
    for (const auto& call : c.calls)  // for the log: what this machine measured
        std::printf("%-16s wall %.3f s cpu %.3f s system CPU %5.1f %% (integrated %5.1f %%) samples %d -> %s\n",
                    c.functions[call.functionIndex].name.c_str(), call.wallTime, call.cpuTime, call.systemCpuPercent,
                    integratedMean(sys, col::kCpuPercent, call.start, call.end), call.samplesInside,
                    std::string(verdictName(call.verdict)).c_str());
    ASSERT_EQ(c.calls.size(), 8u);
    ASSERT_EQ(recording.functionTimings.size(), 8u);
    EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();  // every call inside the timeline

    // Every call's window, CPU and load against the recorder's timing and the raw timeline.
    std::size_t lowLoadBaseline = 0;  // contended_spin's calls at low load, by the integrated load
    bool borderline = false;
    for (std::size_t i = 0; i < c.calls.size(); ++i) {
        const auto& call = c.calls[i];
        ASSERT_LT(call.timingIndex, recording.functionTimings.size());
        const auto& timing = recording.functionTimings[call.timingIndex];
        SCOPED_TRACE(timing.functionName + " #" + std::to_string(i));
        EXPECT_EQ(c.functions[call.functionIndex].name, timing.functionName);
        EXPECT_DOUBLE_EQ(call.end, timing.timestamp);
        EXPECT_DOUBLE_EQ(call.start, timing.timestamp - timing.wallTime);
        EXPECT_DOUBLE_EQ(call.cpuTime, timing.cpuTime);
        const double load = integratedMean(sys, col::kCpuPercent, call.start, call.end);
        EXPECT_TRUE(near(call.systemCpuPercent, load, 0.5)) << call.systemCpuPercent << " vs " << load;
        EXPECT_EQ(call.samplesInside, samplesIn(sys, col::kCpuPercent, call.start, call.end));
        for (auto [measured, column] :
             {std::pair{call.contention.pressureCpuPercent, "pressure_cpu_some_percent"},
              std::pair{call.contention.pressureMemoryPercent, "pressure_memory_some_percent"}})
            if (sys.columnIndex(column) >= 0) {
                EXPECT_TRUE(near(measured, integratedMean(sys, column, call.start, call.end), 0.5)) << column;
            }
        if (timing.functionName == "contended_spin") {
            lowLoadBaseline += load < 70.0;
            borderline = borderline || std::abs(load - 70.0) <= 0.5;  // either side within rounding
        }
    }

    // contended_spin under 3 burners per core: it needed its 0.3 s of CPU but got about a third
    // of a core while the machine was saturated. The load slowed it: never "own work" or
    // "waiting"; "contention" when measured directly or judged against 5 low-load calls.
    const auto& contended = callOf(c, "contended_spin");
    EXPECT_GE(contended.cpuTime, 0.3);
    EXPECT_LT(contended.cpuTime / contended.wallTime, 0.8);
    EXPECT_GE(integratedMean(sys, col::kCpuPercent, contended.start, contended.end), 70.0);
    EXPECT_GE(contended.samplesInside, 2);
    if (contended.contention.measure == LoadMeasure::RunQueueWait ||
        contended.contention.measure == LoadMeasure::Pressure) {
        // Measured directly: the burners kept the spinning thread waiting on a run queue, and
        // 3 busy loops per core keep CPU pressure (PSI some) far above the 25 % rule.
        EXPECT_EQ(contended.verdict, Verdict::Contention)
            << "run-queue wait " << contended.contention.runQueueWaitPercent;
    } else if (!borderline) {
        EXPECT_EQ(contended.verdict, lowLoadBaseline >= 5 ? Verdict::Contention : Verdict::Unknown) << lowLoadBaseline;
    } else {
        EXPECT_TRUE(contended.verdict == Verdict::Contention || contended.verdict == Verdict::Unknown);
    }

    // quiet_sleep slept 0.4 s: almost no CPU, so never "own work"; a sleeping thread does not
    // wait on a run queue, so "waiting" whenever the session measured its own run-queue wait.
    const auto& sleep = callOf(c, "quiet_sleep");
    EXPECT_LT(sleep.cpuTime / sleep.wallTime, 0.1);
    EXPECT_GE(sleep.wallTime, 0.4);
    EXPECT_NE(sleep.verdict, Verdict::OwnWork);
    const double sleepLoad = integratedMean(sys, col::kCpuPercent, sleep.start, sleep.end);
    ASSERT_FALSE(std::isnan(sleepLoad));
    if (sleep.contention.measure == LoadMeasure::RunQueueWait) {
        EXPECT_EQ(sleep.verdict, Verdict::Waiting) << "run-queue wait " << sleep.contention.runQueueWaitPercent;
    } else if (sleep.contention.measure == LoadMeasure::Pressure) {
        // PSI decides (record without self-tracking): what other programs did during the sleep.
        double pressure = 0;
        for (const char* column : {"pressure_cpu_some_percent", "pressure_memory_some_percent"})
            if (const double p = integratedMean(sys, column, sleep.start, sleep.end); !std::isnan(p))
                pressure = std::max(pressure, p);
        // The rule's line is 25 %: either side of it by more than rounding, the verdict is known.
        if (pressure < 20.0) {
            EXPECT_EQ(sleep.verdict, Verdict::Waiting) << pressure;
        } else if (pressure > 30.0) {
            EXPECT_EQ(sleep.verdict, Verdict::Contention) << pressure;
        }
    } else {
        // One call: no low-load calls to judge it against, so under load it cannot be judged.
        EXPECT_EQ(sleep.verdict, sleepLoad >= 70.0 ? Verdict::Unknown : Verdict::Waiting) << sleepLoad;
    }

    // own_spin used 0.3 s of CPU alone: "own work" whenever the machine let it run.
    const auto& own = callOf(c, "own_spin");
    EXPECT_GE(own.cpuTime, 0.3);
    if (own.cpuTime / own.wallTime >= 0.8) {
        EXPECT_EQ(own.verdict, Verdict::OwnWork);
    } else {
        EXPECT_NE(own.verdict, Verdict::OwnWork);  // the machine was busy: it did not run freely
    }
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
    checkVerdicts(*loaded);
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
    ASSERT_TRUE(
        waitForTimeline(journalPath, [&](const Timeline& t) { return t.lastTime() && *t.lastTime() > lastEnd; }));
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
    checkVerdicts(summary);

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
