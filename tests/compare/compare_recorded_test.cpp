// Two real recordings of the same small program, made here with loadline's own instrumented
// session (LOADLINE_SCOPE + a sampler beside it, saved as py-perf performance summaries), then
// compared. What holds by construction:
//  - "crunch" does a fixed amount of work (a fixed number of loop iterations): its CPU time per
//    call is the same in every run. With burner processes (3 per core) beside the second run it
//    gets a fraction of a core: wall time up, CPU time not, load up: "machine", never "code".
//  - "nap" sleeps 20 ms and "crunch_twice" does twice crunch's work in the changed program:
//    "code" with about +100 %.
// Set LOADLINE_KEEP_RECORDINGS=DIR to keep the summaries (quiet.json, busy.json, changed.json).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "core/compare/compare.h"
#include "core/format/recordingio.h"
#include "core/instrument/recorder.h"
#include "core/instrument/session.h"

using namespace loadline::core;
using namespace loadline::core::instrument;
namespace fs = std::filesystem;

namespace {

void work(long iterations) {
    volatile unsigned long x = 0;
    for (long i = 0; i < iterations; ++i) x = x + static_cast<unsigned long>(i);
}

// Child processes spinning one core each until killed; running when the constructor returns.
class Burners {
public:
    explicit Burners(int count) {
        int fds[2];
        if (::pipe(fds) != 0) return;
        for (int i = 0; i < count; ++i) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                ::close(fds[0]);
                const char ready = 1;
                (void)!::write(fds[1], &ready, 1);
                volatile unsigned long x = 0;
                for (;;) x = x + 1;
            }
            if (pid > 0) m_pids.push_back(pid);
        }
        ::close(fds[1]);
        char c;
        for (std::size_t got = 0; got < m_pids.size() && ::read(fds[0], &c, 1) == 1;) ++got;
        ::close(fds[0]);
    }
    ~Burners() {
        for (pid_t p : m_pids) ::kill(p, SIGKILL);
        for (pid_t p : m_pids) ::waitpid(p, nullptr, 0);
    }

private:
    std::vector<pid_t> m_pids;
};

double threadCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Iterations of work() that take about `seconds` of CPU here (measured once, on this thread's
// CPU clock: time spent waiting for a core does not shrink the work).
long calibrate(double seconds) {
    const double t0 = threadCpuSeconds();
    work(2'000'000);
    const double took = threadCpuSeconds() - t0;
    return std::max(100'000L, static_cast<long>(2'000'000 * seconds / std::max(took, 1e-6)));
}

// The program: 30 rounds of crunch (fixed work) and nap (a 20 ms sleep); `changed` adds
// crunch_twice, which in the baseline does crunch's work and in the changed program twice that.
Recording record(long iterations, bool changed, bool burners, const std::string& keepAs) {
    SessionOptions options;
    options.sampler.interval = 0.05;
    if (const char* dir = std::getenv("LOADLINE_KEEP_RECORDINGS")) options.outputPath = std::string(dir) + "/" + keepAs;
    Session session(options);
    std::string error;
    EXPECT_TRUE(session.start(&error)) << error;
    {
        const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        std::optional<Burners> load;
        if (burners) load.emplace(3 * cores);
        for (int round = 0; round < 30; ++round) {
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
        }
    }
    EXPECT_TRUE(session.finish(&error)) << error;
    // Through the file format, as a user's files are read (when kept), else in memory.
    if (!options.outputPath.empty()) {
        auto loaded = loadRecordingFile(options.outputPath);
        EXPECT_TRUE(loaded) << loaded.error->toString();
        if (loaded) return *loaded.recording;
    }
    return session.recording();
}

void print(const RunComparison& c) {  // for the log: what this machine measured
    for (const auto& f : c.functions)
        std::printf("%-13s %s: %s\n", f.name.c_str(), std::string(findingName(f.finding)).c_str(), f.reason.c_str());
}

}  // namespace

TEST(CompareRecorded, BurnersBesideTheSameProgramAreMachine) {
    if (!std::getenv("LOADLINE_RUN_RECORDED_COMPARE"))
        GTEST_SKIP() << "set LOADLINE_RUN_RECORDED_COMPARE=1 to run: on a shared VM the CPU time of fixed work varies by up "
                        "to 2x between runs (seen here even at load 0.8), which makes this comparison unreliable in CI";
    const long iterations = calibrate(0.01);
    const Recording quiet = record(iterations, false, false, "quiet.json");
    const Recording busy = record(iterations, false, true, "busy.json");
    const RunComparison c = compareRuns(quiet, busy);
    print(c);
    const auto* crunch = c.find("crunch");
    ASSERT_NE(crunch, nullptr);
    EXPECT_GT(crunch->meanSystemCpuPercent[1], 90) << "the burners did not load the machine";
    // On a machine busy with other programs (a VM whose host is loaded: steal time) even the CPU
    // time of fixed work varies by tens of percent between runs: only a quiet one is a fair test.
    if (crunch->meanSystemCpuPercent[0] > 60)
        GTEST_SKIP() << "the quiet run was not quiet (system CPU " << crunch->meanSystemCpuPercent[0]
                     << " % during its calls): the machine is busy with something else";
    // The same work in both runs: whatever else happened, the code is not to blame.
    for (const auto& f : c.functions) EXPECT_NE(f.finding, Finding::Code) << f.name << ": " << f.reason;
    EXPECT_EQ(crunch->finding, Finding::Machine) << crunch->reason;
    EXPECT_GT(crunch->changePercent, 50);
}

TEST(CompareRecorded, DoubledWorkIsCode) {
    if (!std::getenv("LOADLINE_RUN_RECORDED_COMPARE"))
        GTEST_SKIP() << "set LOADLINE_RUN_RECORDED_COMPARE=1 to run: on a shared VM the CPU time of fixed work varies by up "
                        "to 2x between runs (seen here even at load 0.8), which makes this comparison unreliable in CI";
    const long iterations = calibrate(0.01);
    const Recording before = record(iterations, false, false, "before.json");
    const Recording changed = record(iterations, true, false, "changed.json");
    const RunComparison c = compareRuns(before, changed);
    print(c);
    const auto* twice = c.find("crunch_twice");
    ASSERT_NE(twice, nullptr);
    // Times of short calls on a machine busy with other programs vary too much between runs
    // (see above): only a quiet machine gives a fair test.
    if (c.system[0].callsMeanCpuPercent > 60 || c.system[1].callsMeanCpuPercent > 60)
        GTEST_SKIP() << "the machine was busy with something else (system CPU " << c.system[0].callsMeanCpuPercent
                     << " / " << c.system[1].callsMeanCpuPercent << " % during the calls)";
    EXPECT_GT(twice->cpuChangePercent, 60);
    EXPECT_LT(twice->cpuChangePercent, 140);
    EXPECT_EQ(twice->finding, Finding::Code) << twice->reason;
}
