// Real recordings of the same small program, made here with loadline's own instrumented session
// (LOADLINE_SCOPE + a sampler beside it that tracks this process, saved as py-perf performance
// summaries), then compared. The program's thread runs on one CPU; the burners of the busy run
// run on that same CPU, so they take turns with it: its wall time grows several-fold while its
// CPU time for fixed work does not, and its run-queue wait (recorded by the sampler) is the
// measured cause. That holds on a machine that other programs load too (a shared CI runner):
// they slow both runs, the burners only one. What holds by construction:
//  - "crunch" and "crunch_same" do a fixed amount of work (a fixed number of loop iterations):
//    with 7 burners on their CPU they get about an eighth of it (a larger share where other
//    programs' threads were already taking turns on it): "machine", never "code".
//  - The program run once, its rounds alternating the original and a changed version (the
//    changed "crunch_twice" does twice the work): split into the two versions' calls, it is a
//    comparison in which only that function changed, and any drift of the machine's load during
//    the run falls on both halves alike. "crunch_twice" is "code" with about +100 % CPU time;
//    "crunch" and "nap" (a 20 ms sleep) are "no change".
// Set LOADLINE_KEEP_RECORDINGS=DIR to keep the summaries (quiet.json, busy.json, alternating.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "core/compare/compare.h"
#include "core/format/recordingio.h"
#include "core/instrument/recorder.h"
#include "core/instrument/session.h"
#include "tests/burners.h"

using namespace loadline::core;
using namespace loadline::core::instrument;
using loadline::test::Burners;
using loadline::test::PinThread;

