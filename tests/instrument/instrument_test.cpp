// The C++ instrumentation: what a scope records, the wrapper, threads, a full ring.
#include "core/instrument/recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace loadline::core;
using namespace loadline::core::instrument;

namespace {

double epochNow() { return double(clockNs(CLOCK_REALTIME)) * 1e-9; }

// Burns this thread's CPU until it has used `seconds` of it (by construction, not by wall time).
void spinCpu(double seconds) {
    const auto until = clockNs(CLOCK_THREAD_CPUTIME_ID) + std::int64_t(seconds * 1e9);
    volatile unsigned x = 0;
    while (clockNs(CLOCK_THREAD_CPUTIME_ID) < until)
        for (int i = 0; i < 1000; ++i) x = x + i;
}

struct RecorderOn {
    RecorderOn() {
        Recorder::global().drain();
        Recorder::global().setEnabled(true);
    }
    ~RecorderOn() {
        Recorder::global().setEnabled(false);
        Recorder::global().drain();
    }
};

}  // namespace

TEST(Instrument, ScopeRecordsWallCpuAndEndTime) {
    RecorderOn on;
    const double before = epochNow();
    {
        LOADLINE_SCOPE("spin");
        spinCpu(0.02);
    }
    {
        LOADLINE_SCOPE("sleep");
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    const double after = epochNow();
    const auto t = Recorder::global().drain();
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0].functionName, "spin");
    EXPECT_GE(t[0].cpuTime, 0.02);
    EXPECT_GE(t[0].wallTime + 1e-3, t[0].cpuTime);  // a single thread cannot use more CPU than wall
    EXPECT_EQ(t[1].functionName, "sleep");
    EXPECT_GE(t[1].wallTime, 0.03);
    EXPECT_LT(t[1].cpuTime, t[1].wallTime);
    // End timestamps on the epoch clock, in order, and the sleep started after the spin ended.
    EXPECT_GE(t[0].startTime(), before - 1e-3);
    EXPECT_LE(t[1].timestamp, after + 1e-3);
    EXPECT_GE(t[1].startTime() + 1e-3, t[0].timestamp);
}

TEST(Instrument, DisabledRecordsNothing) {
    Recorder::global().setEnabled(false);
    Recorder::global().drain();
    { LOADLINE_SCOPE("off"); }
    EXPECT_TRUE(Recorder::global().drain().empty());
}

int twice(int x) { return 2 * x; }

TEST(Instrument, TimedWrapperForwardsAndRecords) {
    RecorderOn on;
    auto f = timed("twice", twice);
    EXPECT_EQ(f(21), 42);
    auto g = timed(Recorder::global().internName(std::string("dyn") + "amic"), [](int& v) { ++v; });
    int v = 1;
    g(v);
    EXPECT_EQ(v, 2);
    const auto t = Recorder::global().drain();
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0].functionName, "twice");
    EXPECT_EQ(t[1].functionName, "dynamic");
}

TEST(Instrument, ManyThreadsWhileDrainingLoseNothing) {
    RecorderOn on;
    constexpr int kThreads = 4, kCalls = 20000;
    std::atomic<int> running{kThreads};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&] {
            for (int c = 0; c < kCalls; ++c) {
                LOADLINE_SCOPE("worker");
            }
            running.fetch_sub(1);
        });
    const std::uint64_t droppedBefore = Recorder::global().dropped();
    std::size_t got = 0;
    while (running.load() > 0) got += Recorder::global().drain().size();
    for (auto& t : threads) t.join();
    got += Recorder::global().drain().size();
    const std::uint64_t dropped = Recorder::global().dropped() - droppedBefore;
    // Every call is either drained or counted as dropped (rings hold 65536: none should drop).
    EXPECT_EQ(got + dropped, std::size_t(kThreads) * kCalls);
    EXPECT_EQ(dropped, 0u);
}

TEST(Instrument, AFullRingDropsAndCounts) {
    RecorderOn on;
    Recorder::global().setThreadCapacity(4);
    std::uint64_t before = Recorder::global().dropped();
    std::thread([] {
        for (int i = 0; i < 10; ++i) {
            LOADLINE_SCOPE("full");
        }
    }).join();
    Recorder::global().setThreadCapacity(65536);
    EXPECT_EQ(Recorder::global().drain().size(), 4u);
    EXPECT_EQ(Recorder::global().dropped() - before, 6u);
}
