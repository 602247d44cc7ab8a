// "No allocation per tick in steady state": a counting global operator new, armed only on this
// thread around the measured ticks.
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <cstdlib>
#include <new>
#include <sys/wait.h>
#include <unistd.h>

#include "core/collect/processmatcher.h"
#include "core/collect/processtable.h"
#include "core/sampler/sampler.h"

namespace {
thread_local bool g_counting = false;
thread_local long g_allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
    if (g_counting) ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    if (g_counting) ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
// GCC cannot see that these replace the global operators whose memory comes from malloc above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

using namespace loadline::core;

TEST(SamplerAllocations, SteadyStateTickAllocatesNothing) {
    pid_t child = ::fork();
    if (child == 0) {
        for (;;) ::pause();
    }
    // Wait (bounded) until the child sleeps in pause(): its status text must not change during
    // the measured ticks (a first-seen text value is a legitimate one-time allocation).
    for (int i = 0; i < 4000; ++i) {
        std::string text;
        readWholeFile("/proc/" + std::to_string(child) + "/stat", text);
        auto close = text.rfind(')');
        if (close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'S') break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    SamplerOptions o;
    o.maxSamples = 50;
    o.trackSelf = true;
    o.pids = {child};
    o.system.gpu = true;    // none here, but the path runs
    o.system.cgroup = "/";  // the cgroup v2 root where mounted: its cpu.stat and *.pressure every tick
    Sampler s(o);
    long sinkCalls = 0;
    s.setSink([&](const SamplerTick& t) { sinkCalls += static_cast<long>(t.processes.size()); });
    for (int i = 0; i < 60; ++i) s.tickNow();  // fill the bounded rings, grow every buffer
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 100; ++i) s.tickNow();
    g_counting = false;
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    EXPECT_EQ(g_allocations, 0) << "allocations in 100 steady-state ticks";
    EXPECT_EQ(sinkCalls, 160 * 2);
    // The counter works (a guard against a test that can never fail).
    g_counting = true;
    void* probe = ::operator new(16);  // a direct call: not elidable like a new-expression
    g_counting = false;
    ::operator delete(probe);
    EXPECT_EQ(g_allocations, 1);
}

// A recorder's ring holds minutes of ticks (record keeps 256 or more for a .llrec): the ticks
// while it fills must not allocate either (no column growing by doubling as rows arrive).
TEST(SamplerAllocations, TicksWhileTheRingFillsAllocateNothing) {
    pid_t child = ::fork();
    if (child == 0) {
        for (;;) ::pause();
    }
    for (int i = 0; i < 4000; ++i) {
        std::string text;
        readWholeFile("/proc/" + std::to_string(child) + "/stat", text);
        auto close = text.rfind(')');
        if (close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'S') break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    SamplerOptions o;
    o.maxSamples = 4000;
    o.pids = {child};
    Sampler s(o);
    for (int i = 0; i < 3; ++i) s.tickNow();  // first values: columns and texts appear
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 300; ++i) s.tickNow();
    g_counting = false;
    std::size_t rows = 0;
    s.withTimeline([&](const Timeline& t) { rows = t.system.size(); });
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    EXPECT_EQ(g_allocations, 0) << "allocations in 300 ticks into a ring of 4000";
    EXPECT_EQ(rows, 303u);  // the ring was still filling
}

TEST(SamplerAllocations, ProcessTableScanOfAStableTreeAllocatesNothing) {
    ProcessTable t(ProcRoots{std::string(LOADLINE_TEST_DATA) + "/proc/basic/proc",
                             std::string(LOADLINE_TEST_DATA) + "/proc/basic/sys"},
                   HostConstants{100, 4096});
    std::vector<ProcessTableEntry*> top;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(t.scan(i));
        t.top(ProcessSort::Cpu, 3, top);
    }
    g_allocations = 0;
    g_counting = true;
    for (int i = 3; i < 50; ++i) {
        t.scan(i);
        t.top(ProcessSort::Cpu, 3, top);
    }
    g_counting = false;
    EXPECT_EQ(g_allocations, 0);
    EXPECT_EQ(t.size(), 6u);
}

// A kept-open file that fails on every tick (a process that exited, a *.pressure file under
// psi=0) must not allocate each time either: its Error is built without allocating.
TEST(SamplerAllocations, FailingProcFileReadsAllocateNothing) {
    pid_t child = ::fork();
    if (child == 0) {
        for (;;) ::pause();
    }
    ProcFile f;
    ASSERT_TRUE(f.open("/proc/" + std::to_string(child) + "/stat"));
    ASSERT_TRUE(f.read());
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    ProcFile missing;
    ASSERT_FALSE(missing.open("/nonexistent-loadline-root/proc/stat"));
    int failures = 0;
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 100; ++i) {
        if (auto t = f.read(); !t && t.error().errnum == ESRCH) ++failures;
        if (auto t = missing.read(); !t && t.error().errnum == ENOENT) ++failures;
    }
    g_counting = false;
    EXPECT_EQ(failures, 200);
    EXPECT_EQ(g_allocations, 0);
}

// The process matcher runs every tick: listing /proc, merging with the known processes and the
// exec re-checks reuse their buffers.
TEST(SamplerAllocations, MatcherScansOfAStableTreeAllocateNothing) {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / ("loadline-alloc-matcher-" + std::to_string(::getpid()));
    fs::remove_all(root);
    for (int pid = 100; pid < 150; ++pid) {
        const fs::path dir = root / std::to_string(pid);
        fs::create_directories(dir);
        std::ofstream(dir / "stat") << pid << " (idle) S 1 " << pid << " " << pid
                                    << " 0 -1 4194304 0 0 0 0 1 1 0 0 20 0 1 0 " << 1000 + pid
                                    << " 1000 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
        std::ofstream(dir / "comm") << "idle\n";
        std::ofstream(dir / "cmdline", std::ios::binary) << "idle" << '\0' << "--wait" << '\0';
    }
    ProcessMatcherOptions mo;
    mo.procRoot = root.string();
    ProcessMatcher m(mo);
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Name, "^worker$"));
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Cmdline, "--serve"));
    std::vector<MatchedProcess> matched;
    double now = 0;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(m.scan(matched, now += 0.2));
    std::size_t rechecked = 0;
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 50; ++i) {
        m.scan(matched, now += 0.2);
        rechecked += m.lastScan().rechecked;
    }
    g_counting = false;
    fs::remove_all(root);
    EXPECT_EQ(g_allocations, 0);
    EXPECT_GE(rechecked, 50u * 5u);  // the exec re-checks ran (50 processes every 2 s: 5 a scan)
    EXPECT_TRUE(matched.empty());
}