namespace {

constexpr int kBurners = 7;  // on the program's CPU: it gets about 1 / (kBurners + 1) of it

void work(long iterations) {
    volatile unsigned long x = 0;
    for (long i = 0; i < iterations; ++i) x = x + static_cast<unsigned long>(i);
}

double threadCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Iterations of work() that take about `seconds` of CPU here, measured on this thread's CPU
// clock (time spent waiting for a core does not shrink the work). The fastest of three tries: on
// a virtual machine without steal-time accounting the host's preemption is counted as CPU time,
// which only ever adds.
long calibrate(double seconds) {
    double fastest = 1e9;
    for (int i = 0; i < 3; ++i) {
        const double t0 = threadCpuSeconds();
        work(4'000'000);
        fastest = std::min(fastest, threadCpuSeconds() - t0);
    }
    return std::max(100'000L, static_cast<long>(4'000'000 * seconds / std::max(fastest, 1e-6)));
}

// Records `rounds` rounds of round(r) on one CPU (with kBurners burners on it when `burners`).
// The sampler's thread starts first and keeps every CPU: it samples on time.
Recording record(int rounds, bool burners, const std::string& keepAs, const std::function<void(int)>& round) {
    SessionOptions options;
    // The kernel adds a wait to the run-queue-wait counter when the wait ends, so a sample taken
    // during a long wait misses it and the next one sees more than its interval (and is cut to
    // 100 %): samples several times longer than the waits between time slices keep the rate true.
    options.sampler.interval = 0.2;
    if (const char* dir = std::getenv("LOADLINE_KEEP_RECORDINGS")) options.outputPath = std::string(dir) + "/" + keepAs;
    Session session(options);
    std::string error;
    EXPECT_TRUE(succeeded(session.start(), &error)) << error;
    {
        const int cpu = loadline::test::pinnableCpu();
        PinThread pin(cpu);
        EXPECT_TRUE(pin.ok()) << "could not pin this thread to CPU " << cpu;
        std::optional<Burners> load;
        if (burners) {
            load.emplace(kBurners, cpu);
            EXPECT_EQ(load->count(), std::size_t(kBurners));
        }
        for (int r = 0; r < rounds; ++r) round(r);
    }
    EXPECT_TRUE(succeeded(session.finish(), &error)) << error;
    // Through the file format, as a user's files are read (when kept), else in memory.
    if (!options.outputPath.empty()) {
        auto loaded = loadRecordingFile(options.outputPath);
        EXPECT_TRUE(loaded) << loaded.error().toString();
        if (loaded) return *loaded;
    }
    return session.recording();
}

// The calls of rounds with round % 2 == parity (every function is called once per round, so
// the k-th call of a function belongs to round k); the timeline is the whole run's.
Recording rounds(const Recording& run, int parity) {
    Recording out = run;
    std::vector<FunctionTiming> timings = run.functionTimings;
    std::stable_sort(timings.begin(), timings.end(),
                     [](const auto& a, const auto& b) { return a.startTime() < b.startTime(); });
    std::map<std::string, int> seen;
    out.functionTimings.clear();
    for (const auto& t : timings)
        if (seen[t.functionName]++ % 2 == parity) out.functionTimings.push_back(t);
    return out;
}

void print(const RunComparison& c) {  // for the log: what this machine measured
    for (const auto& f : c.functions) {
        std::printf("%-13s %s: %s\n", f.name.c_str(), std::string(findingName(f.finding)).c_str(), f.reason.c_str());
        std::printf(
            "%-13s wall p50 %.3g -> %.3g ms, p95 %.3g -> %.3g ms, CPU %.3g -> %.3g ms, run-queue wait %.3g -> "
            "%.3g ms per call\n",
            "", f.p50Wall[0] * 1e3, f.p50Wall[1] * 1e3, f.p95Wall[0] * 1e3, f.p95Wall[1] * 1e3, f.meanCpu[0] * 1e3,
            f.meanCpu[1] * 1e3, f.meanRunQueueWait[0] * 1e3, f.meanRunQueueWait[1] * 1e3);
    }
}

bool runQueueWaitRecorded(const RunComparison& c, const char* name) {
    const auto* f = c.find(name);
    return f && std::isfinite(f->meanRunQueueWait[0]) && std::isfinite(f->meanRunQueueWait[1]);
}

}  // namespace

// Two runs of the same program, the second with burners sharing its CPU.
TEST(CompareRecorded, BurnersOnItsCpuAreMachine) {
    // Calls much longer than the scheduler's time slice, so that every call is preempted several
    // times and gets about an eighth of the CPU. With 3-ms calls most finished inside one slice
    // (a scheduler tick can be 10 ms) and were as fast beside the burners as without them, while
    // the few that were preempted waited 70 ms: the two runs' calls ranked alike.
    const long iterations = calibrate(0.03);
    auto program = [&](int) {
        {
            LOADLINE_SCOPE("crunch");
            work(iterations);
        }
        {
            LOADLINE_SCOPE("crunch_same");
            work(2 * iterations);
        }
        // Nothing but CPU work: the run-queue wait during a call is measured as a rate between
        // samples (every 0.2 s), so a sleeping neighbour would blur the shorter calls' share.
    };
    const Recording quiet = record(16, false, "quiet.json", program);
    const Recording busy = record(16, true, "busy.json", program);
    const RunComparison c = compareRuns(quiet, busy);
    print(c);
    if (!runQueueWaitRecorded(c, "crunch"))
        GTEST_SKIP() << "no run-queue wait recorded (/proc/PID/schedstat missing): burners on one CPU of several "
                        "hardly move the system CPU %, so nothing here measures the contention";
    // The baseline must have been quiet to be one: when other programs (a build beside the tests)
    // already kept "crunch" waiting for its CPU a quarter of its time in the quiet run, that run's
    // times vary as much as the burners change them, and no test can tell the two apart.
    if (const auto* f = c.find("crunch"); f && f->meanRunQueueWait[0] > 0.25 * f->meanWall[0])
        GTEST_SKIP() << "the quiet run was not quiet: crunch waited for its CPU " << f->meanRunQueueWait[0] << " s of "
                     << f->meanWall[0] << " s per call (other programs on this machine)";
    // Burners on its CPU make the same calls wait, and here cost them more CPU time too (+40 % to
    // +340 % measured: shared caches, slices cut short), never less. When the busy run measured
    // them much cheaper, the quiet run's clock counted time the program did not run: on a virtual
    // machine without steal-time accounting (Firecracker, where CI runs) the host taking the CPU
    // away is counted as the program's CPU time; once the "quiet" run measured the same calls five
    // times dearer. Then it is no baseline and no verdict can be checked.
    for (const char* name : {"crunch", "crunch_same"})
        if (const auto* f = c.find(name); f && std::isfinite(f->cpuChangePercent) && f->cpuChangePercent < -30)
            GTEST_SKIP() << name << ": the same calls cost " << -f->cpuChangePercent
                         << " % less CPU time beside the burners than without them: the quiet run's clock counted "
                            "time the program did not run (a virtual machine's host took the CPU)";
    // Seven burners on its CPU slow a typical 30-ms call several-fold. Where the median call was
    // not even twice as slow, the burners did not get that CPU (or the calibration made calls
    // that fit in a time slice): there was no contention to judge.
    for (const char* name : {"crunch", "crunch_same"})
        if (const auto* f = c.find(name); f && f->p50Wall[1] < 2 * f->p50Wall[0])
            GTEST_SKIP() << name << ": the median call took " << f->p50Wall[0] * 1e3 << " ms quiet and "
                         << f->p50Wall[1] * 1e3
                         << " ms beside 7 burners on its CPU: the burners did not share that CPU, so "
                            "there is no contention to judge";
    // The same work in both runs: whatever else happened, the code is not to blame.
    for (const auto& f : c.functions) EXPECT_NE(f.finding, Finding::Code) << f.name << ": " << f.reason;
    for (const char* name : {"crunch", "crunch_same"}) {
        const auto* f = c.find(name);
        ASSERT_NE(f, nullptr) << name;
        EXPECT_EQ(f->finding, Finding::Machine) << name << ": " << f->reason;
        // About +700 % (an eighth of the CPU instead of all of it) where nothing else runs on that
        // CPU; less where other programs' threads share it too, in both runs.
        EXPECT_GT(f->changePercent, 30) << name << ": " << f->reason;
        EXPECT_GT(f->meanRunQueueWait[1], f->meanRunQueueWait[0] + 0.5 * (f->meanWall[1] - f->meanWall[0])) << name;
    }
}

// One run whose rounds alternate the original program and a changed one, split in two.
TEST(CompareRecorded, DoubledWorkIsCodeTheRestNoChange) {
    const long iterations = calibrate(0.01);
    const Recording run = record(80, false, "alternating.json", [&](int round) {
        const bool changed = round % 2 == 1;
        {
            LOADLINE_SCOPE("crunch");
            work(iterations);
        }
        {
            LOADLINE_SCOPE("crunch_twice");
            work(changed ? 2 * iterations : iterations);
        }
        {
            LOADLINE_SCOPE("nap");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const Recording before = rounds(run, 0), changed = rounds(run, 1);
    ASSERT_EQ(before.functionTimings.size(), 120u);
    ASSERT_EQ(changed.functionTimings.size(), 120u);

    const RunComparison c = compareRuns(before, changed);
    print(c);
    const auto* twice = c.find("crunch_twice");
    ASSERT_NE(twice, nullptr);
    EXPECT_GT(twice->cpuChangePercent, 50);
    EXPECT_LT(twice->cpuChangePercent, 150);
    EXPECT_EQ(twice->finding, Finding::Code) << twice->reason;

    // The unchanged functions: no change. At alpha 0.001 rather than 0.05, because a test at
    // level alpha calls a change in unchanged code with probability alpha: two functions checked
    // at 0.05 would fail this test about one run in ten.
    CompareOptions strict;
    strict.alpha = 0.001;
    const RunComparison s = compareRuns(before, changed, strict);
    for (const char* name : {"crunch", "nap"}) {
        const auto* f = s.find(name);
        ASSERT_NE(f, nullptr) << name;
        EXPECT_EQ(f->finding, Finding::NoChange) << name << ": " << f->reason;
    }
}
