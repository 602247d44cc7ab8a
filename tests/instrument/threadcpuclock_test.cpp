// ThreadCpuClock: the thread's CPU time derived from the monotonic clock between context
// switches (seen on the thread's perf event page), against the kernel's own clock. Also run in
// exact mode (ctest threadcpuclock_test_exact), where every read must be the system call.
#include "core/instrument/threadcpuclock.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <linux/perf_event.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using loadline::core::instrument::clockNs;
using loadline::core::instrument::ThreadCpuClock;

namespace {

std::int64_t cpuNow() { return ThreadCpuClock::at(clockNs(CLOCK_MONOTONIC)); }

std::int64_t exactNow() { return clockNs(CLOCK_THREAD_CPUTIME_ID); }

std::int64_t wallNow() { return clockNs(CLOCK_MONOTONIC); }

// Context switches of this thread so far (voluntary and not), as the kernel counts them.
long switchesNow() {
    rusage u{};
    ::getrusage(RUSAGE_THREAD, &u);
    return u.ru_nvcsw + u.ru_nivcsw;
}

// Burns about `ns` of this thread's CPU, measured by the kernel (not by the clock under test).
void spinNs(std::int64_t ns) {
    const std::int64_t until = exactNow() + ns;
    volatile unsigned x = 0;
    while (exactNow() < until)
        for (int i = 0; i < 200; ++i) x = x + i;
}

bool exactByEnvironment() {
    const char* e = std::getenv("LOADLINE_EXACT_CPU_CLOCK");
    return e && *e && std::strcmp(e, "0") != 0;
}

// Whether this process may open a software perf event on itself (not where perf_event_paranoid
// is 3 or a container's seccomp filter refuses it): then the clock must derive.
bool perfAllowed() {
    perf_event_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    const int fd = static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

}  // namespace

TEST(ThreadCpuClock, DerivesWherePerfEventsAreAllowedUnlessExactIsAsked) {
    EXPECT_EQ(ThreadCpuClock::derivesFromMonotonic(), !exactByEnvironment() && perfAllowed());
}

TEST(ThreadCpuClock, ShortBusyStretchesNeedNoSystemCall) {
    if (!ThreadCpuClock::derivesFromMonotonic()) GTEST_SKIP() << "exact mode: every read is a system call";
    cpuNow();
    const std::uint64_t before = ThreadCpuClock::resyncCount();
    const long switches0 = switchesNow();
    const std::int64_t e0 = exactNow();
    constexpr int kReads = 20000;
    volatile unsigned x = 0;
    for (int i = 0; i < kReads; ++i) {
        cpuNow();
        for (int k = 0; k < 50; ++k) x = x + k;
    }
    const std::int64_t ran = exactNow() - e0;
    const long switches = switchesNow() - switches0;
    const std::uint64_t resyncs = ThreadCpuClock::resyncCount() - before;
    // The design: a system call only after a switch (the perf page's lock moved) or once per
    // kMaxDerivedNs of running, whatever the machine's load; the kernel counted the switches.
    EXPECT_LE(resyncs, std::uint64_t(switches + ran / ThreadCpuClock::kMaxDerivedNs + 2))
        << switches << " switches, " << ran << " ns on the CPU";
    EXPECT_LT(resyncs, std::uint64_t(kReads)) << "every read was a system call";
}

TEST(ThreadCpuClock, SleepingIsNotCountedAsCpu) {
    // Sleeps shorter than kMaxDerivedNs: only the switch detection keeps them out of a derived
    // reading. Each is compared with the kernel's own clock over the same stretch, not with zero
    // (a kernel may charge a thread some CPU around a sleep, more so on a VM). A clock that
    // counted the sleep reads at least the time slept above the kernel's; half of it is the
    // line, on any machine. (Pair by pair: over a whole run, readings held flat after a resync
    // would hide the excess.)
    constexpr std::int64_t kSleepNs = ThreadCpuClock::kMaxDerivedNs * 3 / 10;
    int counted = 0;
    std::int64_t worst = 0, worstKernel = 0;
    for (int i = 0; i < 50; ++i) {
        const std::int64_t e0 = exactNow();
        const std::int64_t a = cpuNow();
        ::usleep(kSleepNs / 1000);
        const std::int64_t b = cpuNow();
        const std::int64_t e1 = exactNow();
        EXPECT_GE(b - a, 0);
        if ((b - a) - (e1 - e0) > worst - worstKernel) {
            worst = b - a;
            worstKernel = e1 - e0;
        }
        counted += (b - a) - (e1 - e0) >= kSleepNs / 2;
    }
    EXPECT_EQ(counted, 0) << "sleeps of " << kSleepNs << " ns counted as CPU; worst: read as " << worst
                          << " ns, the kernel says " << worstKernel;
}

// A derived reading counts interrupt and (on a VM) steal time the kernel leaves out, so the exact
// reading after a switch could be smaller: CI saw a 300 us sleep read as negative CPU. Readings
// must never go back, or a scope gets a negative cpu_time (which the loader then refuses).
TEST(ThreadCpuClock, NeverRunsBackwards) {
    std::int64_t last = cpuNow();
    for (int i = 0; i < 3000; ++i) {
        switch (i % 3) {
        case 0: ::usleep(20); break;
        case 1: spinNs(20'000); break;
        case 2: sched_yield(); break;
        }
        const std::int64_t now = cpuNow();
        ASSERT_GE(now, last) << "at read " << i;
        last = now;
    }
}

TEST(ThreadCpuClock, YieldingToABusyThreadIsNotCountedAsCpu) {
    // Another process spins on this CPU; every sched_yield hands it the CPU for a while.
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    cpu_set_t old;
    ASSERT_EQ(sched_getaffinity(0, sizeof old, &old), 0);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        for (;;) {
        }
    }
    std::int64_t derived = 0, exact = 0, wall = 0;
    for (int i = 0; i < 200; ++i) {
        const std::int64_t w0 = wallNow();
        const std::int64_t e0 = exactNow();
        const std::int64_t a = cpuNow();
        sched_yield();
        spinNs(20'000);
        const std::int64_t b = cpuNow();
        const std::int64_t e1 = exactNow();
        derived += b - a;
        exact += e1 - e0;
        wall += wallNow() - w0;
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    sched_setaffinity(0, sizeof old, &old);
    // Measured, not assumed: how long the busy process held the CPU (the kernel's clock against
    // the wall clock). A clock that counted it would read about the wall time; one that works
    // reads about the kernel's CPU time. Half-way between is the line, on any machine.
    const std::int64_t offCpu = wall - exact;
    ASSERT_GT(offCpu, exact) << "the busy process hardly ran: nothing was tested (wall " << wall << " ns, CPU " << exact
                             << " ns)";
    EXPECT_LT(derived - exact, offCpu / 2) << "derived " << derived << " exact " << exact << " wall " << wall;
    EXPECT_GT(derived, exact / 2) << "derived " << derived << " exact " << exact;  // the spins are counted
}

TEST(ThreadCpuClock, AgreesWithTheKernelClockOnMixedWork) {
    std::int64_t derived = 0, exact = 0;
    for (int i = 0; i < 600; ++i) {
        const std::int64_t e0 = exactNow();
        const std::int64_t a = cpuNow();
        switch (i % 4) {
        case 0: spinNs(5'000 + (i % 7) * 40'000); break;  // up to 245 us: derived
        case 1: spinNs(1'500'000); break;                 // longer than kMaxDerivedNs
        case 2:
            ::usleep(100);
            spinNs(30'000);
            break;  // a switch in the middle
        case 3:
            sched_yield();
            spinNs(10'000);
            break;
        }
        const std::int64_t b = cpuNow();
        const std::int64_t e1 = exactNow();
        ASSERT_GE(b - a, 0);
        derived += b - a;
        exact += e1 - e0;
    }
    // The exact bracket also holds two clock reads per call: a few percent at most.
    EXPECT_NEAR(double(derived), double(exact), 0.05 * double(exact)) << "derived " << derived << " exact " << exact;
}

TEST(ThreadCpuClock, ExactModeAlwaysAsksTheKernel) {
    ThreadCpuClock::setExact(true);
    const std::uint64_t before = ThreadCpuClock::resyncCount();
    for (int i = 0; i < 100; ++i) cpuNow();
    EXPECT_EQ(ThreadCpuClock::resyncCount() - before, 100u);
    EXPECT_FALSE(ThreadCpuClock::derivesFromMonotonic());
    ThreadCpuClock::setExact(exactByEnvironment());  // back to how this run started
    EXPECT_EQ(ThreadCpuClock::derivesFromMonotonic(), !exactByEnvironment() && perfAllowed());
}

TEST(ThreadCpuClock, AForkedChildReadsItsOwnClock) {
    spinNs(50'000'000);  // this thread has used at least 50 ms
    const std::int64_t parent = cpuNow();
    ASSERT_GE(parent, 50'000'000);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        const std::int64_t c = cpuNow();  // a fresh thread: a few ms at most
        (void)!::write(fds[1], &c, sizeof c);
        ::_exit(0);
    }
    std::int64_t c = -1;
    ASSERT_EQ(::read(fds[0], &c, sizeof c), ssize_t(sizeof c));
    ::waitpid(child, nullptr, 0);
    ::close(fds[0]);
    ::close(fds[1]);
    EXPECT_GE(c, 0);
    // A fresh process has used far less than the parent's 50 ms; deriving from the parent's
    // base would read at least the parent's time.
    EXPECT_LT(c, parent / 2) << "the child derived its CPU time from its parent's clock";
}
